"""Starting a round on an assignment, its messages through the outbox, form versions, and 40 participants
answering at the same moment."""

import re
import threading
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bookings.models import Assignment
from feedback import answer_connection
from feedback.models import Answer, FormTemplate, Round, Tally
from feedback.services import (
    FEW_ANSWERS_KIND,
    LINK_KIND,
    Filled,
    editable_version,
    few_answers_skip_reason,
    issue_token,
    items_of,
    submit_answer,
)
from notifications.models import Notification
from tests.factories import AssignmentFactory, ExpertProfileFactory, RoundFactory, seeded_form

pytestmark = pytest.mark.django_db


def create_url(assignment) -> str:
    return reverse("feedback:create", args=[ContentType.objects.get_for_model(Assignment).pk, assignment.pk])


def test_a_coordinator_starts_a_round_from_the_assignment_page(client, coordinator):
    assignment = AssignmentFactory(starts_in=-timedelta(hours=3))
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert create_url(assignment) in page
    form = client.get(create_url(assignment))
    assert form.context["form"].initial["title"] == assignment.title
    # The participants' form is chosen already: the select has no empty choice to trip over.
    assert form.context["form"].initial["template"] == FormTemplate.objects.get(kind="participant")
    select = re.search(r'<select name="template".*?</select>', form.content.decode(), re.S).group(0)
    assert "---------" not in select and "selected" in select
    template = FormTemplate.objects.get(kind="participant")
    opens = timezone.localtime().replace(second=0, microsecond=0)
    response = client.post(
        create_url(assignment),
        {
            "template": template.pk,
            "title": "Vertaisryhmä 3.12.",
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (opens + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "new_series": "Vertaisryhmä syksy 2026",
            "participants": "aino@example.fi, Eero@Example.fi\naino@example.fi",
        },
    )
    round_ = Round.objects.get()
    assert response.status_code == 302 and response.url == round_.get_absolute_url()
    assert round_.target == assignment and round_.owner == coordinator and round_.threshold == 5
    assert round_.series.name == "Vertaisryhmä syksy 2026"
    links = Notification.objects.filter(kind=LINK_KIND)
    assert sorted(links.values_list("to_address", flat=True)) == ["aino@example.fi", "eero@example.fi"]
    assert {n.context["path"] for n in links} == {round_.answer_url()}
    reminder = Notification.objects.get(kind=FEW_ANSWERS_KIND)
    assert reminder.recipient == coordinator and reminder.due_at == round_.closes_at - timedelta(days=1)
    assert round_.title in client.get(assignment.get_absolute_url()).content.decode()


def test_wrong_addresses_and_times_are_refused_with_nothing_saved(client, coordinator):
    assignment = AssignmentFactory(starts_in=-timedelta(hours=3))
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    response = client.post(
        create_url(assignment),
        {
            "template": FormTemplate.objects.get(kind="participant").pk,
            "title": "x",
            "opens_at": "2026-12-05T10:00",
            "closes_at": "2026-12-04T10:00",
            "participants": "aino@, eero@example.fi",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Check these addresses: aino@" in page and "The round must close after it opens." in page
    assert not Round.objects.exists() and not Notification.objects.exists()


def test_an_expert_cannot_start_a_round(client):
    expert = ExpertProfileFactory()
    client.force_login(expert.user)
    assert client.get(create_url(AssignmentFactory())).status_code == 404


def test_an_unregistered_target_is_not_found(client, coordinator):
    client.force_login(coordinator)
    user_type = ContentType.objects.get(app_label="accounts", model="user")
    assert client.get(reverse("feedback:create", args=[user_type.pk, coordinator.pk])).status_code == 404
    assert client.get(reverse("feedback:create", args=[999999, 1])).status_code == 404


def answer_stars(round_, stars=5):
    mood = items_of(round_.version)[0]
    return submit_answer(round_=round_, filled=Filled(values={mood.pk: stars}), token=issue_token(round_))


def test_the_few_answers_reminder_is_skipped_once_enough_have_answered():
    round_ = RoundFactory(threshold=3)
    assert few_answers_skip_reason(round_) == ""
    for _n in range(3):
        answer_stars(round_)
    assert few_answers_skip_reason(round_) == "enough answers already"


def test_changing_the_times_moves_the_messages(client):
    round_ = RoundFactory()
    client.force_login(round_.owner)
    closes = timezone.localtime(round_.closes_at + timedelta(days=2)).replace(second=0, microsecond=0)
    response = client.post(
        reverse("feedback:times", args=[round_.pk]),
        {
            "opens_at": timezone.localtime(round_.opens_at).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.closes_at == closes
    assert Notification.objects.get(kind=FEW_ANSWERS_KIND, status="pending").due_at == closes - timedelta(days=1)


def test_editing_a_form_with_answers_makes_a_new_version_and_old_answers_keep_theirs():
    template = FormTemplate.objects.get(kind="participant")
    first = template.latest_version()
    assert editable_version(template=template) == first  # no answers yet: edited in place
    round_ = RoundFactory(version=first)
    answer_stars(round_, 4)
    second = editable_version(template=template)
    assert second.number == first.number + 1
    assert [item.key for item in items_of(second)] == [item.key for item in items_of(first)]
    new_mood = items_of(second)[0]
    new_mood.text = "Miltä tänään tuntui?"
    new_mood.save()
    assert items_of(first)[0].text_fi == "Millainen fiilis sinulla oli tänään?"
    assert Tally.objects.get(item__isnull=False).item == items_of(first)[0]
    assert template.latest_version() == second
    assert editable_version(template=template) == second  # still no answers on the new one


def test_a_version_with_answers_is_read_only_in_admin(admin_client):
    round_ = RoundFactory()
    answer_stars(round_)
    url = reverse("admin:feedback_formversion_change", args=[round_.version.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


@pytest.mark.django_db(transaction=True)
def test_forty_participants_answering_at_once_are_all_stored_once():
    round_ = RoundFactory(version=seeded_form())
    tokens = [issue_token(round_) for _n in range(40)]
    mood = items_of(round_.version)[0].pk
    barrier = threading.Barrier(40)
    results, errors = [], []

    def participant(token):
        try:
            barrier.wait(timeout=30)
            # Each sends its form twice, as a double tap would: one answer each is stored.
            for _attempt in range(2):
                results.append(submit_answer(round_=round_, filled=Filled(values={mood: 5}), token=token))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            answer_connection.close()  # outside a transaction, answers go through their own connection
            connection.close()

    threads = [threading.Thread(target=participant, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(results) == 40  # 40 stored, 40 double taps found their receipt
    assert Answer.objects.filter(round=round_).count() == 40
    assert sum(Tally.objects.filter(round=round_, item_id=mood).values_list("n", flat=True)) == 40


def test_the_poster_and_the_qr_file_carry_the_link(client):
    round_ = RoundFactory()
    client.force_login(round_.owner)
    poster = client.get(reverse("feedback:poster", args=[round_.pk])).content.decode()
    assert "<svg" in poster and round_.code in poster and "/p/" in poster
    response = client.get(reverse("feedback:qr", args=[round_.pk]))
    assert response["Content-Type"] == "image/svg+xml" and response.content.startswith(b"<?xml")


@pytest.mark.django_db(transaction=True)
def test_answers_outside_a_transaction_go_through_their_own_connection_and_survive_losing_it():
    round_ = RoundFactory(version=seeded_form())
    try:
        assert answer_stars(round_, 4)
        first = answer_connection._local.conn
        assert first is not None and not first.closed
        with first.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone() == ("off",)
        first.close()  # as if the server had dropped it: the next answer reconnects
        assert answer_stars(round_, 5)
        assert answer_connection._local.conn is not first
        assert Answer.objects.filter(round=round_).count() == 2
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone() == ("on",)  # Django's own connection keeps waiting for the disk
    finally:
        answer_connection.close()
