"""A campaign's figures for staff: responses and notes per channel, and per question the counts of
each choice, the 1–5 distribution with its mean, or the number of texts; all under a filter by
channel, age group and municipality.

Every figure is a GROUP BY in SQL, so the page runs the same few queries at 10 answers and at 100,000
(demo/hearings_analysis_bench.py measures it). The small-number rule is applied here, before anything
reaches a template or an export: see MIN_RESPONSES.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet

from .models import Answer, Campaign, Channel, Note, Question, QuestionKind, Response, Theme

# A filter that leaves fewer responses than this shows no figures: one 75+ respondent from a small
# municipality would otherwise be readable from the figures ("the one who answered 1 star"). Without
# a filter staff see every answer anyway (the exports have them all), so the rule is for filters.
MIN_RESPONSES = 5
TWO = Decimal("0.01")


@dataclass(frozen=True)
class Filters:
    """The analysis's filter (AnalysisFilterForm's cleaned data); empty values mean "all"."""

    channel: str = ""
    age_group: str = ""
    municipality: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.channel or self.age_group or self.municipality)

    @property
    def by_background(self) -> bool:
        """Notes have no age group or municipality: a background filter leaves them out."""
        return bool(self.age_group or self.municipality)

    def responses(self, campaign: Campaign) -> QuerySet:
        return Response.objects.filter(campaign=campaign, **self.lookups(""))

    def answers(self, question_ids: list[int]) -> QuerySet:
        return Answer.objects.filter(question_id__in=question_ids, **self.lookups("response__"))

    def notes(self, campaign: Campaign) -> QuerySet:
        if self.by_background:
            return Note.objects.none()
        notes = Note.objects.filter(campaign=campaign)
        return notes.filter(channel=self.channel) if self.channel else notes

    def lookups(self, prefix: str) -> dict:
        lookups = {}
        if self.channel:
            lookups[f"{prefix}channel"] = self.channel
        if self.age_group:
            lookups[f"{prefix}age_group"] = self.age_group
        if self.municipality:
            lookups[f"{prefix}municipality_id"] = self.municipality
        return lookups

    def cache_key(self) -> str:
        return f"{self.channel}:{self.age_group}:{self.municipality or ''}"


def mean(total: int, n: int) -> Decimal | None:
    return (Decimal(total) / n).quantize(TWO, ROUND_HALF_UP) if n else None


def percent(count: int, n: int) -> int:
    return round(100 * count / n) if n else 0


@dataclass
class QuestionResult:
    question: Question
    n: int = 0  # respondents who answered the question (a multiple choice counts a person once)
    counts: dict = field(default_factory=dict)  # choice id or 1..5 -> answers
    texts: int = 0

    def bars(self) -> list[tuple[str, int, int]]:
        """(label, count, percent of n) per choice, or per point of the 1–5 scale."""
        if self.question.kind == QuestionKind.LIKERT:
            labels = [(value, str(value)) for value in range(1, 6)]
        else:
            labels = [(choice.pk, choice.label) for choice in self.question.choices.all()]
        return [(label, self.counts.get(key, 0), percent(self.counts.get(key, 0), self.n)) for key, label in labels]

    @property
    def mean(self) -> Decimal | None:
        if self.question.kind != QuestionKind.LIKERT:
            return None
        return mean(sum(value * count for value, count in self.counts.items()), self.n)


@dataclass
class ChannelCount:
    channel: str
    label: str
    responses: int
    notes: int


@dataclass
class Analysis:
    campaign: Campaign
    filters: Filters
    responses: int
    channels: list[ChannelCount]
    questions: list[QuestionResult]

    @property
    def notes(self) -> int:
        return sum(row.notes for row in self.channels)

    @property
    def too_few(self) -> bool:
        return self.filters.active and self.responses < MIN_RESPONSES


def campaign_questions(campaign: Campaign) -> list[Question]:
    """The campaign's questions with their choices (2 queries)."""
    return list(campaign.questions.prefetch_related("choices"))


def analyse(campaign: Campaign, filters: Filters, questions: list[Question]) -> Analysis:
    """The figures under `filters`. Queries: responses by channel, notes by channel, and (unless the
    filter leaves too few) answers by question, choice and value, and the people who answered each
    multiple-choice question."""
    responses = dict(filters.responses(campaign).values_list("channel").annotate(n=Count("*")).order_by())
    notes = dict(filters.notes(campaign).values_list("channel").annotate(n=Count("*")).order_by())
    channels = [
        ChannelCount(value, label, responses.get(value, 0), notes.get(value, 0))
        for value, label in Channel.choices
        if value in campaign.channels or responses.get(value) or notes.get(value)
    ]
    analysis = Analysis(campaign, filters, sum(responses.values()), channels, [])
    if analysis.too_few:
        # Nothing under a too narrow filter leaves this module, not even through a template's mistake.
        return analysis
    results = {question.pk: QuestionResult(question) for question in questions}
    answers = filters.answers(list(results))
    grouped = answers.values_list("question_id", "choice_id", "value").annotate(n=Count("*")).order_by()
    for question_id, choice_id, value, n in grouped:
        result = results[question_id]
        if choice_id is not None:
            result.counts[choice_id] = n
        elif value is not None:
            result.counts[value] = n
        else:
            result.texts += n
    for result in results.values():
        # One answer row per person for a single choice or a scale point: n is the sum of the counts.
        result.n = result.texts if result.question.kind == QuestionKind.TEXT else sum(result.counts.values())
    # A multiple choice has a row per ticked choice, so its people are counted apart: only its rows
    # (COUNT DISTINCT over every answer took 65 ms of the page's 110 ms of SQL at 100,000 answers).
    several = [pk for pk, result in results.items() if result.question.kind == QuestionKind.MULTIPLE]
    if several:
        respondents = (
            filters.answers(several).values_list("question_id").annotate(n=Count("response_id", distinct=True))
        )
        for question_id, n in respondents.order_by():
            results[question_id].n = n
    analysis.questions = list(results.values())
    return analysis


@dataclass
class ThemeCount:
    theme: Theme
    answers: int = 0
    notes: int = 0

    @property
    def total(self) -> int:
        return self.answers + self.notes


def theme_counts(campaign: Campaign, filters: Filters) -> list[ThemeCount]:
    """Each theme of the campaign with the answers and notes tagged with it under `filters`.
    Queries: the themes, answers per theme, notes per theme."""
    counts = {theme.pk: ThemeCount(theme) for theme in campaign.themes.all()}
    if not counts:
        return []
    tagged_answers = Answer.themes.through.objects.filter(theme_id__in=list(counts))
    for theme_id, n in (
        tagged_answers.filter(**filters.lookups("answer__response__"))
        .values_list("theme_id")
        .annotate(n=Count("*"))
        .order_by()
    ):
        counts[theme_id].answers = n
    notes = filters.notes(campaign).filter(themes__in=list(counts))
    for theme_id, n in notes.values_list("themes").annotate(n=Count("*")).order_by():
        counts[theme_id].notes = n
    return list(counts.values())


def text_answers(filters: Filters, question_ids: list[int], *, theme=None) -> QuerySet:
    """The free-text answers to `question_ids` under `filters`; `theme` a Theme, "none" for the
    untagged, or None for all. In stored order, which says nothing of the time of day (no time is
    stored) but keeps the pages stable while staff tag them."""
    answers = filters.answers(question_ids).exclude(text="")
    if theme == "none":
        answers = answers.filter(themes=None)
    elif theme is not None:
        answers = answers.filter(themes=theme)
    return answers.order_by("pk")


def notes_for(campaign: Campaign, filters: Filters, *, theme=None) -> QuerySet:
    notes = filters.notes(campaign)
    if theme == "none":
        notes = notes.filter(themes=None)
    elif theme is not None:
        notes = notes.filter(themes=theme)
    return notes.order_by("held_on", "pk")
