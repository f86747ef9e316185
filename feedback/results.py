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

from django.db import connection
from django.db.models import Sum

from .models import Channel, Item, ItemKind, Round, Tally, TextAnswer

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


def answer_counts(round_: Round) -> dict[str, int]:
    """How many answered the round, by channel (the tallies' rows without an item)."""
    rows = Tally.objects.filter(round=round_, item=None).values_list("channel").annotate(total=Sum("n")).order_by()
    return dict(rows)


TEXTS_SHOWN = 100  # comments listed per question on the page; the exports have them all


def round_results(round_: Round, items: list[Item], *, texts: int | None = TEXTS_SHOWN, shuffle=None) -> RoundResults:
    """Queries: the round's tallies summed by item and value (a few dozen rows however many answered);
    the texts, a random sample of at most `texts` per question (all when None), only when the round
    shows."""
    results = {item.pk: ItemResult(item) for item in items}
    counts: dict[str, int] = defaultdict(int)
    choice_counts: dict[int, dict[int, int]] = defaultdict(dict)
    grouped = (
        Tally.objects.filter(round=round_)
        .values_list("item_id", "value", "dont_know", "choice_id", "channel")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for item_id, value, dont_know, choice_id, channel, n in grouped:
        if item_id is None:
            counts[channel] += n
            continue
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
    answers = sum(counts.values())
    shown = answers >= round_.threshold
    if shown:
        for item_id, listed, total in text_sample(round_, texts):
            if item_id in results:
                # Shuffled: stored order (insert order) would pair a comment with its neighbours in time.
                (shuffle or random.SystemRandom()).shuffle(listed)
                results[item_id].texts = listed
                results[item_id].n = total
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


# (item id, a random sample of its texts, how many in all) per question of one round; %s: the round,
# then the sample's size twice (NULL: all).
TEXT_SAMPLE_SQL = f"""
    SELECT item_id, array_agg(text), max(total) FROM (
        SELECT item_id, text, count(*) OVER (PARTITION BY item_id) AS total,
               row_number() OVER (PARTITION BY item_id ORDER BY random()) AS position
        FROM "{TextAnswer._meta.db_table}" WHERE round_id = %s) sample
    WHERE %s::int IS NULL OR position <= %s::int GROUP BY item_id"""  # noqa: S608 - the model's table


def text_sample(round_: Round, limit: int | None) -> list[tuple[int, list[str], int]]:
    """(item id, up to `limit` of its texts in random order, how many there are in all) per question."""
    with connection.cursor() as cursor:
        cursor.execute(TEXT_SAMPLE_SQL, [round_.pk, limit, limit])
        return [(item_id, list(listed), total) for item_id, listed, total in cursor.fetchall()]


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
    round's means. Queries: the rounds' tallies summed; their scale items."""
    ids = [r.pk for r in rounds]
    items = {
        item.pk: item
        for item in Item.objects.filter(version__rounds__in=ids, kind=ItemKind.SCALE).distinct().order_by("order", "pk")
    }
    answer_counts: dict[int, int] = defaultdict(int)
    sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        Tally.objects.filter(round__in=ids, dont_know=False, choice__isnull=True)
        .values_list("round_id", "item_id", "value")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for round_id, item_id, value, n in rows:
        if item_id is None:
            answer_counts[round_id] += n
            continue
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
