"""The search page's hottest fragments, rendered with Jinja2 (kokemuspankki/jinja2.py) from Django
templates: `{% search_cards cards %}` and `{% search_facet form.area form.relation %}`."""

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def render_fragment(name: str, context: dict) -> SafeString:
    # Jinja2 escaped every value already (autoescape); Django's safe strings passed through as they are.
    return mark_safe(engines["jinja2"].get_template(name).render(context))  # noqa: S308


@register.simple_tag
def search_cards(cards) -> SafeString:
    """The result cards (views/search.card()) as list items."""
    return render_fragment("experts/search_cards.html", {"cards": cards})


@register.simple_tag
def search_facet(field, more=None) -> SafeString:
    """A facet's checkboxes (`field`, a bound field of ExpertFilter's form), and `more` after them."""
    return render_fragment("experts/search_facet.html", {"field": field, "more": more})
