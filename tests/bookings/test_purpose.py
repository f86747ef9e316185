"""An assignment can say what it is for (Assignment.purpose): the hook through which trainings and
hearings book experts with this app's chain instead of their own."""

import pytest
from django.urls import reverse

from bookings import services
from bookings.forms import AssignmentForm
from bookings.models import Assignment
from experts.models import TaskType
from tests.factories import AssignmentFactory


@pytest.mark.django_db
def test_a_plain_order_has_no_purpose():
    assignment = AssignmentFactory()
    assert assignment.purpose is None
    assert assignment.purpose_type_id is None


@pytest.mark.django_db
def test_assignments_are_found_by_their_purpose():
    # Any model can be the purpose; a task type stands in for a training session here.
    session, other = TaskType.objects.order_by("pk")[:2]
    mine = AssignmentFactory(purpose=session)
    AssignmentFactory(purpose=other)
    AssignmentFactory()
    assert list(Assignment.objects.for_purpose(session)) == [mine]
    assert Assignment.objects.get(pk=mine.pk).purpose == session


@pytest.mark.django_db
def test_create_assignment_records_the_purpose(coordinator):
    session = TaskType.objects.first()
    data = {
        "title": "Valmennuskerta 3: oma tarina",
        "task_type": session.pk,
        "date": "1.6.2099",
        "start_time": "10.00",
        "end_time": "12.00",
        "unit": "Sosiaalinen kuntoutus",
        "contact_person": coordinator.pk,
        "tariff": AssignmentFactory.build().tariff.pk,
        "experts_needed": "1",
        "form_key": "k" * 32,
    }
    form = AssignmentForm(data, user=coordinator)
    assert form.is_valid(), form.errors
    assignment = services.create_assignment(form=form, actor=coordinator, purpose=session)
    assert Assignment.objects.for_purpose(session).get() == assignment


@pytest.mark.django_db
def test_a_half_set_purpose_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    assignment = AssignmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(purpose_id=1)


@pytest.mark.django_db
def test_the_assignment_page_names_its_purpose(client, coordinator):
    session = TaskType.objects.get(slug="luento")
    assignment = AssignmentFactory(contact_person=coordinator, purpose=session)
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    page = client.get(reverse("bookings:assignment_detail", args=[assignment.pk])).content.decode()
    assert "Part of" in page
    assert str(session) in page
