"""`make run`'s web server: Django's runserver, with a listen queue long enough for a burst and a
bounded number of requests handled at once.

runserver accepts 10 waiting connections (WSGIServer.request_queue_size); forty participants sending
a feedback form at the same moment, or a curl burst, then get "connection reset" instead of a page.
And it starts a thread per request without a limit, each with its own database connection (two for a
feedback or hearing answer: feedback/answer_connection.py): fifty answers at once took 100 connections
and the rest got "too many clients" as a 500, while the connections of finished threads idled until
the garbage collector found them. So at most MAX_CONCURRENT requests run at once (the others wait in
the listen queue, as they would behind gunicorn's workers), and a request's thread closes its
connections when it ends.
The autoreloader runs this same file again for its child process, so the settings hold there too.

    python scripts/devserver.py 127.0.0.1:8000
"""

import os
import socketserver
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kokemuspankki.settings")

from django.core.management import execute_from_command_line  # noqa: E402
from django.core.servers import basehttp  # noqa: E402

basehttp.WSGIServer.request_queue_size = 512
MAX_CONCURRENT = 16
_slots = threading.BoundedSemaphore(MAX_CONCURRENT)
# runserver's server class is made at run time from ThreadingMixIn and WSGIServer (basehttp.run), so
# the mixin's two methods are wrapped, in this process only.
_process_request = socketserver.ThreadingMixIn.process_request
_process_request_thread = socketserver.ThreadingMixIn.process_request_thread


def process_request(self, request, client_address):
    _slots.acquire()  # blocks the accept loop; waiting connections queue in the kernel
    try:
        _process_request(self, request, client_address)
    except BaseException:
        _slots.release()
        raise


def process_request_thread(self, request, client_address):
    try:
        _process_request_thread(self, request, client_address)
    finally:
        # A runserver thread never serves a second request: its database connections (Django's, kept
        # for CONN_MAX_AGE, and the answers' own, kept per thread for gunicorn's long-lived workers)
        # would idle until the garbage collector found them.
        from django.db import connections

        from feedback import answer_connection

        connections.close_all()
        answer_connection.close()
        _slots.release()


socketserver.ThreadingMixIn.process_request = process_request
socketserver.ThreadingMixIn.process_request_thread = process_request_thread

if __name__ == "__main__":
    execute_from_command_line(["manage.py", "runserver", *sys.argv[1:]])
