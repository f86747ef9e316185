"""Public pages that need more than a template: the accessibility statement."""

from datetime import date

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language


def in_language(value, language: str):
    """A setting's value for one language: a {"fi": ..., "sv": ...} dict picks the language (Finnish
    when it lacks one), anything else is the same in every language."""
    if not isinstance(value, dict):
        return value
    return value.get(language) or value.get(settings.LANGUAGE_CODE) or next(iter(value.values()), "")


def accessibility(request):
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    supervisor = {key: in_language(value, language) for key, value in settings.ACCESSIBILITY_SUPERVISOR.items()}
    url = supervisor.get("url") or ""
    supervisor["url_text"] = url.removeprefix("https://").removeprefix("http://").rstrip("/")
    context = {
        "supervisor": supervisor,
        "prepared_on": date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_DATE),
    }
    return render(request, "pages/accessibility.html", context)
