"""Themes: add, rename, delete; tagging many answers and notes at once; theme counts; the free-text
list's filters; word frequencies and suggested themes from the shared Finnish text analysis."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from hearings.analysis import Filters, theme_counts
from hearings.models import Answer, Theme
from hearings.themes import count_words, create_theme, tag_texts
from tests.factories import AnswerFactory, CampaignFactory, ThemeFactory, UserFactory

from .analysis_setup import seven_responses


@pytest.fixture
def setup(db):
    cache.clear()
    return seven_responses()


@pytest.fixture
def staff(client, setup):
    client.force_login(UserFactory(role="coordinator", mfa=True))
    client.cookies["kp_language"] = "en"
    return client


def texts_url(setup, **query):
    url = reverse("hearings:analysis_texts", args=[setup.campaign.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_tag_many_answers_and_a_note_in_one_post(staff, setup):
    theme = ThemeFactory(campaign=setup.campaign, name="Pysäköinti")
    note = setup.campaign.notes.get(channel="workshop")
    ids = [setup.texts[1].pk, setup.texts[2].pk, setup.texts[5].pk]
    response = staff.post(texts_url(setup), {"theme": theme.pk, "answers": ids, "notes": [note.pk], "action": "add"})
    assert response.status_code == 302 and response.url == texts_url(setup)
    assert set(theme.answers.values_list("pk", flat=True)) == set(ids)
    assert list(theme.notes.all()) == [note]


def test_tagging_twice_adds_nothing_more(setup):
    theme = ThemeFactory(campaign=setup.campaign)
    ids = [setup.texts[1].pk, setup.texts[2].pk]
    assert tag_texts(campaign=setup.campaign, theme=theme, answer_ids=ids, note_ids=[]) == 2
    assert tag_texts(campaign=setup.campaign, theme=theme, answer_ids=ids, note_ids=[]) == 0
    assert theme.answers.count() == 2


def test_removing_a_theme_from_many(staff, setup):
    theme = ThemeFactory(campaign=setup.campaign)
    ids = [setup.texts[1].pk, setup.texts[2].pk]
    tag_texts(campaign=setup.campaign, theme=theme, answer_ids=ids, note_ids=[])
    staff.post(texts_url(setup), {"theme": theme.pk, "answers": [ids[0]], "action": "remove"})
    assert list(theme.answers.values_list("pk", flat=True)) == [ids[1]]


def test_another_campaigns_answers_are_not_tagged(setup):
    other = AnswerFactory(question__kind="text", text="Toisen kampanjan vastaus")
    theme = ThemeFactory(campaign=setup.campaign)
    tag_texts(campaign=setup.campaign, theme=theme, answer_ids=[other.pk, setup.texts[1].pk], note_ids=[])
    assert list(theme.answers.all()) == [setup.texts[1]]


def test_another_campaigns_theme_is_a_form_error(staff, setup):
    foreign = ThemeFactory(campaign=CampaignFactory())
    response = staff.post(texts_url(setup), {"theme": foreign.pk, "answers": [setup.texts[1].pk], "action": "add"})
    assert response.status_code == 200
    assert not Answer.themes.through.objects.exists()


def test_nothing_ticked_is_a_clear_error(staff, setup):
    theme = ThemeFactory(campaign=setup.campaign)
    response = staff.post(texts_url(setup), {"theme": theme.pk, "action": "add"})
    assert "Tick at least one answer or note." in response.content.decode()


def test_theme_counts_answers_and_notes_under_the_filter(setup):
    theme = ThemeFactory(campaign=setup.campaign, name="Pysäköinti")
    note = setup.campaign.notes.get(channel="workshop")
    # Answers 1 and 2 are online, 5 on paper.
    ids = [setup.texts[1].pk, setup.texts[2].pk, setup.texts[5].pk]
    tag_texts(campaign=setup.campaign, theme=theme, answer_ids=ids, note_ids=[note.pk])
    counts = {c.theme.name: (c.answers, c.notes) for c in theme_counts(setup.campaign, Filters())}
    assert counts == {"Pysäköinti": (3, 1)}
    online = {c.theme.name: (c.answers, c.notes) for c in theme_counts(setup.campaign, Filters(channel="online"))}
    assert online == {"Pysäköinti": (2, 0)}


def test_text_list_filters_by_theme_and_untagged(staff, setup):
    theme = ThemeFactory(campaign=setup.campaign)
    tag_texts(campaign=setup.campaign, theme=theme, answer_ids=[setup.texts[4].pk], note_ids=[])
    tagged = staff.get(texts_url(setup, teema=theme.pk)).context["page"].object_list
    untagged = staff.get(texts_url(setup, teema="none")).context["page"].object_list
    assert [a.pk for a in tagged] == [setup.texts[4].pk]
    assert len(untagged) == 4 and setup.texts[4] not in untagged


def test_text_list_under_a_narrow_filter_shows_nothing(staff, setup):
    response = staff.get(texts_url(setup, ika="75-"))
    assert response.context["page"] is None
    assert "Pysäköinti" not in response.content.decode().split("<h1>")[1]


def test_text_list_query_count(staff, setup, django_assert_num_queries):
    ThemeFactory(campaign=setup.campaign)
    staff.get(texts_url(setup))
    # session, user; campaign; questions, choices; themes; the page's count; the filter's
    # municipalities; the tag form's themes; the page of answers with their questions, their themes;
    # notes, their themes.
    with django_assert_num_queries(13):
        staff.get(texts_url(setup))


def test_create_theme_twice_gives_one_row(staff, setup):
    url = reverse("hearings:theme_create", args=[setup.campaign.pk])
    staff.post(url, {"name": "Pysäköinti"})
    response = staff.post(url, {"name": " pysäköinti "})
    assert response.status_code == 302
    assert setup.campaign.themes.count() == 1


def test_an_empty_theme_name_is_a_form_error(staff, setup):
    response = staff.post(reverse("hearings:theme_create", args=[setup.campaign.pk]), {"name": "   "})
    assert response.status_code == 200
    assert not Theme.objects.exists()


def test_rename_to_a_taken_name_is_refused(staff, setup):
    ThemeFactory(campaign=setup.campaign, name="Ajanvaraus")
    theme = ThemeFactory(campaign=setup.campaign, name="Aukioloajat")
    url = reverse("hearings:theme_rename", args=[setup.campaign.pk, theme.pk])
    response = staff.post(url, {"name": "ajanvaraus"})
    assert response.status_code == 200 and "already has a theme" in response.content.decode()
    staff.post(url, {"name": "Illat ja viikonloput"})
    theme.refresh_from_db()
    assert theme.name == "Illat ja viikonloput"


def test_delete_removes_the_tags_not_the_texts(staff, setup):
    theme = ThemeFactory(campaign=setup.campaign)
    tag_texts(campaign=setup.campaign, theme=theme, answer_ids=[setup.texts[1].pk], note_ids=[])
    url = reverse("hearings:theme_delete", args=[setup.campaign.pk, theme.pk])
    assert staff.get(url).status_code == 200
    assert staff.post(url).status_code == 302
    assert staff.post(url).status_code == 302  # a double click says the same
    assert not Theme.objects.exists() and Answer.objects.filter(pk=setup.texts[1].pk).exists()


def test_another_campaigns_theme_cannot_be_renamed_here(staff, setup):
    foreign = ThemeFactory(campaign=CampaignFactory())
    assert staff.get(reverse("hearings:theme_rename", args=[setup.campaign.pk, foreign.pk])).status_code == 404


def test_inflected_finnish_forms_count_together():
    texts = [
        ("Terveysasemalle on vaikea päästä.", "fi"),
        ("Terveysaseman piha on täynnä.", "fi"),
        ("Terveysasemien aukioloajat.", "fi"),
    ]
    counts = count_words(texts, set(), 3)
    assert ("terveysasema", 3) in counts.words
    # "on" is olla, a stop word; it is not counted at all.
    assert "olla" not in dict(counts.words) and "on" not in dict(counts.words)


def test_suggestions_count_compound_parts_and_leave_out_themes():
    texts = [
        ("Pysäköinti on ongelma.", "fi"),
        ("Pysäköintipaikkoja on liian vähän.", "fi"),
        ("Pysäköintiä pitäisi lisätä.", "fi"),
        ("Bussilla on hankala tulla.", "fi"),
    ]
    suggested = dict(count_words(texts, set(), 4).suggestions)
    assert suggested["pysäköinti"] == 3
    assert "pysäköinti" not in dict(count_words(texts, {"Pysäköinti"}, 4).suggestions)


def test_swedish_answers_are_read_in_swedish():
    counts = count_words([("Telefonkön är för lång.", "sv"), ("Telefonköerna är långa.", "sv")], set(), 2)
    assert dict(counts.words).get("telefonkö") == 2


def test_themes_page_shows_words_and_adds_a_suggestion(staff, setup):
    url = reverse("hearings:themes", args=[setup.campaign.pk])
    response = staff.get(url)
    words = dict(response.context["words"].words)
    assert words["terveysasema"] == 3
    assert "pysäköinti" in dict(response.context["words"].suggestions)
    staff.post(reverse("hearings:theme_create", args=[setup.campaign.pk]), {"name": "Pysäköinti"})
    response = staff.get(url)
    assert "pysäköinti" not in dict(response.context["words"].suggestions)


def test_word_sample_is_capped(setup, monkeypatch):
    from hearings import themes

    monkeypatch.setattr(themes, "WORD_SAMPLE", 3)
    counts = themes.campaign_words(setup.campaign, Filters(), [setup.free.pk], set())
    assert (counts.texts, counts.total, counts.sampled) == (3, 7, True)


def test_create_theme_service_folds_spaces(setup):
    theme, made = create_theme(campaign=setup.campaign, name="  Illat   ja viikonloput ")
    assert made and theme.name == "Illat ja viikonloput"
