"""The staff's landing page and campaigns (hearings/views/staff.py, services.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hearings.models import Campaign, Note, Response
from tests.factories import CampaignFactory, QuestionFactory, UserFactory
from tests.hearings.staff_helpers import campaign_data, sign_in

STAFF_PAGES = [
    ("hearings:index", False),
    ("hearings:topic_list", False),
    ("hearings:topic_create", False),
    ("hearings:campaign_create", False),
    ("hearings:campaign_manage", True),
    ("hearings:campaign_edit", True),
    ("hearings:question_create", True),
    ("hearings:note_create", True),
    ("hearings:paper_create", True),
]


def url_of(name, with_campaign):
    return reverse(name, args=[CampaignFactory().pk]) if with_campaign else reverse(name)


# --- Access ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "with_campaign"), STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, name, with_campaign):
    response = client.get(url_of(name, with_campaign))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert", "trainer"])
@pytest.mark.parametrize(("name", "with_campaign"), STAFF_PAGES)
def test_experts_and_trainers_are_refused(client, role, name, with_campaign):
    sign_in(client, UserFactory(role=role, mfa=True))
    assert client.get(url_of(name, with_campaign)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "with_campaign"), STAFF_PAGES)
def test_coordinators_open_every_staff_page(client, coordinator, name, with_campaign):
    sign_in(client, coordinator)
    assert client.get(url_of(name, with_campaign)).status_code == 200


@pytest.mark.django_db
def test_an_unknown_campaign_is_404(client, coordinator):
    sign_in(client, coordinator)
    assert client.get(reverse("hearings:campaign_manage", args=[999999])).status_code == 404


# --- The landing page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_landing_page_groups_campaigns_by_state_with_their_response_counts(client, coordinator):
    now = timezone.now()
    open_one = CampaignFactory(title="Avoin kuuleminen")
    for _ in range(3):
        Response.objects.create(campaign=open_one)
    CampaignFactory(title="Luonnos", is_published=False)
    CampaignFactory(title="Suljettu", opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=2))
    html = sign_in(client, coordinator).get(reverse("hearings:index")).content.decode()
    assert html.index("Open now") < html.index("Avoin kuuleminen") < html.index("Drafts") < html.index("Luonnos")
    assert html.index("Closed, outcome not yet published") < html.index("Suljettu")
    assert "3 responses" in html


@pytest.mark.django_db
def test_landing_page_queries_do_not_grow_with_campaigns(client, coordinator, django_assert_num_queries):
    for _ in range(4):
        Response.objects.create(campaign=CampaignFactory())
    sign_in(client, coordinator)
    # session, the user with roles, permissions and MFA status (accounts.backends); the campaigns
    # with their response counts in one grouped query; the waiting topics' count; then the
    # idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(7):
        assert client.get(reverse("hearings:index")).status_code == 200


# --- Creating and editing --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_creates_a_campaign_with_texts_in_two_languages(client, coordinator):
    response = sign_in(client, coordinator).post(reverse("hearings:campaign_create"), campaign_data())
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("hearings:campaign_manage", args=[campaign.pk])
    assert (campaign.title_fi, campaign.title_sv) == (
        "Ikäihmisten kotihoidon kehittäminen",
        "Utveckling av hemvården för äldre",
    )
    assert campaign.slug == "ikaihmisten-kotihoidon-kehittaminen"
    assert campaign.owner == coordinator
    assert campaign.channels == ["online", "workshop"]


@pytest.mark.django_db
def test_opening_and_closing_times_are_finnish_time(client, coordinator):
    sign_in(client, coordinator).post(reverse("hearings:campaign_create"), campaign_data())
    campaign = Campaign.objects.get()
    assert timezone.localtime(campaign.opens_at).hour == 9
    assert str(timezone.localtime(campaign.opens_at).tzinfo) == "Europe/Helsinki"


@pytest.mark.django_db
def test_a_double_submitted_campaign_is_created_once(client, coordinator):
    data = campaign_data()
    sign_in(client, coordinator)
    first = client.post(reverse("hearings:campaign_create"), data)
    second = client.post(reverse("hearings:campaign_create"), data)
    assert Campaign.objects.count() == 1
    assert second["Location"] == first["Location"]


@pytest.mark.django_db
def test_a_campaign_closing_before_it_opens_is_refused_with_a_message(client, coordinator):
    today = timezone.localdate().isoformat()
    data = campaign_data(opens_on=today, closes_on=today, opens_time="12:00", closes_time="11:00")
    response = sign_in(client, coordinator).post(reverse("hearings:campaign_create"), data)
    assert response.status_code == 200
    assert "The campaign must close after it opens." in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_a_campaign_needs_a_finnish_title_and_summary(client, coordinator):
    data = campaign_data(title_fi="", summary_fi="")
    response = sign_in(client, coordinator).post(reverse("hearings:campaign_create"), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title_fi", "summary_fi"}


@pytest.mark.django_db
def test_a_campaign_called_hallinta_gets_another_short_name(client, coordinator):
    sign_in(client, coordinator).post(reverse("hearings:campaign_create"), campaign_data(title_fi="Hallinta"))
    assert Campaign.objects.get().slug == "hallinta-2"


@pytest.mark.django_db
def test_a_second_campaign_of_the_same_title_gets_a_numbered_short_name(client, coordinator):
    sign_in(client, coordinator)
    client.post(reverse("hearings:campaign_create"), campaign_data())
    client.post(reverse("hearings:campaign_create"), campaign_data())
    assert sorted(Campaign.objects.values_list("slug", flat=True)) == [
        "ikaihmisten-kotihoidon-kehittaminen",
        "ikaihmisten-kotihoidon-kehittaminen-2",
    ]


@pytest.mark.django_db
def test_editing_keeps_the_short_name_and_saves_the_texts(client, coordinator):
    campaign = CampaignFactory(owner=coordinator)
    slug = campaign.slug
    data = campaign_data(title_fi="Uusi otsikko", form_key="")
    response = sign_in(client, coordinator).post(reverse("hearings:campaign_edit", args=[campaign.pk]), data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title_fi, campaign.slug) == ("Uusi otsikko", slug)


@pytest.mark.django_db
def test_unpublishing_a_campaign_hides_it_from_the_public(client, coordinator):
    campaign = CampaignFactory(owner=coordinator)
    data = campaign_data(is_published=None, form_key="")
    sign_in(client, coordinator).post(reverse("hearings:campaign_edit", args=[campaign.pk]), data)
    campaign.refresh_from_db()
    assert not campaign.is_published
    assert not Campaign.objects.published().exists()


@pytest.mark.django_db
def test_the_edit_form_shows_the_times_in_finnish_time(client, coordinator):
    campaign = CampaignFactory()
    html = sign_in(client, coordinator).get(reverse("hearings:campaign_edit", args=[campaign.pk])).content.decode()
    assert timezone.localtime(campaign.opens_at).strftime("%H:%M") in html


# --- The campaign's staff page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_manage_page_counts_every_channel(client, coordinator):
    campaign = CampaignFactory()
    Response.objects.create(campaign=campaign, channel="online")
    Response.objects.create(campaign=campaign, channel="paper")
    Response.objects.create(campaign=campaign, channel="paper")
    Note.objects.create(campaign=campaign, channel="workshop", title="Työpaja Lahdessa", text="Muistiinpanot")
    response = sign_in(client, coordinator).get(reverse("hearings:campaign_manage", args=[campaign.pk]))
    rows = {label: (responses, notes) for label, responses, notes in response.context["channels"]}
    assert rows["Online form"] == (1, 0)
    assert rows["Paper or street"] == (2, 0)
    assert rows["Workshop"] == (0, 1)
    assert response.context["response_total"] == 3


@pytest.mark.django_db
def test_manage_page_queries_are_fixed(client, coordinator, django_assert_num_queries):
    campaign = CampaignFactory()
    for order in range(1, 4):
        QuestionFactory(campaign=campaign, order=order, kind="single", choices=["Kyllä", "Ei"])
    Note.objects.create(campaign=campaign, title="Työpaja", text="Tekstiä")
    sign_in(client, coordinator)
    # session, the user with roles, permissions and MFA status; the campaign with its owner;
    # responses by channel; notes by channel; questions; their choices; answered questions; notes;
    # linked topics; then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(13):
        assert client.get(reverse("hearings:campaign_manage", args=[campaign.pk])).status_code == 200
