"""The search evaluation set (search_evaluation.py) through the real search path: recall per category
and precision violations. Run with -s to see the table; the figures are also in the failure message."""

import pytest

from experts.filters import ExpertFilter
from experts.models import ExpertProfile
from kokemuspankki import text as analysis
from tests.experts.search_evaluation import CASES, CATEGORIES, Case
from tests.factories import ExpertProfileFactory

MIN_RECALL = 0.95


def found_names(query: str) -> set[str]:
    search = ExpertFilter({"q": query}, queryset=ExpertProfile.objects.listed())
    assert search.is_valid(), search.errors
    return set(search.qs.values_list("display_name", flat=True))


def table(results: list[tuple[Case, bool]]) -> str:
    lines = [f"{'category':<22}{'cases':>6}{'should find':>13}{'found':>7}{'recall':>8}{'must not':>10}{'found':>7}"]
    for category in CATEGORIES:
        rows = [(case, hit) for case, hit in results if case.category == category]
        positives = [hit for case, hit in rows if case.expected_found]
        negatives = [hit for case, hit in rows if not case.expected_found]
        recall = f"{sum(positives) / len(positives):.0%}" if positives else "-"
        lines.append(
            f"{category:<22}{len(rows):>6}{len(positives):>13}{sum(positives):>7}{recall:>8}"
            f"{len(negatives):>10}{sum(negatives):>7}"
        )
    return "\n".join(lines)


def test_the_evaluation_set_is_well_formed():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), "case ids repeat"
    assert len(CASES) >= 50
    assert {case.category for case in CASES} == set(CATEGORIES)
    assert all(case.bio or case.lists for case in CASES)
    assert any(not case.expected_found for case in CASES)
    # The display name is searched too: no case may be found by its own name.
    query_terms = analysis.all_terms(case.query for case in CASES)
    assert not set(analysis.all_terms(ids)) & set(query_terms)


@pytest.mark.django_db
def test_search_evaluation_recall_and_precision(capsys):
    for case in CASES:
        ExpertProfileFactory(display_name=case.id, bio=case.bio, **(case.lists or {}))
    results = [(case, case.id in found_names(case.query)) for case in CASES]

    positives = [(case, hit) for case, hit in results if case.expected_found]
    recall = sum(hit for _case, hit in positives) / len(positives)
    missed = [case for case, hit in positives if not hit]
    violations = [case for case, hit in results if not case.expected_found and hit]

    report = [
        table(results),
        f"recall {recall:.1%} ({len(positives) - len(missed)}/{len(positives)}), "
        f"precision violations {len(violations)}/{len(results) - len(positives)}",
    ]
    report += [f"missed: {case.id} ({case.category}): {case.query!r} in {case.bio!r}" for case in missed]
    report += [f"found but must not be: {case.id}: {case.query!r} in {case.bio!r}" for case in violations]
    message = "\n".join(report)
    with capsys.disabled():
        print(f"\n{message}")  # noqa: T201 - the evaluation's figures, for -s and CI logs

    assert recall >= MIN_RECALL and not violations, message
