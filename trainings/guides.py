"""The staff toolkit's guides: their HTML kept safe, and their search with the shared Finnish and
Swedish text analysis (kokemuspankki.text), so that "asiakasraadin" finds a guide on "asiakasraati"
and "klientrådet" one on "klientråd"."""

from functools import reduce
from operator import and_, or_

import nh3
from django.conf import settings
from django.db.models import Q
from django.utils.html import strip_tags

from kokemuspankki.text import all_terms, query_clauses, words

# What a guide may contain: text structure, links and simple tables. No images, styles or scripts:
# the body is edited in admin and shown as it is to every member of staff.
ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
# A query of more words than this is cut: each word is a clause of its own in the WHERE.
MAX_QUERY_WORDS = 8


def sanitize_html(html: str) -> str:
    """The HTML without anything outside ALLOWED_TAGS: no script, no event handlers, no javascript:
    links; links get rel="noopener noreferrer"."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def prepare_guide(guide) -> None:
    """Sanitise every language's body and fill search_words: called by Guide.save()."""
    for code, _name in settings.LANGUAGES:
        column = f"body_{code}"
        if getattr(guide, column, None):
            setattr(guide, column, sanitize_html(getattr(guide, column)))
    guide.body = sanitize_html(guide.body)
    guide.search_words = search_words_of(guide)


def search_words_of(guide) -> str:
    """The terms of the guide's title, summary and body in every language, space-separated with a
    space at both ends, so that a term is found as " term " (search_guides)."""
    texts = [
        strip_tags(value or "")
        for field in ("title", "summary", "body")
        for code, _name in settings.LANGUAGES
        if (value := getattr(guide, f"{field}_{code}", None))
    ]
    if not texts:  # a guide built without modeltranslation's columns (never in the app itself)
        texts = [guide.title, guide.summary, strip_tags(guide.body)]
    return f" {' '.join(all_terms(texts))} "


def search_guides(queryset, query: str):
    """The guides of `queryset` that have every word of `query`, each in any of its forms (a word's
    alternatives are query_clauses(): its base forms, or all the specific parts of a compound).
    A query with no searchable words (only stop words) finds nothing."""
    conditions = []
    for word in words(query)[:MAX_QUERY_WORDS]:
        clauses = query_clauses(word)
        if not clauses:
            continue  # a stop word or a short word: it says nothing about the guide
        conditions.append(
            reduce(or_, (reduce(and_, (Q(search_words__contains=f" {t} ") for t in clause)) for clause in clauses))
        )
    if not conditions:
        return queryset.none()
    return queryset.filter(reduce(and_, conditions))
