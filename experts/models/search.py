"""The coordinators' free-text search and its ranked, paged results."""

import functools
import re
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Lower

from ..text_search import WEBSEARCH_SYNTAX, allowed_edits, edit_distance, search_terms
from .choices import Relation
from .taxonomies import ExperienceArea, Language, Municipality, Organisation, TaskType, Taxonomy, taxonomy_lists

# of "vertaisryhmä".
LABEL_SHORTLIST_SIMILARITY = 0.3


def label_corrections(words: list[str]) -> dict[str, set[str]]:
    """{word: the words of list labels (any language) that the word is a misspelling of}.

    The lists are short (tens of rows): one query shortlists labels by trigram word similarity to
    any of the words, and the edit distance decides.
    """
    if not words:
        return {}
    columns = [f"name_{code}" for code, _name in settings.LANGUAGES]
    near: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_label_shortlist_sql(tuple(columns)), [list(words), LABEL_SHORTLIST_SIMILARITY])
        for word, *names in cursor.fetchall():
            labels = " ".join(filter(None, names)).lower()
            near.setdefault(word, set()).update(re.findall(r"[^\W_]+", labels))
    corrections = {}
    for word, label_words in near.items():
        # A word that is itself in a label is spelt right ("lahti"), even if another one is near ("lahtis").
        close = {label_word for label_word in label_words if edit_distance(word, label_word) <= allowed_edits(word)}
        if close and word not in label_words:
            corrections[word] = close
    return corrections


@functools.cache
def _label_shortlist_sql(columns: tuple[str, ...]) -> str:
    """Every list's labels near any of the words (pg_trgm word similarity in any language), as one
    statement written once: the same query built with the ORM, a union of five annotated querysets,
    took ~10 ms of Python per search to compile, for ~1 ms in the database."""
    tables = [model._meta.db_table for model in (ExperienceArea, TaskType, Language, Municipality, Organisation)]
    names = ", ".join(f'"{column}"' for column in columns)
    labels = " UNION ALL ".join(f'SELECT {names} FROM "{table}"' for table in tables)  # noqa: S608
    closeness = ", ".join(f'word_similarity(words.word, labels."{column}")' for column in columns)
    picked = ", ".join(f'labels."{column}"' for column in columns)
    # Table and column names come from the models and settings.LANGUAGES; the words are parameters.
    return (
        f"SELECT words.word, {picked} FROM unnest(%s::text[]) AS words(word) "  # noqa: S608
        f"CROSS JOIN ({labels}) AS labels WHERE GREATEST({closeness}) >= %s"
    )


class TextQuery:
    """A coordinator's free text: which profiles it matches (`match`) and how well (`tiers`).

    The text matches as a Finnish websearch query ("quotes", or, -not), or when each of its words
    matches in one of three ways, each answered by a GIN index:
    - as the start of a word, stemmed: "masennus" finds "masennusryhmää";
    - inside the lower-case text (trigram index): "syöpä" finds "rintasyöpään", where the Finnish
      compound puts it last;
    - as a misspelt word of a list label (label_corrections): "skitsofernia" finds "Skitsofrenia",
      in any of the three languages.
    Trigram word similarity against each profile's whole text (`search_text %> word`) would catch
    typos in introductions too, but costs ~60 µs a row in the index recheck: 2.9 s for "masennus"
    at 50,000 profiles (make bench).

    Fit comes in tiers, best first: profiles whose name or lists (experience areas, tasks,
    languages, municipalities, organisation) hold every word, then the other matches (`tiers`
    lists each tier's condition including the better tiers: SearchResults). Within a tier
    fair rotation decides (ExpertProfileQuerySet.ranked). Tiers rather than ts_rank: ranking by a
    computed score reads every match (half of 50,000 profiles for "masennus", ~100 ms), while a tier
    is one more condition on the rotation-ordered index scan, which stops after a page.
    """

    def __init__(self, text: str):
        self.text = text.strip()
        words, excluded = search_terms(self.text)
        self.match = Q(search_document=SearchQuery(self.text, config="finnish", search_type="websearch"))
        self.tiers = [Q()]
        # Part of the match that the full-text index alone answers (SearchResults.count).
        self.probe: Q | None = None
        # With websearch syntax the websearch query above decides alone and all its matches fit alike.
        if not words or WEBSEARCH_SYNTAX.search(self.text):
            return
        corrections = label_corrections(words)
        each_word, in_full_text, in_heading = [], [], []
        for word in words:
            # `word` is letters and digits only, so it is safe in to_tsquery's syntax.
            terms = SearchQuery(f"{word}:*", config="finnish", search_type="raw")
            for label_word in sorted(corrections.get(word, ())):
                terms |= SearchQuery(label_word, config="finnish")
            each_word.append(Q(search_document=terms) | Q(search_text__contains=word))
            in_full_text.append(Q(search_document=terms))
            in_heading.append(Q(heading_document=terms))
        not_excluded = [~Q(search_document=SearchQuery(word, config="finnish")) for word in excluded]
        self.match = Q(*each_word, *not_excluded)
        self.tiers = [Q(*in_heading), Q()]
        self.probe = Q(*in_full_text, *not_excluded)


class SearchResults:
    """The ranked matches of a search, in pages: what Paginator needs (count() and slicing).

    `count()` reads at most `cap + 1` matches, in ranked order: past the cap, the exact number helps
    nobody choose. When the matches are within the cap, that one query has also found every page's
    ids. A broader search reads each page's ids tier by tier instead: an indexed scan in ranked
    order that stops at the page's end. Then the page's rows come with their lists (attach_facet_lists).
    """

    ordered = True  # for Paginator's check

    def __init__(
        self, queryset, text_query: "TextQuery | None" = None, *, cap: int | None = None, lists=None, probe=None
    ):
        self.queryset = queryset
        self.tiers = text_query.tiers if text_query else [Q()]
        self.probe = probe  # some of the matches, cheaper to count: ExpertFilter.count_probe
        self.cap = cap
        self.lists = lists  # taxonomy_lists(), if the caller has them already
        self.matches: list[int] | None = None  # every match's id in ranked order, if within the cap

    def count(self) -> int:
        if self.cap is None:
            return self.queryset.count()
        if self.probe is not None:
            # A broad word: the full-text index alone finds more than the cap, and the substring
            # match, the slowest part to read (a trigram index or a check per row), is not needed.
            # "vertaistukiryhmä" at 50,000: ~30 ms for the whole match, ~6 ms for this (make bench).
            if self.probe.order_by()[: self.cap + 1].count() > self.cap:
                return self.cap + 1
        # The inner LIMIT without ORDER BY lets the database stop at the cap; the outer ORDER BY then
        # sorts at most cap + 1 rows. Ranked order: the first tier that holds, then ranked().
        better = [When(tier, then=Value(n)) for n, tier in enumerate(self.tiers[:-1])]
        fit = Case(*better, default=Value(len(better))) if better else Value(0)
        rows = self.queryset.order_by().annotate(fit=fit, name=Lower("display_name"))
        rows = rows.values_list("pk", "fit", "recent_assignments", "name")[: self.cap + 1]
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM ({sql}) matches ORDER BY 2, 3, 4, 1", params)  # noqa: S608 - the ORM's SQL
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= self.cap:
            self.matches = ids
        return len(ids)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("SearchResults supports only slices")
        start, stop = item.start or 0, item.stop
        ids = self.matches[start:stop] if self.matches is not None else self.ranked_ids(start, stop)
        if not ids:
            return []
        rows = self.queryset.model.objects.filter(pk__in=ids).defer(*SEARCH_COLUMNS).select_related("organisation")
        by_pk = {profile.pk: profile for profile in rows}
        return attach_facet_lists([by_pk[pk] for pk in ids if pk in by_pk], self.lists or taxonomy_lists())

    def ranked_ids(self, start: int, stop: int | None) -> list[int]:
        # Each tier holds the ones before it (the last is every match), so that each is one plain
        # condition whose row count the planner estimates well. "Not in a better tier" is correlated
        # with the match: the planner overestimates it and scans the whole rotation index looking
        # for rows that are not there (370 ms for "skitsofernia" at 50,000 profiles).
        # A tier is read only while the slice is not yet full; the better tiers then held fewer rows
        # than `stop`, all of them in `ids`, so `stop + len(ids)` rows of the next one are enough.
        ids: list[int] = []
        for tier in self.tiers:
            if stop is not None and len(ids) >= stop:
                break
            rows = self.queryset.filter(tier).ranked().values_list("pk", flat=True)
            seen = set(ids)
            ids += [pk for pk in (rows if stop is None else rows[: stop + len(ids)]) if pk not in seen]
        return ids[start:stop]


class HeldExperience(NamedTuple):
    """A search card's experience entry: what the card reads of a ProfileExperience, without one."""

    area: ExperienceArea
    relation: str

    def get_relation_display(self) -> str:
        return Relation(self.relation).label


# Large columns that only WHERE and ORDER BY need.
SEARCH_COLUMNS = ("search_document", "search_text", "heading_document")


def attach_facet_lists(profiles: list, lists: dict[str, list[Taxonomy]]) -> list:
    """Give search result cards what for_list()'s prefetches give other pages (`experience_list`,
    `task_list`, `language_list`, `municipality_list`), read from the profiles' facets (the very data
    the search matched) and `lists` (taxonomy_lists()). No query: a prefetch made a model instance
    of each of ~200 list entries on 25 cards, half of a search page's time (make bench)."""
    kinds = {
        "area": "experience_list",
        "task": "task_list",
        "language": "language_list",
        "municipality": "municipality_list",
    }
    for profile in profiles:
        held: dict[str, dict[int, str]] = {kind: {} for kind in kinds}
        for token in profile.facets:
            kind, value, *relation = token.split(":")
            # An area's entry is the one with the relation ("area:5:own"); "area:5" is for the facet.
            if kind in kinds and (kind != "area" or relation):
                held[kind][int(value)] = relation[0] if relation else ""
        for kind, attribute in kinds.items():
            mine = held[kind]
            items = [item for item in lists[kind] if item.pk in mine]
            if kind == "area":
                items = [HeldExperience(area, mine[area.pk]) for area in items]
            setattr(profile, attribute, items)
    return profiles
