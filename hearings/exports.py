"""A campaign's responses and notes as CSV and XLSX: a row per response (its background, each
question's answer, the themes of its texts) or per note. Text a spreadsheet would run as a formula is
kept as text (kokemuspankki/spreadsheets.py), so a resident's "=HYPERLINK(…)" stays words.

No filter and no small-number rule: the exports are the staff's whole material, as the answers
themselves are; a response row holds no more than the answer form asked (no time, no address)."""

import io
from collections import defaultdict

from django.utils.translation import gettext as _

from kokemuspankki.spreadsheets import csv_bytes, defuse, xlsx_value

from .models import AgeGroup, Answer, Channel, Note, QuestionKind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response_rows(campaign) -> list[list]:
    """A header and a row per response, numbered 1, 2, … (not the database id). Queries: questions
    with choices, responses with municipality, answers, the texts' themes."""
    questions = list(campaign.questions.prefetch_related("choices"))
    labels = {choice.pk: choice.label for question in questions for choice in question.choices.all()}
    text_questions = [q for q in questions if q.kind == QuestionKind.TEXT]
    header = [_("No."), _("Channel"), _("Date"), _("Language"), _("Age group"), _("Municipality")]
    header += [question.text for question in questions]
    header += [_("Themes: %(question)s") % {"question": question.text} for question in text_questions]
    answers: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    text_answer: dict[int, int] = {}
    rows = Answer.objects.filter(question__campaign=campaign).order_by("response_id", "question_id", "choice__order")
    for pk, response_id, question_id, choice_id, value, body in rows.values_list(
        "pk", "response_id", "question_id", "choice_id", "value", "text"
    ):
        answers[response_id][question_id].append(labels.get(choice_id) or value or body)
        if body:
            text_answer[pk] = response_id
    themes: dict[tuple[int, int], list[str]] = defaultdict(list)
    links = Answer.themes.through.objects.filter(answer__question__campaign=campaign).order_by("theme__name")
    for answer_id, question_id, name in links.values_list("answer_id", "answer__question_id", "theme__name"):
        themes[(text_answer.get(answer_id), question_id)].append(name)
    channels = {value: str(label) for value, label in Channel.choices}
    ages = {value: str(label) for value, label in AgeGroup.choices}
    table = [header]
    responses = campaign.responses.order_by("pk").values_list(
        "pk", "channel", "answered_on", "language", "age_group", "municipality__name"
    )
    for number, (pk, channel, day, language, age, municipality) in enumerate(responses, start=1):
        row = [number, channels.get(channel, channel), day, language, ages.get(age, age), municipality or ""]
        row += [_joined(answers[pk].get(question.pk, [])) for question in questions]
        row += ["; ".join(themes.get((pk, question.pk), [])) for question in text_questions]
        table.append(row)
    return table


def note_rows(campaign) -> list[list]:
    """A header and a row per note of an offline channel. Queries: notes, their themes."""
    header = [_("Channel"), _("Date"), _("Title"), _("Participants"), _("Notes"), _("Themes")]
    channels = {value: str(label) for value, label in Channel.choices}
    table = [header]
    for note in Note.objects.filter(campaign=campaign).prefetch_related("themes").order_by("held_on", "pk"):
        themes = "; ".join(sorted(theme.name for theme in note.themes.all()))
        table.append([channels.get(note.channel), note.held_on, note.title, note.participants, note.text, themes])
    return table


def _joined(values: list):
    """One answer as itself (a 1–5 value stays a number in Excel), several choices joined."""
    return values[0] if len(values) == 1 else "; ".join(str(value) for value in values)


def _cell(value):
    if value is None:
        return ""
    return defuse(value) if isinstance(value, str) else value


def as_csv(rows: list[list]) -> bytes:
    return csv_bytes([[_cell(value) for value in row] for row in rows])


def as_xlsx(rows: list[list], *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append([xlsx_value(_cell(value)) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
