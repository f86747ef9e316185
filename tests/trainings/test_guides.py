"""The staff toolkit: who reads the guides, the lemmatised search (Finnish and Swedish), the body kept
safe on save, and the pages' queries."""

import pytest
from django.urls import reverse

from tests.factories import GuideFactory, UserFactory
from tests.trainings.clients import sign_in as login
from trainings.models import Guide

LIST = reverse("trainings:guide_list")


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def panel_guide(db):
    return GuideFactory(
        slug="asiakasraati",
        title_fi="Näin järjestät asiakasraadin",
        title_sv="Så ordnar du ett klientråd",
        title_en="How to run a client panel",
        summary_fi="Asiakasraati kehittää palvelua yhdessä työntekijöiden kanssa.",
        body_fi="<p>Kokoa raatiin 6–12 jäsentä.</p>",
        body_sv="<p>Samla 6–12 medlemmar till rådet.</p>",
    )


@pytest.fixture
def ordering_guide(db):
    return GuideFactory(
        slug="tilaus",
        title_fi="Näin tilaat kokemusasiantuntijan",
        title_sv="Så beställer du en erfarenhetsexpert",
        body_fi="<p>Tee tilaus kaksi viikkoa ennen. Palkkio maksetaan taksan mukaan.</p>",
        body_sv="<p>Arvodet betalas enligt taxan.</p>",
    )


def found(client, query) -> list[str]:
    return [guide.slug for guide in client.get(LIST, {"q": query}).context["guides"]]


# --- Access ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST, reverse("trainings:guide_detail", args=["asiakasraati"])])
def test_anonymous_is_sent_to_login(client, panel_guide, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST, reverse("trainings:guide_detail", args=["asiakasraati"])])
def test_expert_is_refused(client, expert, panel_guide, url):
    assert login(client, expert).get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "trainer"])
def test_staff_read_the_toolkit(client, panel_guide, role):
    login(client, UserFactory(role=role, mfa=True)).cookies["kp_language"] = "fi"
    assert client.get(LIST).status_code == 200
    response = client.get(panel_guide.get_absolute_url())
    assert response.status_code == 200
    assert "Kokoa raatiin 6–12 jäsentä." in response.content.decode()


@pytest.mark.django_db
def test_guide_is_shown_in_the_users_language(client, coordinator, panel_guide):
    login(client, coordinator).cookies["kp_language"] = "sv"
    html = client.get(panel_guide.get_absolute_url()).content.decode()
    assert "Så ordnar du ett klientråd" in html and "Samla 6–12 medlemmar till rådet." in html


@pytest.mark.django_db
def test_draft_is_hidden_from_staff_who_do_not_edit_guides(client, coordinator):
    draft = GuideFactory(slug="luonnos", is_published=False)
    login(client, coordinator)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "luonnos" not in [g.slug for g in client.get(LIST).context["guides"]]


@pytest.mark.django_db
def test_admin_previews_a_draft(client, admin_user):
    draft = GuideFactory(slug="luonnos", is_published=False)
    response = login(client, admin_user).get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft" in response.content.decode()


# --- Search ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_inflected_finnish_finds_the_base_form(client, coordinator, panel_guide, ordering_guide):
    # "asiakasraadin" (genitive) finds the guide whose summary says "asiakasraati".
    assert found(login(client, coordinator), "asiakasraadin") == ["asiakasraati"]


@pytest.mark.django_db
def test_a_compound_part_finds_the_compound(client, coordinator, panel_guide, ordering_guide):
    assert found(login(client, coordinator), "raati") == ["asiakasraati"]


@pytest.mark.django_db
def test_inflected_swedish_finds_the_swedish_text(client, coordinator, panel_guide, ordering_guide):
    login(client, coordinator)
    assert found(client, "klientrådet") == ["asiakasraati"]
    assert found(client, "arvodet") == ["tilaus"]


@pytest.mark.django_db
def test_every_word_of_the_query_must_be_found(client, coordinator, panel_guide, ordering_guide):
    login(client, coordinator)
    assert found(client, "palkkiot taksa") == ["tilaus"]
    assert found(client, "palkkio asiakasraati") == []


@pytest.mark.django_db
def test_a_query_of_stop_words_finds_nothing(client, coordinator, panel_guide):
    response = login(client, coordinator).get(LIST, {"q": "ja tai"})
    assert response.context["guides"] == []
    assert "No guide has all of these words." in response.content.decode()


@pytest.mark.django_db
def test_words_in_html_tags_are_not_searched(client, coordinator):
    GuideFactory(slug="linkki", body='<p><a href="https://example.fi/kuntoutus">Lue lisää</a></p>')
    assert found(login(client, coordinator), "kuntoutus") == []


@pytest.mark.django_db
def test_an_edited_guide_is_found_by_its_new_words(client, coordinator, ordering_guide):
    ordering_guide.body_fi = "<p>Matkakulut korvataan.</p>"
    ordering_guide.save()
    assert found(login(client, coordinator), "matkakuluista") == ["tilaus"]


@pytest.mark.django_db
def test_an_overlong_query_is_cut_not_refused(client, coordinator, panel_guide):
    response = login(client, coordinator).get(LIST, {"q": "asiakasraati " * 200})
    assert response.status_code == 200


# --- Sanitising ------------------------------------------------------------------------------------

UNSAFE = (
    '<h2 onclick="steal()">Ohje</h2><script>alert(1)</script>'
    '<p style="color:red">Teksti <a href="javascript:alert(2)">paha</a> '
    '<a href="https://paijat-sote.fi/">hyvä</a> <img src=x onerror="alert(3)"></p>'
    "<table><tr><th>Taksa</th><td>30 €</td></tr></table>"
)


@pytest.mark.django_db
def test_script_event_handlers_and_javascript_links_are_removed_on_save():
    guide = GuideFactory(body_fi=UNSAFE, body_sv=UNSAFE, body_en=UNSAFE)
    guide.refresh_from_db()
    for body in (guide.body_fi, guide.body_sv, guide.body_en):
        assert "<script" not in body and "alert(1)" not in body
        assert "onclick" not in body and "onerror" not in body and "<img" not in body
        assert "javascript:" not in body
        assert "style=" not in body


@pytest.mark.django_db
def test_allowed_markup_stays_and_links_get_rel():
    guide = GuideFactory(body_fi=UNSAFE)
    guide.refresh_from_db()
    assert "<h2>Ohje</h2>" in guide.body_fi
    assert '<a href="https://paijat-sote.fi/" rel="noopener noreferrer">hyvä</a>' in guide.body_fi
    assert "<th>Taksa</th>" in guide.body_fi


@pytest.mark.django_db
def test_admin_save_sanitises_too(client, admin_user):
    login(client, admin_user)
    data = {
        "title_fi": "Ohje",
        "slug": "ohje",
        "body_fi": '<p onclick="x()">Hei</p><script>alert(1)</script>',
        "is_published": "on",
    }
    response = client.post(reverse("admin:trainings_guide_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    guide = Guide.objects.get(slug="ohje")
    assert guide.body_fi == "<p>Hei</p>"
    assert guide.updated_by == admin_user


# --- Queries ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_list_queries_do_not_grow_with_guides(client, coordinator, django_assert_num_queries, count):
    for _n in range(count):
        GuideFactory(summary_fi="Asiakasraati")
    login(client, coordinator)
    # session, the user with roles, permissions and MFA status (accounts.backends); the matching
    # guides; then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(6):
        response = client.get(LIST, {"q": "asiakasraadit"})
    assert len(response.context["guides"]) == count


@pytest.mark.django_db
def test_detail_queries(client, coordinator, panel_guide, django_assert_num_queries):
    login(client, coordinator)
    # session, the user with roles, permissions and MFA status; the guide with its editor; then the
    # idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(6):
        assert client.get(panel_guide.get_absolute_url()).status_code == 200
