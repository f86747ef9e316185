"""The coordinators' free-text search and its ranked, paged results."""

import functools
import time
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchQuery
from django.db import connection, models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kokemuspankki import text as analysis

from ..text_search import WEBSEARCH_SYNTAX, allowed_edits, edit_distance, search_terms
from .choices import Relation
from .taxonomies import TAXONOMIES, ExperienceArea, Taxonomy, taxonomy_lists

# A word is read as a misspelling when pg_trgm finds a stored word or a list label near it (a cheap,
# generous shortlist) and the word is at most allowed_edits() away from it (the actual judgement):
# "skitsofernia" is one swap from "skitsofrenia", while "vertaistukiryhmä" is a real word, not a typo
# of "vertaisryhmä".
LABEL_SHORTLIST_SIMILARITY = 0.3


class SearchWord(models.Model):
    """A term of the profiles' search documents (kokemuspankki.text), for reading a query word as a
    misspelling of one: "masenus" → masennus, in introductions as well as in list labels.

    services.refresh_search_document() adds a profile's terms; tasks.rebuild_search_words() makes the
    table anew each night from the listed profiles, so that words of removed profiles go."""

    word = models.CharField(_("word"), max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [GinIndex(OpClass("word", name="gin_trgm_ops"), name="search_word_trgm")]

    def __str__(self) -> str:
        return self.word


def corrections(
    words: list[str], forms: dict[str, Iterable[str]] | None = None, known: Iterable[str] = ()
) -> dict[str, set[str]]:
    """{word: the stored terms and list-label words (folded) that `word` is a misspelling of}.

    `words` are folded query words, `forms` each one's other forms (base forms): a word is spelt
    right when it or one of these is stored. One statement: which of them the search documents hold,
    stored terms near each word (pg_trgm's `%` on SearchWord's index), and list labels near it in any
    language (tens of rows); the edit distance decides. A word in `known` is a word of the dictionaries
    (not stored anywhere): it is read only as a misspelt base form ("psykosi" → psykoosi), not as a
    neighbour in another sense ("kuulo" is not "kuulun")."""
    if not words:
        return {}
    in_dictionary = set(known)
    forms = forms or {}
    every_form = sorted({form for word in words for form in (word, *forms.get(word, ()))})
    columns = tuple(f"name_{code}" for code, _name in settings.LANGUAGES)
    stored: set[str] = set()
    near: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_corrections_sql(columns), [list(words), list(words), LABEL_SHORTLIST_SIMILARITY, every_form])
        for word, candidate, source in cursor.fetchall():
            if source == "known":
                stored.add(word)
            else:
                near.setdefault(word, set()).update(analysis.fold(w) for w in analysis.words(candidate))
    found = {}
    for word, candidates in near.items():
        # A word that is itself stored or in a label is spelt right ("lahti"), even if another is near.
        if stored & {word, *forms.get(word, ())} or word in candidates:
            continue
        close = {candidate for candidate in candidates if candidate != word and is_misspelt(word, candidate)}
        if word in in_dictionary:
            close = {candidate for candidate in close if _is_base_form(candidate)}
        if close:
            found[word] = close
    return found


def is_misspelt(word: str, stored: str) -> bool:
    """Whether `word` reads as a misspelling of `stored`: within allowed_edits() of it, or of its
    length a misspelt start of it with an ending added ("retkahdkset" → the stored base form
    "retkahdus": the stored forms are base forms and the words as written, not every inflection)."""
    if edit_distance(word, stored) <= allowed_edits(word):
        return True
    # One edit in the start, not none: a stored word that the query word merely begins with is
    # another word ("hameen" in "hameenlinna").
    return len(stored) >= PREFIX_MIN and len(word) > len(stored) and edit_distance(word[: len(stored)], stored) == 1


def _is_base_form(folded: str) -> bool:
    return any(analysis.fold(form) == folded for form in analysis.base_forms(folded))


# A stored word this long or longer may be the misspelt start of a query word (is_misspelt).
PREFIX_MIN = 6


# corrections() of recent searches, per process: live filtering sends the same words again with each
# condition added, and the stored words change slowly (a profile's new words are read as typo targets
# at most this many seconds late).
CORRECTIONS_TTL = 60
_recent: dict[tuple, tuple[float, dict[str, set[str]]]] = {}


def recent_corrections(words: list[str], forms: dict[str, Iterable[str]], known: set[str]) -> dict[str, set[str]]:
    """corrections(), remembered for CORRECTIONS_TTL seconds (a query less on a repeated search)."""
    key = (tuple(words), tuple((word, tuple(sorted(forms.get(word, ())))) for word in words), tuple(sorted(known)))
    now = time.monotonic()
    hit = _recent.get(key)
    if hit and hit[0] > now:
        return hit[1]
    if len(_recent) > 1000:
        _recent.clear()
    found = corrections(words, forms, known)
    _recent[key] = (now + CORRECTIONS_TTL, found)
    return found


def clear_recent_corrections() -> None:
    _recent.clear()


def label_corrections(words: list[str]) -> dict[str, set[str]]:
    """corrections() from the list labels only, for words as typed (tests and callers of old)."""
    return corrections([analysis.fold(word) for word in words])


@functools.cache
def _corrections_sql(columns: tuple[str, ...]) -> str:
    """See corrections(). Written once: the same query built with the ORM, a union of annotated
    querysets, took ~10 ms of Python per search to compile, for ~1 ms in the database."""
    tables = [model._meta.db_table for model in TAXONOMIES.values()]
    names = ", ".join(f'"{column}"' for column in columns)
    labels = " UNION ALL ".join(f'SELECT {names} FROM "{table}"' for table in tables)  # noqa: S608
    closeness = ", ".join(f'word_similarity(words.word, labels."{column}")' for column in columns)
    picked = " || ' ' || ".join(f"COALESCE(labels.\"{column}\", '')" for column in columns)
    stored = SearchWord._meta.db_table
    # Table and column names come from the models and settings.LANGUAGES; the words are parameters.
    return (
        f"SELECT words.word, stored.word, 'stored' FROM unnest(%s::text[]) AS words(word) "  # noqa: S608
        f'JOIN "{stored}" AS stored ON stored.word %% words.word '
        f"UNION ALL SELECT words.word, {picked}, 'label' FROM unnest(%s::text[]) AS words(word) "
        f"CROSS JOIN ({labels}) AS labels WHERE GREATEST({closeness}) >= %s "
        f"UNION ALL SELECT words.word, '', 'known' FROM unnest(%s::text[]) AS words(word) "
        f'WHERE EXISTS (SELECT 1 FROM "{stored}" AS stored WHERE stored.word = words.word)'
    )


class Synonyms:
    """The admin-kept lists as groups of words that mean the same for search: each item's names in
    every language and its `related_words` ("Masennus", "Depression", "masentunut", ...). A query word
    that is one of a group's words also asks for the others; a group's word of several words
    ("kaksisuuntainen mielialahäiriö") asks for all of them, and is read as one when typed."""

    @classmethod
    def of(cls, lists: dict[str, list[Taxonomy]]) -> "Synonyms":
        """The groups of these lists, made once per content of the lists (read every request)."""
        columns = [f"name_{code}" for code, _name in settings.LANGUAGES]
        groups = []
        for items in lists.values():
            for item in items:
                entries = [getattr(item, column, "") or "" for column in columns]
                entries += [entry for line in item.related_words.splitlines() for entry in line.split(",")]
                groups.append(tuple(entry for entry in entries if entry.strip()))
        return _synonyms(tuple(groups))

    def __init__(self, groups: tuple[tuple[str, ...], ...]):
        """`groups`: each item's words (names and related words)."""
        self.groups: list[frozenset[analysis.Clause]] = []
        self.phrases: list[tuple[tuple[frozenset[str], ...], int]] = []  # (each word's terms, group)
        for entries in groups:
            self._add(entries)
        self.by_term: dict[str, list[int]] = {}
        for number, group in enumerate(self.groups):
            for clause in group:
                if len(clause) == 1:
                    self.by_term.setdefault(clause[0], []).append(number)

    def _add(self, entries: tuple[str, ...]) -> None:
        group: set[analysis.Clause] = set()
        number = len(self.groups)
        for entry in entries:
            words = analysis.analyse(entry)
            if len(words) == 1:
                group |= {(term,) for term in _base_terms(words[0].text)}
            elif words:
                group.add(tuple(sorted({min(_base_terms(word.text)) for word in words})))
                self.phrases.append((tuple(frozenset(_base_terms(word.text)) for word in words), number))
        self.groups.append(frozenset(group))

    def of_word(self, word: str) -> frozenset[analysis.Clause]:
        """Every clause of the groups that hold `word` (as typed)."""
        found: set[analysis.Clause] = set()
        for term in _base_terms(word):
            for number in self.by_term.get(term, ()):
                found |= self.groups[number]
        return frozenset(found)

    def phrases_in(self, words: list[str]) -> list[tuple[int, int, frozenset[analysis.Clause]]]:
        """(start, end, the group's clauses) of each group word of several words that `words` hold."""
        found = []
        for parts, number in self.phrases:
            for start in range(len(words) - len(parts) + 1):
                span = words[start : start + len(parts)]
                if all(_base_terms(word) & terms for word, terms in zip(span, parts, strict=True)):
                    found.append((start, start + len(parts), self.groups[number]))
        return found


@functools.lru_cache(maxsize=4)
def _synonyms(groups: tuple[tuple[str, ...], ...]) -> Synonyms:
    return Synonyms(groups)


@functools.lru_cache(maxsize=20_000)
def _base_terms(word: str) -> frozenset[str]:
    """A word as typed and its base forms, folded: what makes two words the same word for synonyms
    (no stems or parts: "masennusryhmä" is not a synonym of everything masennus is)."""
    lower = word.lower()
    return frozenset(analysis.fold(form) for form in (lower, *analysis.base_forms(lower)))


class TextQuery:
    """A coordinator's free text: which profiles it matches (`match`) and how well (`tiers`).

    The text matches as a Finnish websearch query ("quotes", or, -not), or when each of its words
    matches in one of these ways, each answered by a GIN index:
    - as one of its forms (kokemuspankki.text): base forms in Finnish and Swedish, folded accents,
      derivations, compound parts ("Lahdessa" finds Lahti, "hameenlinna" Hämeenlinna, "päihteet"
      päihde, "syöpä" rintasyöpä, "kuntoutus" kuntoutuja, "beroende" beroendet);
    - as a word of the same synonym group of the admin-kept lists (Synonyms: "masentunut" finds
      Masennus, "bipolaarinen" Kaksisuuntainen mielialahäiriö);
    - as a misspelling of a stored word or a list label (corrections(): "skitsofernia", "masenus");
    - stemmed by PostgreSQL's Finnish snowball stemmer (as a prefix for a word the dictionaries do not
      know, e.g. the start of a word), or inside the lower-case text (trigram index).
    `wanted` keeps each word's clauses for the result card's "found: päihteet" (explain()).

    Fit comes in tiers, best first: profiles whose name or lists (experience areas, tasks,
    languages, municipalities, organisation) hold every word, then the other matches (`tiers`
    lists each tier's condition including the better tiers: SearchResults). Within a tier
    fair rotation decides (ExpertProfileQuerySet.ranked). Tiers rather than ts_rank: ranking by a
    computed score reads every match (half of 50,000 profiles for "masennus", ~100 ms), while a tier
    is one more condition on the rotation-ordered index scan, which stops after a page.
    """

    def __init__(self, text: str, lists: dict[str, list[Taxonomy]] | None = None):
        self.text = text.strip()
        words, excluded = search_terms(self.text)
        self.match = Q(search_document=SearchQuery(self.text, config="finnish", search_type="websearch"))
        self.tiers = [Q()]
        self.wanted: list[frozenset[analysis.Clause]] = []
        # Part of the match that the full-text index alone answers (SearchResults.count).
        self.probe: Q | None = None
        # With websearch syntax the websearch query above decides alone and all its matches fit alike.
        if not words or WEBSEARCH_SYNTAX.search(self.text):
            return
        # Stop words ("olen", "och") ask for nothing, unless there is nothing else.
        words = [word for word in words if analysis.terms(word)] or words
        synonyms = Synonyms.of(taxonomy_lists() if lists is None else lists)
        concepts = self._concepts(words, synonyms)
        # A word is read as a typo only when neither it nor its base forms are stored: a word the
        # dictionaries know may still be a typo ("psykosi" is psyko + -si, and nobody wrote that).
        folded = {analysis.fold(word): _base_terms(word) for word in words}
        in_dictionary = {word for word in words if analysis.is_known(word)}
        known = {analysis.fold(word) for word in in_dictionary}
        fixes = recent_corrections(sorted(folded), folded, known)
        each_word, in_full_text, in_heading = [], [], []
        for word, clauses in concepts:
            clauses = set(clauses)
            for fix in fixes.get(analysis.fold(word), ()):
                clauses |= {(fix,)} | _own_forms_only(synonyms.of_word(fix))
            self.wanted.append(frozenset(clauses))
            # `word` is letters and digits only, and so is every term: safe in to_tsquery's syntax.
            # The snowball stem as a prefix only for a word the dictionaries do not know (a part of a
            # word, a rare one): "psykoosi" as psyko:* would find "psykologilla".
            prefix = "" if word in in_dictionary else ":*"
            terms = SearchQuery(f"{word}{prefix}", config="finnish", search_type="raw")
            if clauses:
                terms |= SearchQuery(_tsquery(clauses), config="simple", search_type="raw")
            each_word.append(Q(search_document=terms) | Q(search_text__contains=word))
            in_full_text.append(Q(search_document=terms))
            in_heading.append(Q(heading_document=terms))
        not_excluded = [~Q(search_document=SearchQuery(word, config="finnish")) for word in excluded]
        self.match = Q(*each_word, *not_excluded)
        self.tiers = [Q(*in_heading), Q()]
        self.probe = Q(*in_full_text, *not_excluded)

    @staticmethod
    def _concepts(words: list[str], synonyms: Synonyms) -> list[tuple[str, frozenset[analysis.Clause]]]:
        """(word, the clauses any of which it asks for) of each word; a synonym group's word of
        several words counts as one, named by its first word."""
        concepts = []
        phrases = {start: (end, clauses) for start, end, clauses in synonyms.phrases_in(words)}
        position = 0
        while position < len(words):
            word = words[position]
            if position in phrases:
                end, clauses = phrases[position]
                joined = [analysis.query_clauses(each) for each in words[position:end]]
                phrase = tuple(sorted({min(_base_terms(each)) for each in words[position:end]}))
                concepts.append((word, _own_forms_only(clauses) | {phrase} | frozenset().union(*joined)))
                position = end
                continue
            concepts.append((word, analysis.query_clauses(word) | _own_forms_only(synonyms.of_word(word))))
            position += 1
        return concepts

    def explain(self, texts: Iterable[str], limit: int = 4) -> list[str]:
        """The words of `texts` (as written, each once) that matched the query: the result card's
        "found: päihteet, alkoholista". Only texts the viewer may see are given."""
        found: dict[str, str] = {}
        if not self.wanted:
            return []
        terms = {term for clauses in self.wanted for clause in clauses for term in clause}
        any_form = frozenset(term for term in terms if not term.endswith(OWN_FORMS))
        own_form = frozenset(term.removesuffix(OWN_FORMS) for term in terms if term.endswith(OWN_FORMS))
        for text in texts:
            for word in analysis.matching_words(text, any_form, own_form):
                found.setdefault(word.lower(), word)
                if len(found) >= limit:
                    return list(found.values())
        return list(found.values())


def _tsquery(clauses: Iterable[analysis.Clause]) -> str:
    """Clauses as to_tsquery text: any of them, each with all its terms. A term asks for a word's own
    form or a compound's part (PART_MARK), a synonym's term (OWN_FORMS) for an own form only."""

    def term(each: str) -> str:
        own = each.removesuffix(OWN_FORMS)
        return own if own != each else f"{each} | {PART_MARK}{each}"

    return " | ".join(f"({' & '.join(f'({term(each)})' for each in clause)})" for clause in sorted(clauses))


# A synonym's term asks for words' own forms only (the marker is removed in _tsquery()).
OWN_FORMS = ":own"
# Compound parts are stored with this in front (services.search_vectors): "alkoholi" asks for
# riippuvuus, and the part "0riippuvuus" of "peliriippuvuus" is not that. A digit, so that the simple
# configuration keeps the term one lexeme; an own form never starts with one it does not have.
PART_MARK = "0"


def _own_forms_only(clauses: frozenset[analysis.Clause]) -> frozenset[analysis.Clause]:
    """Synonyms' clauses ask for words' own forms only: "alkoholi" asks for riippuvuus, which the part
    riippuvuus of "peliriippuvuus" is not (PART_MARK)."""
    return frozenset(tuple(term + OWN_FORMS for term in clause) for clause in clauses)


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
