"""Trainings in admin: every model's list and form open, materials are checked as on the programme
page, and the attendance correction log cannot be edited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import (
    CohortFactory,
    GuideFactory,
    ModuleFactory,
    OnboardingStepFactory,
    ParticipantFactory,
    ProgrammeFactory,
    TrainingSessionFactory,
)
from trainings.models import Attendance, AttendanceChange, Cost, Material

MODELS = [
    "programme",
    "module",
    "material",
    "cohort",
    "participant",
    "trainingsession",
    "attendance",
    "attendancechange",
    "cost",
    "onboardingstep",
    "onboardingitem",
    "guide",
]


@pytest.fixture
def rows(db):
    programme = ProgrammeFactory()
    ModuleFactory(programme=programme)
    cohort = CohortFactory(programme=programme)
    participant = ParticipantFactory(cohort=cohort)
    session = TrainingSessionFactory(cohort=cohort)
    attendance = Attendance.objects.create(session=session, participant=participant, status="present")
    AttendanceChange.objects.create(attendance=attendance, old_status="absent", new_status="present")
    Cost.objects.create(cohort=cohort, kind="facilities", amount=120)
    Material.objects.create(programme=programme, title="Mieli ry", url="https://mieli.fi/")
    OnboardingStepFactory()
    GuideFactory()
    return programme


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_changelist_opens_with_search(client, admin_user, rows, model):
    client.force_login(admin_user)
    response = client.get(reverse(f"admin:trainings_{model}_changelist"), {"q": "ä"})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m in MODELS if m not in ("attendance", "attendancechange")])
def test_add_form_opens(client, admin_user, rows, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:trainings_{model}_add")).status_code == 200


@pytest.mark.django_db
def test_programme_change_form_has_module_and_material_inlines(client, admin_user, rows):
    client.force_login(admin_user)
    html = client.get(reverse("admin:trainings_programme_change", args=[rows.pk])).content.decode()
    assert 'id="modules-group"' in html and 'id="materials-group"' in html


@pytest.mark.django_db
def test_attendance_corrections_are_read_only(client, admin_user, rows):
    client.force_login(admin_user)
    change = AttendanceChange.objects.get()
    assert client.get(reverse("admin:trainings_attendancechange_add")).status_code == 403
    response = client.post(reverse("admin:trainings_attendancechange_delete", args=[change.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AttendanceChange.objects.filter(pk=change.pk).exists()


@pytest.mark.django_db
def test_admin_refuses_a_material_of_the_wrong_type(client, admin_user, rows, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    data = {"programme": rows.pk, "title": "Ohjelma", "file": SimpleUploadedFile("ohjelma.exe", b"MZ\x90")}
    response = client.post(reverse("admin:trainings_material_add"), data)
    assert response.status_code == 200
    assert "Tämän tyyppisiä tiedostoja ei voi lisätä" in response.content.decode()
    assert not Material.objects.filter(title="Ohjelma").exists()


@pytest.mark.django_db
def test_admin_keeps_an_uploaded_materials_name_and_size(client, admin_user, rows, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    pdf = b"%PDF-1.7\n%%EOF\n"
    data = {"programme": rows.pk, "title": "Diat", "file": SimpleUploadedFile("Diat ö.pdf", pdf)}
    assert client.post(reverse("admin:trainings_material_add"), data).status_code == 302
    material = Material.objects.get(title="Diat")
    assert (material.filename, material.size, material.added_by) == ("Diat ö.pdf", len(pdf), admin_user)


@pytest.mark.django_db
def test_completed_trainings_are_in_the_expert_admin(client, admin_user):
    from experts.models import CompletedTraining
    from tests.factories import ExpertProfileFactory

    profile = ExpertProfileFactory()
    CompletedTraining.objects.create(profile=profile, title="Kasvava kokemusasiantuntijuus", source="record")
    client.force_login(admin_user)
    assert client.get(reverse("admin:experts_completedtraining_changelist")).status_code == 200
    html = client.get(reverse("admin:experts_expertprofile_change", args=[profile.pk])).content.decode()
    assert "Kasvava kokemusasiantuntijuus" in html


@pytest.mark.django_db
def test_attendance_is_not_edited_in_admin(client, admin_user, rows):
    """An edit in admin would bypass the corrections log of the session's page."""
    client.force_login(admin_user)
    attendance = Attendance.objects.get()
    assert client.get(reverse("admin:trainings_attendance_add")).status_code == 403
    response = client.post(reverse("admin:trainings_attendance_change", args=[attendance.pk]), {"status": "absent"})
    assert response.status_code == 403
    attendance.refresh_from_db()
    assert attendance.status == "present"
