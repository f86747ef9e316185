"""A rate limit on online answers per client and campaign, kept in the cache only.

The client is a keyed hash of its address (never the address itself, never in the database), counted
in fixed windows. A client over the limit is not refused for good: the form is shown again with the
answers kept and "wait a moment and send again" (views.public). Shared addresses (a library, a
workplace's NAT) are why the limit is generous: it stops a script, not a room of people.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac

SALT = "kokemuspankki.hearings.throttle"


def client_key(request, campaign_id: int) -> str:
    window = int(time.time()) // settings.KP_HEARINGS_RATE_WINDOW
    address = request.META.get("REMOTE_ADDR", "")
    digest = salted_hmac(SALT, address, algorithm="sha256").hexdigest()[:32]
    return f"hearings:rate:{campaign_id}:{digest}:{window}"


def allow_answer(request, campaign_id: int) -> bool:
    """Count one answer from this client; False once it is over the limit in the current window."""
    limit = settings.KP_HEARINGS_RATE_LIMIT
    if limit <= 0:
        return True
    key = client_key(request, campaign_id)
    cache = caches["throttle"]  # Redis, or this process's memory (settings.CACHES)
    timeout = settings.KP_HEARINGS_RATE_WINDOW + 5
    # incr() first: one round trip for every answer but a window's first. Atomic in Redis (production)
    # and in the process-local cache (it locks).
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first answer (or the key expired just now)
        count = 1 if cache.add(key, 1, timeout=timeout) else cache.incr(key)
    return count <= limit
