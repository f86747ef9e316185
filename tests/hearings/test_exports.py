"""CSV and XLSX exports of a campaign's responses and notes: a row per response with each question's
answer and the texts' themes, file names with the slug, formulas kept as text."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hearings.themes import tag_texts
from tests.factories import ThemeFactory, UserFactory

from .analysis_setup import seven_responses


@pytest.fixture
def setup(db):
    return seven_responses()


@pytest.fixture
def staff(client, setup):
    client.force_login(UserFactory(role="coordinator", mfa=True))
    client.cookies["kp_language"] = "en"
    return client


def url(setup, kind, fmt):
    return reverse("hearings:export", args=[setup.campaign.pk, kind, fmt])


def csv_rows(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_responses_csv_has_a_row_per_response(staff, setup):
    theme = ThemeFactory(campaign=setup.campaign, name="Pysäköinti")
    tag_texts(campaign=setup.campaign, theme=theme, answer_ids=[setup.texts[1].pk], note_ids=[])
    response = staff.get(url(setup, "vastaukset", "csv"))
    assert response["Content-Disposition"] == f'attachment; filename="{setup.campaign.slug}-vastaukset.csv"'
    rows = csv_rows(response)
    assert rows[0][:6] == ["No.", "Channel", "Date", "Language", "Age group", "Municipality"]
    assert rows[0][6:] == ["Milloin?", "Miten?", "Kuinka tärkeää?", "Mitä muuta?", "Themes: Mitä muuta?"]
    assert len(rows) == 8
    first = rows[1]
    assert first[1] == "Online form" and first[4] == "18–29" and first[5] == "Lahti"
    assert first[6:] == ["Aamulla", "Puhelin; Netti", "5", "Pysäköinti on ongelma terveysaseman pihalla.", "Pysäköinti"]


def test_a_formula_in_an_answer_stays_text(staff, setup):
    rows = csv_rows(staff.get(url(setup, "vastaukset", "csv")))
    # Response 7 wrote "=HYPERLINK(…)".
    assert rows[7][9].startswith("'=HYPERLINK")


def test_responses_xlsx(staff, setup):
    response = staff.get(url(setup, "vastaukset", "xlsx"))
    assert response["Content-Disposition"].endswith('-vastaukset.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 8
    assert rows[5][4] == "75 or over" and rows[5][8] == 2
    assert rows[7][9].startswith("'=HYPERLINK")


def test_notes_csv(staff, setup):
    rows = csv_rows(staff.get(url(setup, "muistiinpanot", "csv")))
    assert rows[0] == ["Channel", "Date", "Title", "Participants", "Notes", "Themes"]
    assert [row[2] for row in rows[1:]] == ["Työpaja Lahdessa", "Asiakasraadin kokous"]


def test_an_unknown_export_kind_is_404(staff, setup):
    response = staff.get(f"/kuulemiset/hallinta/kampanjat/{setup.campaign.pk}/vienti/osoitteet.csv")
    assert response.status_code == 404


def test_export_query_count(staff, setup, django_assert_num_queries):
    staff.get(url(setup, "vastaukset", "csv"))
    # session, user; campaign; questions, choices; answers; the texts' themes; responses.
    with django_assert_num_queries(8):
        staff.get(url(setup, "vastaukset", "csv"))


@pytest.mark.parametrize("role", ["expert", "trainer"])
def test_export_is_refused_to_others(client, setup, role):
    client.force_login(UserFactory(role=role, mfa=True))
    assert client.get(url(setup, "vastaukset", "csv")).status_code == 403


def test_report_shows_figures_themes_and_notes(staff, setup):
    ThemeFactory(campaign=setup.campaign, name="Pysäköinti")
    html = staff.get(reverse("hearings:report", args=[setup.campaign.pk])).content.decode()
    assert "Mean 3.83 of 5 (n = 6)" in html
    assert "Pysäköinti" in html and "Asiakasraadin kokous" in html
    assert "What we heard" not in html


def test_report_shows_a_published_outcome(staff, setup):
    from django.utils import timezone

    from hearings.models import Decision, Finding

    campaign = setup.campaign
    campaign.heard_summary, campaign.outcome_published_at = "Pysäköinti puhutti eniten.", timezone.now()
    campaign.save()
    finding = Finding.objects.create(campaign=campaign, text="Pysäköintipaikkoja on liian vähän.")
    Decision.objects.create(finding=finding, body="Aluehallitus", reference="§ 12", status="adopted")
    html = staff.get(reverse("hearings:report", args=[campaign.pk])).content.decode()
    assert "Pysäköinti puhutti eniten." in html and "Aluehallitus" in html and "§ 12" in html


def test_report_query_count(staff, setup, django_assert_num_queries):
    staff.get(reverse("hearings:report", args=[setup.campaign.pk]))
    # session, user; campaign with owner; questions, choices; responses and notes by channel; answers
    # grouped, respondents; themes; notes, their themes.
    with django_assert_num_queries(12):
        staff.get(reverse("hearings:report", args=[setup.campaign.pk]))
