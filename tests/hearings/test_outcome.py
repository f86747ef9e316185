"""The outcome of a campaign: its texts, findings and decisions (hearings/views/outcome.py), publishing
it and telling those who asked, then deleting their addresses once told (hearings/outcome.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hearings import outcome
from hearings.models import Campaign, ContactRequest, Decision, DecisionStatus, Finding
from notifications.models import Notification
from notifications.services import send_notification, sweep_due_notifications
from tests.factories import CampaignFactory, UserFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def sign_in(client, user):
    client.force_login(user)
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def closed(db):
    """A campaign closed yesterday, with "what we heard" written."""
    opens = timezone.now() - timedelta(days=20)
    return CampaignFactory(
        opens_at=opens,
        closes_at=timezone.now() - timedelta(days=1),
        heard_summary_fi="Aamuaikoja toivottiin eniten.",
    )


@pytest.fixture
def finding(closed):
    return Finding.objects.create(campaign=closed, order=1, text_fi="Ajanvaraus puhelimella ruuhkautuu aamuisin.")


def send_due() -> list[str]:
    """The notifications send path as beat and the worker run it."""
    claimed = []
    sweep_due_notifications(enqueue=lambda nid, token: claimed.append((nid, token)))
    return [send_notification(notification_id=nid, claim_token=token) for nid, token in claimed]


def decision_data(**changes):
    data = {
        "body": "Hyvinvointialueen hallitus",
        "decided_on": "12.5.2026",
        "reference": "§ 87",
        "url": "https://paijatha.fi/paatokset/87",
        "status": DecisionStatus.ADOPTED,
        "reasons": "",
        "form_key": "d" * 32,
    }
    return {**data, **changes}


# --- Access ----------------------------------------------------------------------------------------

PAGES = [
    ("hearings:outcome_edit", "campaign"),
    ("hearings:finding_create", "campaign"),
    ("hearings:finding_edit", "finding"),
    ("hearings:decision_create", "finding"),
]


def _args(kind, finding):
    return [finding.campaign_id if kind == "campaign" else finding.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_anonymous_is_sent_to_sign_in(client, finding, name, kind):
    response = client.get(reverse(name, args=_args(kind, finding)))
    assert response.status_code == 302
    assert "login" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert", "trainer"])
@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_experts_and_trainers_are_refused(client, finding, name, kind, role):
    user = UserFactory(role=role, mfa=role != "expert")
    assert sign_in(client, user).get(reverse(name, args=_args(kind, finding))).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_a_coordinator_opens_every_outcome_page(client, coordinator, finding, name, kind):
    assert sign_in(client, coordinator).get(reverse(name, args=_args(kind, finding))).status_code == 200


@pytest.mark.django_db
def test_an_expert_may_not_publish(client, expert, closed):
    sign_in(client, expert).post(reverse("hearings:outcome_publish", args=[closed.pk]))
    closed.refresh_from_db()
    assert closed.outcome_published_at is None


@pytest.mark.django_db
def test_outcome_page_queries(client, coordinator, finding, django_assert_num_queries):
    for n in range(3):
        Decision.objects.create(finding=finding, body=f"Lautakunta {n}", status=DecisionStatus.CONSIDERING)
    Finding.objects.create(campaign=finding.campaign, order=2, text_fi="Toinen havainto")
    sign_in(client, coordinator)
    # Queries: the session, the user with permissions; the campaign, the findings, their decisions
    # (one prefetch however many), the count of contact requests; then the idle-timeout session save
    # (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client.get(reverse("hearings:outcome_edit", args=[finding.campaign_id]))
    assert len(response.context["findings"]) == 2


# --- Texts, findings, decisions ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_outcome_texts_are_saved_in_each_language(client, coordinator, closed):
    data = {"heard_summary_fi": "Kuulimme.", "heard_summary_sv": "Vi hörde.", "did_summary_fi": "Teimme."}
    response = sign_in(client, coordinator).post(reverse("hearings:outcome_edit", args=[closed.pk]), data)
    assert response.status_code == 302
    closed.refresh_from_db()
    assert (closed.heard_summary_sv, closed.did_summary_fi) == ("Vi hörde.", "Teimme.")


@pytest.mark.django_db
def test_a_double_submitted_finding_is_added_once(client, coordinator, closed):
    sign_in(client, coordinator)
    data = {"text_fi": "Iltavastaanottoja toivottiin.", "form_key": "f" * 32}
    for _attempt in range(2):
        client.post(reverse("hearings:finding_create", args=[closed.pk]), data)
    assert Finding.objects.filter(campaign=closed).count() == 1


@pytest.mark.django_db
def test_findings_are_numbered_in_the_order_added(client, coordinator, closed):
    sign_in(client, coordinator)
    for n in range(2):
        data = {"text_fi": f"Havainto {n}", "form_key": f"{n}" * 32}
        client.post(reverse("hearings:finding_create", args=[closed.pk]), data)
    assert list(closed.findings.order_by("order").values_list("text_fi", flat=True)) == ["Havainto 0", "Havainto 1"]


@pytest.mark.django_db
def test_a_finding_without_text_is_a_form_error(client, coordinator, closed):
    response = sign_in(client, coordinator).post(
        reverse("hearings:finding_create", args=[closed.pk]), {"text_fi": "  ", "form_key": "f" * 32}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["text_fi"]
    assert not Finding.objects.exists()


@pytest.mark.django_db
def test_moving_a_finding_up_swaps_it_with_the_one_above(client, coordinator, finding):
    second = Finding.objects.create(campaign=finding.campaign, order=2, text_fi="Toinen")
    sign_in(client, coordinator).post(reverse("hearings:finding_move", args=[second.pk]), {"direction": "up"})
    assert list(finding.campaign.findings.order_by("order", "pk")) == [second, finding]


@pytest.mark.django_db
def test_removing_a_finding_removes_its_decisions(client, coordinator, finding):
    Decision.objects.create(finding=finding, body="Hallitus")
    sign_in(client, coordinator).post(reverse("hearings:finding_delete", args=[finding.pk]))
    assert not Finding.objects.exists() and not Decision.objects.exists()
    # The second post of a double click finds nothing to remove and is no error.
    assert client.post(reverse("hearings:finding_delete", args=[finding.pk])).status_code == 302


@pytest.mark.django_db
def test_a_decision_is_linked_to_its_finding(client, coordinator, finding):
    response = sign_in(client, coordinator).post(
        reverse("hearings:decision_create", args=[finding.pk]), decision_data()
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.finding, decision.reference, decision.decided_on.isoformat()) == (finding, "§ 87", "2026-05-12")


@pytest.mark.django_db
def test_not_adopted_without_reasons_is_a_clear_form_error(client, coordinator, finding):
    data = decision_data(status=DecisionStatus.NOT_ADOPTED)
    response = sign_in(client, coordinator).post(reverse("hearings:decision_create", args=[finding.pk]), data)
    assert response.status_code == 200
    assert "Give the reasons when a finding was not adopted." in response.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_not_adopted_with_reasons_is_saved(client, coordinator, finding):
    data = decision_data(status=DecisionStatus.NOT_ADOPTED, reasons="Ei rahoitusta vuodelle 2027.")
    sign_in(client, coordinator).post(reverse("hearings:decision_create", args=[finding.pk]), data)
    assert Decision.objects.get().status == DecisionStatus.NOT_ADOPTED


@pytest.mark.django_db
def test_editing_a_decision_to_not_adopted_needs_reasons(client, coordinator, finding):
    decision = Decision.objects.create(finding=finding, body="Hallitus")
    data = decision_data(status=DecisionStatus.NOT_ADOPTED)
    response = sign_in(client, coordinator).post(reverse("hearings:decision_edit", args=[decision.pk]), data)
    assert response.status_code == 200
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CONSIDERING


@pytest.mark.django_db
def test_a_bad_link_is_a_form_error(client, coordinator, finding):
    data = decision_data(url="javascript:alert(1)")
    response = sign_in(client, coordinator).post(reverse("hearings:decision_create", args=[finding.pk]), data)
    assert response.status_code == 200
    assert not Decision.objects.exists()


# --- Publishing ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_open_campaigns_outcome_is_not_published(client, coordinator):
    campaign = CampaignFactory(heard_summary_fi="Kuulimme.")
    response = sign_in(client, coordinator).post(reverse("hearings:outcome_publish", args=[campaign.pk]), follow=True)
    campaign.refresh_from_db()
    assert campaign.outcome_published_at is None
    assert "once the campaign has closed" in response.content.decode()


@pytest.mark.django_db
def test_an_outcome_without_what_we_heard_is_not_published(coordinator, closed):
    Campaign.objects.filter(pk=closed.pk).update(heard_summary_fi="")
    with pytest.raises(outcome.OutcomeError):
        outcome.publish_outcome(campaign=closed)


@pytest.mark.django_db
def test_publishing_schedules_one_message_per_address_in_its_language(client, coordinator, closed):
    ContactRequest.objects.create(campaign=closed, email="aino@example.fi", language="fi")
    ContactRequest.objects.create(campaign=closed, email="asa@example.fi", language="sv")
    sign_in(client, coordinator).post(reverse("hearings:outcome_publish", args=[closed.pk]))
    closed.refresh_from_db()
    assert closed.outcome_published_at is not None
    rows = Notification.objects.filter(kind=outcome.OUTCOME_KIND)
    assert sorted(rows.values_list("to_address", "language")) == [("aino@example.fi", "fi"), ("asa@example.fi", "sv")]


@pytest.mark.django_db
def test_addresses_are_kept_until_sent_and_deleted_after(coordinator, closed, mailoutbox):
    ContactRequest.objects.create(campaign=closed, email="asa@example.fi", language="sv")
    outcome.publish_outcome(campaign=closed)
    # Scheduled is not sent: the address is still needed.
    assert outcome.sweep_outcome_contacts() == (0, 0)
    assert ContactRequest.objects.count() == 1
    assert send_due() == ["sent"]
    assert mailoutbox[0].to == ["asa@example.fi"]
    assert outcome.sweep_outcome_contacts() == (0, 1)
    assert not ContactRequest.objects.exists()
    # The outbox row keeps no address either.
    assert not Notification.objects.filter(to_address="asa@example.fi").exists()


@pytest.mark.django_db
def test_the_message_is_in_the_residents_language_and_links_to_the_campaign(coordinator, closed, mailoutbox):
    closed.title_sv = "Hälsostationernas öppettider"
    closed.save()
    ContactRequest.objects.create(campaign=closed, email="asa@example.fi", language="sv")
    outcome.publish_outcome(campaign=closed)
    send_due()
    message = mailoutbox[0]
    assert "Hälsostationernas öppettider" in message.subject
    assert closed.get_absolute_url() in message.body


@pytest.mark.django_db
def test_an_address_added_after_publishing_is_still_told(coordinator, closed, mailoutbox):
    outcome.publish_outcome(campaign=closed)
    # A form sent just before the campaign closed, committed after the publish read the list.
    ContactRequest.objects.create(campaign=closed, email="myohassa@example.fi", language="fi")
    assert outcome.sweep_outcome_contacts() == (1, 0)
    send_due()
    assert [message.to for message in mailoutbox] == [["myohassa@example.fi"]]
    outcome.sweep_outcome_contacts()
    assert not ContactRequest.objects.exists()


@pytest.mark.django_db
def test_publishing_twice_tells_no_one_twice(client, coordinator, closed, mailoutbox):
    ContactRequest.objects.create(campaign=closed, email="aino@example.fi", language="fi")
    sign_in(client, coordinator)
    client.post(reverse("hearings:outcome_publish", args=[closed.pk]))
    first = Campaign.objects.get(pk=closed.pk).outcome_published_at
    send_due()
    response = client.post(reverse("hearings:outcome_publish", args=[closed.pk]), follow=True)
    send_due()
    outcome.sweep_outcome_contacts()
    send_due()
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(kind=outcome.OUTCOME_KIND).count() == 1
    assert Campaign.objects.get(pk=closed.pk).outcome_published_at == first
    assert "already published" in response.content.decode()


@pytest.mark.django_db
def test_a_message_due_after_the_outcome_was_taken_back_is_not_sent(coordinator, closed, mailoutbox):
    ContactRequest.objects.create(campaign=closed, email="aino@example.fi", language="fi")
    outcome.publish_outcome(campaign=closed)
    Campaign.objects.filter(pk=closed.pk).update(outcome_published_at=None)
    assert send_due() == ["cancelled"]
    assert not mailoutbox
    assert ContactRequest.objects.count() == 1


@pytest.mark.django_db
def test_the_beat_task_runs_the_sweep(coordinator, closed):
    from hearings.tasks import sweep_outcome_contacts_task

    outcome.publish_outcome(campaign=closed)
    ContactRequest.objects.create(campaign=closed, email="aino@example.fi", language="fi")
    assert sweep_outcome_contacts_task() == (1, 0)


def test_beat_runs_the_outcome_sweep():
    from django.conf import settings

    from hearings.tasks import sweep_outcome_contacts_task

    entry = settings.CELERY_BEAT_SCHEDULE["sweep-outcome-contacts"]
    assert entry["task"] == sweep_outcome_contacts_task.name == "hearings.tasks.sweep_outcome_contacts_task"
