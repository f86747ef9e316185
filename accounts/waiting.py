"""What waits for the signed-in user, told by the apps above accounts without accounts importing them.

The front page and the navigation belong to accounts, but what waits for a coordinator (invitations
unanswered, bookings to record) is known only to the booking app, which accounts must not import
(the layers in pyproject.toml's import-linter contract). So that app registers two providers here
in its AppConfig.ready(), as experts/workload.py does for the bank:

- a front page section: a function of the request returning HTML to show on "/", or "" for a user
  it has nothing for;
- a navigation count: a function of the request returning how many items wait behind a link, or
  None for a user it does not concern. The navigation's HTML is cached (templatetags/navigation.py),
  so the link carries a placeholder that the count replaces on each request.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

SectionProvider = Callable[[HttpRequest], str]
CountProvider = Callable[[HttpRequest], int | None]

_sections: list[SectionProvider] = []
_counts: dict[str, CountProvider] = {}


def register_front_page_section(provider: SectionProvider) -> None:
    if provider not in _sections:
        _sections.append(provider)


def front_page_sections(request: HttpRequest) -> list[str]:
    return [html for provider in _sections if (html := provider(request))]


def register_nav_count(name: str, provider: CountProvider) -> None:
    """Count the items behind the navigation link that carries `nav_count_placeholder(name)`."""
    _counts[name] = provider


def nav_count_placeholder(name: str) -> str:
    return f"<!--nav-count:{name}-->"


def fill_nav_counts(html: str, request: HttpRequest) -> str:
    """The cached navigation with each placeholder replaced by its count: " (7)" after the link's
    text, which a screen reader hears as "7 items waiting"; nothing when none wait."""
    for name, provider in _counts.items():
        placeholder = nav_count_placeholder(name)
        if placeholder in html:
            html = html.replace(placeholder, _count_html(provider(request)))
    # The template's HTML with format_html()'s in place of comments: still safe (str.replace is not).
    return mark_safe(html)  # noqa: S308


def _count_html(count: int | None) -> SafeString | str:
    if not count:
        return ""
    waiting = ngettext("%(count)s item waiting", "%(count)s items waiting", count) % {"count": count}
    return format_html(
        ' <span class="nav-count" aria-hidden="true">({})</span><span class="visually-hidden">, {}</span>',
        count,
        waiting,
    )
