"""The coordinators' search page: access, result cards, htmx, pagination, bad input and queries."""

import pytest
from django.urls import reverse

from experts.models import ProfileStatus
from experts.views.search import CappedPaginator
from tests.factories import ExpertProfileFactory

URL = reverse("experts:index")


def names(response) -> list[str]:
    return [card.profile.display_name for card in response.context["cards"]]


@pytest.fixture
def english(client):
    client.cookies["kp_language"] = "en"
    return client


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert", "trainer"])
def test_experts_and_trainers_may_not_search(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "admin_user"])
def test_coordinators_and_admins_search(client, role, request):
    ExpertProfileFactory(display_name="Aino")
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Aino"]


@pytest.mark.django_db
def test_unconsented_profile_never_appears(client, coordinator):
    ExpertProfileFactory(display_name="Ei suostumusta", consent=False)
    client.force_login(coordinator)
    response = client.get(URL, {"q": "suostumusta"})
    assert names(response) == []
    assert "Ei suostumusta" not in response.content.decode()


@pytest.mark.django_db
def test_a_card_shows_what_the_decision_needs(client, coordinator, english):
    ExpertProfileFactory(
        display_name="Aino",
        experiences=[("masennus", "own"), ("paihteet", "close_one")],
        task_types=["luento"],
        languages=["suomi", "ruotsi"],
        municipalities=["lahti"],
        remote_ok=True,
        bio="Puhun toipumisesta.",
    )
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    for text in [
        "Aino",
        "Experience contributor",
        'Depression <span class="muted">(own experience)</span>',
        'Substance use <span class="muted">(as a close one)</span>',
        "Lecture or talk",
        "Finnish, Swedish",
        "Lahti",
        "Remote and in person",
        "Puhun toipumisesta.",
    ]:
        assert text in page


@pytest.mark.django_db
def test_a_card_marks_a_paused_expert(client, coordinator, english):
    ExpertProfileFactory(status=ProfileStatus.PAUSED)
    client.force_login(coordinator)
    assert '<span class="status-badge status-paused">Paused</span>' in client.get(URL).content.decode()


@pytest.mark.django_db
def test_the_card_shows_the_fields_at_the_viewers_level(client, coordinator):
    profile = ExpertProfileFactory(bio="Esittely", visibility={"bio": "public"})
    client.force_login(coordinator)
    response = client.get(URL)
    [(shown, fields, _facts, _bio, _found, _action, _url)] = response.context["cards"]
    assert shown == profile
    assert fields == profile.visible_fields("coordinators")


@pytest.mark.django_db
def test_the_card_lists_each_fact_the_viewer_may_see(english, coordinator):
    ExpertProfileFactory(
        display_name="Aino",
        bio="Kerron toipumisesta. " * 20,
        remote_ok=True,
        in_person_ok=False,
        experiences=[("masennus", "own"), ("paihteet", "close_one")],
        task_types=["luento"],
        languages=["suomi", "ruotsi"],
        municipalities=["lahti"],
    )
    english.force_login(coordinator)
    page = english.get(URL).content.decode()
    card = page.split('class="card expert-card"')[1].split("</li>\n</ol>")[0]
    assert "<dt>Experience</dt>" in card
    assert '<li>Depression <span class="muted">(own experience)</span></li>' in card
    assert '<li>Substance use <span class="muted">(as a close one)</span></li>' in card
    assert "<dt>Languages</dt><dd>Finnish, Swedish</dd>" in card
    assert "<dt>Remote or in person</dt><dd>Remote only</dd>" in card
    # The introduction is cut at 220 characters at most, between words.
    bio = card.split('<p class="bio">')[1].split("</p>")[0]
    assert 200 < len(bio) <= 220
    assert bio.endswith("Kerron…")


@pytest.mark.django_db
def test_the_search_is_a_shareable_get_url(client, coordinator):
    ExpertProfileFactory(display_name="Lahti", municipalities=["lahti"], experiences=[("masennus", "own")])
    ExpertProfileFactory(display_name="Sysmä", municipalities=["sysma"], experiences=[("masennus", "own")])
    client.force_login(coordinator)
    response = client.get(f"{URL}?q=masennus&municipality=lahti")
    assert names(response) == ["Lahti"]
    page = response.content.decode()
    assert 'method="get"' in page
    assert 'value="lahti" id="id_municipality_6" checked' in page
    assert 'value="masennus"' in page


@pytest.mark.django_db
def test_the_count_is_announced_in_a_live_region(client, coordinator, english):
    ExpertProfileFactory()
    ExpertProfileFactory()
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    assert '<p id="result-count" class="result-count" role="status">2 experts found.' in page


@pytest.mark.django_db
def test_a_broad_search_counts_up_to_the_cap(client, coordinator, english, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", 2)
    for _n in range(3):
        ExpertProfileFactory()
    client.force_login(coordinator)
    response = client.get(URL)
    assert "Over 2 experts found: the first 2 are shown." in response.content.decode()
    assert len(response.context["cards"]) == 2


@pytest.mark.django_db
def test_no_results_gives_guidance(client, coordinator, english):
    client.force_login(coordinator)
    page = client.get(URL, {"q": "olematon"}).content.decode()
    assert "No experts found." in page
    assert "No experts match these conditions." in page
    assert "Clear all conditions" in page


@pytest.mark.django_db
def test_htmx_gets_only_the_results_and_the_count(client, coordinator, english):
    ExpertProfileFactory(display_name="Aino")
    client.force_login(coordinator)
    response = client.get(URL, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert [t.name for t in response.templates][0] == "experts/search_results.html"
    assert "<html" not in page
    assert '<p id="result-count" hx-swap-oob="innerHTML">One expert found.' in page
    assert "Aino" in page
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_without_htmx_the_whole_page_comes_with_the_live_filtering_hooks(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL)
    page = response.content.decode()
    assert page.startswith("<!DOCTYPE html>")
    assert 'hx-get="/asiantuntijat/"' in page
    assert 'hx-target="#results"' in page
    assert 'hx-push-url="true"' in page
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_pages_of_25_with_navigation_that_keeps_the_search(client, coordinator, english):
    for n in range(30):
        ExpertProfileFactory(display_name=f"Asiantuntija {n:02}", municipalities=["lahti"])
    client.force_login(coordinator)
    first = client.get(URL, {"municipality": "lahti"})
    assert len(first.context["cards"]) == 25
    page = first.content.decode()
    assert "30 experts found. Page 1 of 2." in page
    assert 'href="?municipality=lahti&amp;page=2#results-heading" rel="next"' in page
    assert '<a href="?municipality=lahti&amp;page=1#results-heading" aria-current="page">' in page
    second = client.get(URL, {"municipality": "lahti", "page": 2})
    assert names(second) == [f"Asiantuntija {n:02}" for n in range(25, 30)]
    assert '<ol class="card-list" start="26">' in second.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page, expected", [("abc", "Aino"), ("999", "Aino"), ("-1", "Aino")])
def test_a_bad_page_number_shows_a_real_page(client, coordinator, page, expected):
    ExpertProfileFactory(display_name="Aino")
    client.force_login(coordinator)
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert names(response) == [expected]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, message",
    [
        ({"date": "31.2.2026"}, "Available on: Enter a valid date."),
        ({"area": "ei-ole"}, "Experience area: Select a valid choice. ei-ole is not one of the available choices."),
        ({"q": "x" * 201}, "Search words: Ensure this value has at most 200 characters (it has 201)."),
        ({"q": "masennus\x00"}, "Search words: Null characters are not allowed."),
    ],
)
def test_bad_input_shows_a_clear_error_and_no_results(client, coordinator, english, params, message):
    ExpertProfileFactory()
    client.force_login(coordinator)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert names(response) == []
    page = response.content.decode()
    assert message in page
    assert "Check the search conditions." in page


@pytest.mark.django_db
def test_a_finnish_date_is_understood(client, coordinator):
    ExpertProfileFactory()
    client.force_login(coordinator)
    # The date picker sends ISO dates; a typed Finnish date (browsers without a picker) works too.
    assert client.get(URL, {"date": "30.11.2026"}).context["filters"].is_valid()
    assert client.get(URL, {"date": "2026-11-30"}).context["filters"].is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("count", "cap", "text", "queries"),
    [(3, 1000, "masennus", 10), (30, 1000, "masennus", 10), (30, 10, "masennus", 12), (30, 1000, "masenus", 10)],
)
def test_search_page_queries_do_not_grow_with_results(
    client, coordinator, django_assert_num_queries, monkeypatch, count, cap, text, queries
):
    from experts.views.search import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", cap)
    for _n in range(count):
        # "masennus" only in the introduction: the second fit tier.
        ExpertProfileFactory(
            experiences=[("syopa", "close_one")],
            task_types=["luento", "media"],
            languages=["suomi", "ruotsi"],
            municipalities=["lahti", "hollola"],
            bio="Vedän masennusryhmää.",
        )
    client.force_login(coordinator)
    # session, the user with roles, permissions and MFA status (accounts.backends); every admin-kept list (one
    # union: the choices, checked and shown, and the cards' labels, and the synonyms); which search
    # words are stored, and the stored words and list labels near them (one statement);
    # the matches up to the cap in ranked order (listed: the current consent
    # version is a subquery); the page's profiles with organisations; the audit rows of the shown
    # cards (one bulk insert); then the idle-timeout session save (savepoint, update, release).
    # Over the cap, the page's ids come from one query per fit tier instead (two here).
    with django_assert_num_queries(queries):
        response = client.get(URL, {"q": text, "municipality": "lahti"})
    assert response.status_code == 200
    assert len(response.context["cards"]) == min(count, cap, 25)


@pytest.mark.django_db
def test_htmx_partial_queries(client, coordinator, django_assert_num_queries):
    ExpertProfileFactory(experiences=[("masennus", "own")], municipalities=["lahti"])
    client.force_login(coordinator)
    # As the whole page: the form's choices cost no query of their own.
    with django_assert_num_queries(10):
        client.get(URL, {"q": "masennus", "municipality": "lahti"}, headers={"HX-Request": "true"})


@pytest.mark.django_db
def test_search_results_showing_private_details_are_audited_in_one_row_per_expert(client, coordinator):
    from accounts.models import AuditEvent

    shared = ExpertProfileFactory(bio="Vedän masennusryhmää.", experiences=[("masennus", "own")])
    from experts.models import VISIBLE_FIELDS

    public_only = ExpertProfileFactory(
        bio="Vedän masennusryhmää.", visibility={field: "public" for field in VISIBLE_FIELDS}
    )
    client.force_login(coordinator)
    client.get(URL, {"q": "masennus"})
    events = {event.subject_id: event for event in AuditEvent.objects.filter(what="expert search result")}
    assert set(events[shared.user_id].fields) >= {"bio", "experience", "training"}
    assert events[shared.user_id].actor == coordinator
    # Public details are not logged; experience areas (health data) can never be public.
    assert events[public_only.user_id].fields == ["experience"]


@pytest.mark.django_db
def test_each_card_links_to_its_profile_page(client, coordinator):
    profiles = [ExpertProfileFactory(), ExpertProfileFactory()]
    client.force_login(coordinator)
    cards = client.get(URL).context["cards"]
    assert {card.url for card in cards} == {profile.get_absolute_url() for profile in profiles}
    page = client.get(URL).content.decode()
    assert all(f'href="{profile.get_absolute_url()}"' in page for profile in profiles)


def test_a_long_introduction_is_cut_between_words_with_an_ellipsis():
    from experts.views.search import excerpt

    text = "Olen toiminut kokemusasiantuntijana " * 10
    cut = excerpt(text, 60)
    assert len(cut) <= 60
    assert cut.endswith("kokemusasiantuntijana…") or cut.endswith("toiminut…") or cut.endswith("Olen…")
    assert excerpt("a" * 300, 60) == "a" * 59 + "…"


@pytest.mark.django_db
def test_a_repeated_search_reuses_its_typo_corrections(client, coordinator, django_assert_num_queries):
    ExpertProfileFactory(bio="Vedän masennusryhmää.", municipalities=["lahti"])
    client.force_login(coordinator)
    first = client.get(URL, {"q": "masenus"})
    # Live filtering sends the same words with each condition added: the corrections are remembered
    # (experts.models.search.recent_corrections), and within the minute the session is not saved
    # again: session, user, the lists, the matches, the page's profiles, the audit rows.
    with django_assert_num_queries(6):
        again = client.get(URL, {"q": "masenus", "municipality": "lahti"})
    assert names(first) == names(again) != []
