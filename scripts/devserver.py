"""`make run`'s web server: Django's runserver, with a listen queue long enough for a burst.

runserver accepts 10 waiting connections (WSGIServer.request_queue_size); forty participants sending
a feedback form at the same moment, or a curl burst, then get "connection reset" instead of a page.
The autoreloader runs this same file again for its child process, so the setting holds there too.

    python scripts/devserver.py 127.0.0.1:8000
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kokemuspankki.settings")

from django.core.management import execute_from_command_line  # noqa: E402
from django.core.servers import basehttp  # noqa: E402

basehttp.WSGIServer.request_queue_size = 512

if __name__ == "__main__":
    execute_from_command_line(["manage.py", "runserver", *sys.argv[1:]])
