"""{% load digests %}{% open_assignments digest as assignments %}: the assignments a daily digest of
open assignments lists when it is sent (matching.open_in_digest), and {% digest_lines assignments as
lines %} the same with each recurring assignment's dates on one line. The outbox renders the message
from its target alone, so the list is read here, at sending time, not when the digest was scheduled."""

from django import template

from bookings.matching import digest_entries, open_in_digest

register = template.Library()


@register.simple_tag
def open_assignments(digest):
    return open_in_digest(digest)


@register.simple_tag
def digest_lines(assignments):
    return digest_entries(assignments)
