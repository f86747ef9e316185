"""The quick reading of a plainly valid answer accepts only what AnswerForm accepts, and reads it the
same way (views.public uses it before building the form)."""

import pytest
from django.http import QueryDict

from hearings.answering import forget_specs, form_spec
from hearings.forms_public import AnswerForm, quick_filled
from tests.hearings.public_helpers import campaign_with_questions, filled, municipality

pytestmark = pytest.mark.django_db


def query(data: dict) -> QueryDict:
    result = QueryDict(mutable=True)
    for name, value in data.items():
        result.setlist(name, value if isinstance(value, list) else [value])
    return result


def variants(campaign, questions, place):
    text, single, multiple, likert = (questions[k].pk for k in ("text", "single", "multiple", "likert"))
    choice = str(questions["single"].choices.first().pk)
    boxes = [str(pk) for pk in questions["multiple"].choices.values_list("pk", flat=True)]
    yield {}
    yield {f"q_{text}": "  välilyönnit ympärillä  "}
    yield {f"q_{text}": ""}
    yield {f"q_{text}": "   "}
    yield {f"q_{text}": "x" * 4000}
    yield {f"q_{text}": "x" * 4001}
    yield {f"q_{text}": "nul\x00"}
    yield {f"q_{single}": ""}
    yield {f"q_{single}": [choice, choice]}
    yield {f"q_{single}": boxes[0]}
    yield {f"q_{single}": " " + choice}
    yield {f"q_{multiple}": []}
    yield {f"q_{multiple}": [""]}
    yield {f"q_{multiple}": [boxes[0], boxes[0]]}
    yield {f"q_{multiple}": [boxes[0], "999999"]}
    yield {f"q_{multiple}": [choice]}
    yield {f"q_{likert}": ""}
    for value in ("0", "1", "5", "6", "x", " 3", "3.0"):
        yield {f"q_{likert}": value}
    yield {"age_group": "18-29"}
    yield {"age_group": "nuori"}
    yield {"municipality": str(place.pk)}
    yield {"municipality": "0" + str(place.pk)}
    yield {"municipality": "999999"}
    yield {"homepage": "x"}
    yield {"email": "asukas@example.fi", "consent": "on"}
    yield {"consent": "on"}
    yield {"token": ""}
    yield {"token": "x" * 201}


def test_the_quick_reading_agrees_with_the_form():
    forget_specs()
    campaign, questions = campaign_with_questions()
    place = municipality()
    spec = form_spec(campaign)
    for overrides in variants(campaign, questions, place):
        data = query(filled(campaign, questions, **overrides))
        quick = quick_filled(data, campaign, spec)
        form = AnswerForm(data, campaign=campaign, spec=spec)
        if quick is None:
            continue  # the form decides
        assert form.is_valid(), (overrides, form.errors)
        assert not form.cleaned_data["homepage"], overrides
        assert quick == form.filled(), overrides


def test_a_plain_answer_is_read_quickly():
    forget_specs()
    campaign, questions = campaign_with_questions()
    spec = form_spec(campaign)
    assert quick_filled(query(filled(campaign, questions)), campaign, spec) is not None
