"""The signed-in navigation, rendered once per language, page and what the user may see.

Its dozen links and translations cost ~2 ms a page as template nodes (README, speed); the HTML
depends only on the key below, so each process keeps the few dozen variants it meets. The user's
own data (email, CSRF token) stays in base.html and is rendered on every request, and so do the
counts of items waiting behind a link (accounts/waiting.py), which replace placeholders in the
cached HTML.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.translation import get_language

from accounts.waiting import fill_nav_counts
from kokemuspankki.process_cache import ProcessCache

register = template.Library()

# What the navigation shows to whom: flag -> a role name, or a permission (with a dot).
MAY = {
    "expert": "expert",
    "search": "accounts.search_experts",
    "hearings": "accounts.run_hearings",
    "trainings": "accounts.run_trainings",
    "feedback": "accounts.view_feedback_results",
    # The role: an administrator has every permission but orders nothing of their own.
    "orders": "orderer",
}
# Variants kept: languages x pages x permission sets met, far fewer in practice.
_rendered: ProcessCache[str] = ProcessCache(size=512)


@register.simple_tag(takes_context=True)
def main_nav(context) -> str:
    request, user = context["request"], context["user"]
    roles = context.get("user_roles") or set()
    may = {flag: user.has_perm(need) if "." in need else need in roles for flag, need in MAY.items()}
    may["admin"] = user.is_staff
    match = request.resolver_match
    page, current = (match.url_name, match.app_name) if match else ("", "")
    key = (get_language(), get_script_prefix(), page, current, *may.values())
    html = _rendered.get_or_make(
        key, lambda: render_to_string("_main_nav.html", {"page": page, "current": current, "may": may})
    )
    return fill_nav_counts(html, request)
