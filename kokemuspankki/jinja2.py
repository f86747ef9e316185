"""The Jinja2 environment for the few page fragments rendered with Jinja2 (templates in templates/jinja2/).

Django's template language spends ~0.25 ms on a search result card and ~3 ms on a page's ~50 facet
checkboxes; Jinja2 compiles a template to Python and renders the same in a tenth of that (README,
Search benchmark). Everything else stays in Django templates; a Django template takes a fragment
in through a template tag (experts/templatetags/search_fragments.py).

Texts are translated by Django's own catalogues: `{{ _("Found by:") }}` (a msgid that `make
messages` finds, as in a Django template), and `{{ _("On a pause, last day %(date)s")|format(date=...) }}`
where a value goes in. Autoescaping is on (Django's backend sets it); Django's safe strings stay
safe (they have `__html__`).
"""

from django.utils import formats, translation
from jinja2 import Environment


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # Django's backend sets it to True, as here
    env = Environment(autoescape=True, **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    env.filters["date"] = formats.date_format
    return env
