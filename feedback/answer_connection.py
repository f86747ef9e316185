"""The connection anonymous answers are written through, one per thread of each web process.

A participant's answer is one statement (services.SUBMIT_SQL). On Django's connection PostgreSQL plans
it anew each time (Django turns prepared statements off, for connection poolers) and its commit waits
for the disk; here it is prepared once per connection and committed with synchronous_commit = off:
~1.8 -> ~1.0 ms an answer (make bench). A PostgreSQL crash could lose the answers of its last fraction
of a second, never corrupt anything (README, Session feedback; KP_FEEDBACK_ASYNC_COMMIT=0 turns this
off). Inside a transaction (a test, a caller's atomic block) Django's own connection is used, so that
the answer belongs to that transaction.
"""

import os
import threading

import psycopg
from django.conf import settings
from django.db import connection

_local = threading.local()


def _connect() -> psycopg.Connection:
    params = connection.get_connection_params()
    for name in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(name, None)
    params["options"] = f"{params.get('options', '')} -c synchronous_commit=off".strip()
    return psycopg.connect(**params, autocommit=True, prepare_threshold=0)


def execute(sql: str, params: dict) -> tuple:
    """Run one statement on this thread's answer connection and return its row; reconnects once if
    the connection was lost (the statement is safe to repeat: its receipt makes it happen once)."""
    for attempt in range(2):
        conn = getattr(_local, "conn", None)
        if conn is None or conn.closed or _local.pid != os.getpid():
            _local.conn, _local.pid = _connect(), os.getpid()
            conn = _local.conn
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params, prepare=True)
                return cursor.fetchone()
        except psycopg.OperationalError:
            close()
            if attempt:
                raise
    raise AssertionError("unreachable")


def close() -> None:
    conn = getattr(_local, "conn", None)
    _local.conn = None
    if conn is not None and not conn.closed:
        conn.close()


def run(sql: str, params: dict) -> tuple:
    """One answer statement (feedback's and hearings' SUBMIT_SQL) and its row: on this thread's answer
    connection, or on Django's inside a transaction (a test, a caller's atomic block) or when
    KP_FEEDBACK_ASYNC_COMMIT is off, so that the answer belongs to that transaction and waits for
    the disk."""
    if settings.KP_FEEDBACK_ASYNC_COMMIT and not connection.in_atomic_block:
        return execute(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
