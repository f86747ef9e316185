"""A round's figures, and a series' trend, with the anonymity rule applied before anything leaves here.

The rule: nothing of a round shows until `round.threshold` people have answered it; then an item's
figures show only when at least that many answered the item itself (a number of stars, a choice or a
text; "I cannot say" is counted but does not make the item's n). Section and overall averages use
only items that show. Every page, chart and export reads these objects, so the rule is in one place.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from .models import Answer, Channel, Item, ItemAnswer, ItemKind, Round, TextAnswer

TWO = Decimal("0.01")


def mean(total: int, n: int) -> Decimal | None:
    return (Decimal(total) / n).quantize(TWO, ROUND_HALF_UP) if n else None


@dataclass
class ItemResult:
    item: Item
    n: int = 0  # answered with stars, a choice or a text
    dont_know: int = 0
    distribution: list[int] = field(default_factory=lambda: [0] * 5)  # people per 1..5 stars
    choices: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    shown: bool = False

    @property
    def total(self) -> int:
        return sum(stars * count for stars, count in zip(range(1, 6), self.distribution, strict=True))

    @property
    def mean(self) -> Decimal | None:
        return mean(self.total, self.n) if self.item.kind == ItemKind.SCALE else None

    def bars(self) -> list[tuple[int, int, int]]:
        """(stars, people, percent of n) for the chart."""
        return [
            (stars, count, round(100 * count / self.n) if self.n else 0)
            for stars, count in zip(range(1, 6), self.distribution, strict=True)
        ]


@dataclass
class Section:
    name: str
    total: int = 0
    n: int = 0

    @property
    def mean(self) -> Decimal | None:
        return mean(self.total, self.n)


@dataclass
class RoundResults:
    round: Round
    answers: int
    paper: int
    items: list[ItemResult]
    shown: bool

    @property
    def threshold(self) -> int:
        return self.round.threshold

    def sections(self) -> list[Section]:
        """The averages of the items that show, by section (the seed's "learning 4.8, training 4.9")."""
        sections: dict[str, Section] = {}
        for result in self.items:
            if result.shown and result.item.kind == ItemKind.SCALE:
                section = sections.setdefault(result.item.section, Section(result.item.section))
                section.total += result.total
                section.n += result.n
        return list(sections.values())

    @property
    def overall(self) -> Decimal | None:
        sections = self.sections()
        return mean(sum(s.total for s in sections), sum(s.n for s in sections))


def round_results(round_: Round, items: list[Item], *, shuffle: random.Random | None = None) -> RoundResults:
    """Queries: the answer counts by channel; the item answers grouped by item and value; the texts
    (only when the round shows)."""
    counts = dict(Answer.objects.filter(round=round_).values_list("channel").annotate(n=Count("pk")).order_by())
    answers = sum(counts.values())
    shown = answers >= round_.threshold
    results = {item.pk: ItemResult(item) for item in items}
    choice_counts: dict[int, dict[int, int]] = defaultdict(dict)
    grouped = (
        ItemAnswer.objects.filter(round=round_)
        .values_list("item_id", "value", "dont_know", "choice_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item_id, value, dont_know, choice_id, n in grouped:
        result = results.get(item_id)
        if result is None:
            continue
        if dont_know:
            result.dont_know += n
        elif choice_id is not None:
            choice_counts[item_id][choice_id] = n
            result.n += n
        else:
            result.distribution[value - 1] += n
            result.n += n
    if shown:
        texts = defaultdict(list)
        for item_id, text in TextAnswer.objects.filter(round=round_).values_list("item_id", "text"):
            texts[item_id].append(text)
        for item_id, listed in texts.items():
            if item_id in results:
                # Shuffled: stored order (insert order) would pair a comment with its neighbours in time.
                (shuffle or random.SystemRandom()).shuffle(listed)
                results[item_id].texts = listed
                results[item_id].n = len(listed)
    for result in results.values():
        if result.item.kind == ItemKind.CHOICE:
            result.choices = [
                (choice.label, choice_counts[result.item.pk].get(choice.pk, 0)) for choice in result.item.choices.all()
            ]
        result.shown = shown and result.n >= round_.threshold
        if not result.shown:
            # Nothing of a hidden item leaves this module, not even through a template's mistake.
            result.distribution, result.choices, result.texts = [0] * 5, [], []
            result.dont_know = 0 if not shown else result.dont_know
    return RoundResults(round_, answers, counts.get(Channel.PAPER, 0), list(results.values()), shown)


@dataclass
class TrendPoint:
    round: Round
    answers: int
    shown: bool
    means: dict[str, Decimal | None]  # item key -> mean, None when hidden
    overall: Decimal | None
    sections: dict[str, list[int]] = field(default_factory=dict)  # section -> [stars total, n] of shown items


def series_sections(points: list[TrendPoint]) -> list[Section]:
    """The series' averages by section over the items that show (the programme's "learning 4.8")."""
    sections: dict[str, Section] = {}
    for point in points:
        for name, (total, n) in point.sections.items():
            section = sections.setdefault(name, Section(name))
            section.total += total
            section.n += n
    return list(sections.values())


def series_trend(rounds: list[Round]) -> tuple[list[tuple[str, str]], list[TrendPoint]]:
    """The scale items of a series' rounds by key (the same question across form versions), and each
    round's means. Queries: answer counts of all rounds; their item answers grouped; the items."""
    ids = [r.pk for r in rounds]
    answer_counts = dict(Answer.objects.filter(round__in=ids).values_list("round").annotate(n=Count("pk")).order_by())
    items = {
        item.pk: item
        for item in Item.objects.filter(version__rounds__in=ids, kind=ItemKind.SCALE).distinct().order_by("order", "pk")
    }
    sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        ItemAnswer.objects.filter(round__in=ids, value__isnull=False)
        .values_list("round_id", "item_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for round_id, item_id, value, n in rows:
        item = items.get(item_id)
        if item is not None:
            entry = sums[(round_id, item.key)]
            entry[0] += value * n
            entry[1] += n
    keys: dict[str, str] = {}
    key_sections: dict[str, str] = {}
    for item in items.values():
        keys.setdefault(item.key, item.text)
        key_sections.setdefault(item.key, item.section)
    points = []
    for round_ in rounds:
        answers = answer_counts.get(round_.pk, 0)
        shown = answers >= round_.threshold
        means, total, n, sections = {}, 0, 0, {}
        for key in keys:
            s, c = sums.get((round_.pk, key), (0, 0))
            visible = shown and c >= round_.threshold
            means[key] = mean(s, c) if visible else None
            if visible:
                total, n = total + s, n + c
                section = sections.setdefault(key_sections[key], [0, 0])
                section[0] += s
                section[1] += c
        points.append(TrendPoint(round_, answers, shown, means, mean(total, n), sections))
    return list(keys.items()), points
