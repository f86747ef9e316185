import os

from django.core.wsgi import get_wsgi_application

from kokemuspankki import heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kokemuspankki.settings")
application = get_wsgi_application()
# Loaded once per process (and before gunicorn forks its workers with --preload): kokemuspankki/heap.py.
heap.freeze()
