"""Themes of a campaign: adding, renaming and deleting them, tagging many free-text answers and notes
at once, and what the texts say most often (word frequencies, and suggested themes from them).

The words come from the shared text analysis (kokemuspankki/text.py): each word's base form in the
answer's language first ("terveysasemalle", "terveysaseman" → terveysasema; "Aukioloajat" →
aukioloaika), stop words out; a suggestion also counts a compound's parts ("pysäköintipaikkoja" →
pysäköinti, paikka), since a theme is often the part that many compounds share.
"""

import functools
import hashlib
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from kokemuspankki import text

from .analysis import Filters, notes_for, text_answers
from .models import Answer, Campaign, Note, Theme

# Base forms that say nothing of the topic, on top of text.STOP_WORDS (which lists word forms).
STOP_LEMMAS = (
    frozenset(
        "olla voida tulla pitää saada ei liian kauan hyvin aina joskus vain jokin joku mikään kukaan "
        "vara bli få göra kunna den denna någon ingen mycket bara".split()
    )
    | text.STOP_WORDS
)
# Word frequencies read at most this many texts (a random sample beyond it, kept in the cache): at 2,000
# short answers the lemmatising takes ~40 ms, at 20,000 over a second (measured; hearings bench).
WORD_SAMPLE = 2000
TOP_WORDS = 30
SUGGESTIONS = 12
WORDS_CACHE_SECONDS = 10 * 60


# --- Services --------------------------------------------------------------------------------------


def create_theme(*, campaign: Campaign, name: str) -> tuple[Theme, bool]:
    """The campaign's theme of that name (case does not matter), made when missing: adding the same
    theme twice (a double click, a suggestion clicked twice) gives one row."""
    name = " ".join(name.split())
    existing = campaign.themes.filter(name__iexact=name).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Theme.objects.create(campaign=campaign, name=name), True
    except IntegrityError:
        # Two posts at once: the other one made it.
        return campaign.themes.get(name__iexact=name), False


def rename_theme(*, theme: Theme, name: str) -> Theme:
    name = " ".join(name.split())
    if theme.campaign.themes.exclude(pk=theme.pk).filter(name__iexact=name).exists():
        raise ValidationError(_("The campaign already has a theme called “%(name)s”.") % {"name": name})
    theme.name = name
    theme.full_clean()
    theme.save(update_fields=["name"])
    return theme


@transaction.atomic
def tag_texts(*, campaign: Campaign, theme: Theme, answer_ids, note_ids, remove: bool = False) -> int:
    """Tag (or untag) many answers and notes with `theme` at once; ids of other campaigns' answers and
    notes are ignored. Returns how many rows changed. Tagging twice is harmless (ignore_conflicts on
    the through table's unique pair), so a double-submitted form changes nothing more."""
    if theme.campaign_id != campaign.pk:
        raise ValidationError(_("The theme is not one of this campaign's."))
    answers = list(
        Answer.objects.filter(pk__in=answer_ids, question__campaign=campaign)
        .exclude(text="")
        .values_list("pk", flat=True)
    )
    notes = list(Note.objects.filter(pk__in=note_ids, campaign=campaign).values_list("pk", flat=True))
    answer_links, note_links = Answer.themes.through.objects, Note.themes.through.objects
    if remove:
        removed = answer_links.filter(theme=theme, answer_id__in=answers).delete()[0]
        return removed + note_links.filter(theme=theme, note_id__in=notes).delete()[0]
    before = answer_links.filter(theme=theme).count() + note_links.filter(theme=theme).count()
    answer_links.bulk_create([answer_links.model(answer_id=pk, theme=theme) for pk in answers], ignore_conflicts=True)
    note_links.bulk_create([note_links.model(note_id=pk, theme=theme) for pk in notes], ignore_conflicts=True)
    return answer_links.filter(theme=theme).count() + note_links.filter(theme=theme).count() - before


# --- Words ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=100_000)
def word_forms(word: str, lang: str) -> tuple[str | None, tuple[str, ...]]:
    """(the base form of a word as written, or None for a stop word or a short one; its compound parts).
    The answer's language is asked first: "on" is olla in Finnish, not a Swedish preposition."""
    lower = word.lower()
    if len(lower) < text.MIN_LENGTH or lower in text.STOP_WORDS or lower.isdigit():
        return None, ()
    other = "sv" if lang == "fi" else "fi"
    lemma = text.base_form(lower, lang) or text.base_form(lower, other) or min(text.base_forms(lower), default=None)
    parts = text.parts_of(lower)
    if lemma is None and parts:
        # An unknown compound: the modifiers as written and the last part's base form
        # ("pysäköintipaikkoja" → pysäköintipaikka).
        lemma = _modifiers_as_written(lower, parts[-1]) + parts[-1]
    lemma = lemma or lower
    if lemma in STOP_LEMMAS:
        return None, ()
    return lemma, tuple(part for part in parts if part not in STOP_LEMMAS and part not in text.GENERIC_PARTS)


def _modifiers_as_written(word: str, head: str) -> str:
    for cut in range(text.MIN_PART, len(word) - 1):
        if head in (text.base_form(word[cut:], "fi"), text.base_form(word[cut:], "sv")):
            return word[:cut]
    return word[: max(len(word) - len(head), 0)]


@dataclass
class WordCounts:
    words: list[tuple[str, int]]  # the most frequent base forms, with their occurrences
    suggestions: list[tuple[str, int]]  # base forms and compound parts, with the texts they are in
    texts: int  # texts read
    total: int  # texts under the filter

    @property
    def sampled(self) -> bool:
        return self.texts < self.total


def count_words(texts: list[tuple[str, str]], themes: set[str], total: int) -> WordCounts:
    """`texts` as (text, language). A suggestion is a base form or compound part that is not a theme
    already, counted once per text that has it."""
    occurrences: Counter = Counter()
    documents: Counter = Counter()
    for body, lang in texts:
        seen = set()
        for word in text.words(body):
            lemma, parts = word_forms(word, lang if lang in text.LANGUAGES else "fi")
            if lemma:
                occurrences[lemma] += 1
                seen.add(lemma)
                seen.update(parts)
        documents.update(seen)
    taken = {text.fold(theme) for theme in themes}
    suggestions = [(term, n) for term, n in documents.most_common() if n > 1 and text.fold(term) not in taken]
    return WordCounts(occurrences.most_common(TOP_WORDS), suggestions[:SUGGESTIONS], len(texts), total)


def campaign_words(campaign: Campaign, filters: Filters, question_ids: list[int], themes: set[str]) -> WordCounts:
    """Word frequencies and suggested themes of the free-text answers and notes under `filters`,
    kept in the cache until an answer or note is added or the themes change. Queries: the count
    and newest id of the texts (answers, notes), and on a miss the texts themselves (answers, notes)."""
    answers = text_answers(filters, question_ids)
    notes = notes_for(campaign, filters)
    state = [answers.aggregate(n=Count("pk"), last=Max("pk")), notes.aggregate(n=Count("pk"), last=Max("pk"))]
    total = state[0]["n"] + state[1]["n"]
    fingerprint = hashlib.sha256(repr((state, sorted(themes), question_ids)).encode()).hexdigest()[:16]
    key = f"hearings:words:{campaign.pk}:{filters.cache_key()}:{fingerprint}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows = list(notes.values_list("title", "text")[:WORD_SAMPLE])
    texts = [(f"{title}. {body}", "fi") for title, body in rows]
    sample = answers.order_by("?") if state[0]["n"] > WORD_SAMPLE - len(texts) else answers
    texts += list(sample.values_list("text", "response__language")[: WORD_SAMPLE - len(texts)])
    counts = count_words(texts, themes, total)
    cache.set(key, counts, WORDS_CACHE_SECONDS)
    return counts
