"""Programme materials: adding files (type, size and content checked) and links, deleting them (the file
leaves storage), and downloading them only as the programme's cohorts' people."""

import io
import secrets
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CohortFactory,
    ModuleFactory,
    ParticipantFactory,
    ProgrammeFactory,
    TrainingSessionFactory,
    UserFactory,
)
from tests.trainings.clients import sign_in as login
from trainings.models import Material

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


pytestmark = pytest.mark.usefixtures("english")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes(mimetype="application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", mimetype)
        package.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture
def programme(db):
    return ProgrammeFactory(slug="kasvava")


def add(client, programme, **data):
    """Post the programme page's material form, with a fresh one-time key as the page gives it."""
    data = {"title": "Diat", "form_key": secrets.token_urlsafe(24), **data}
    return client.post(reverse("trainings:material_add", args=[programme.slug]), data)


def stored_material(programme, name="Valmennuksen diat.pdf", content=PDF, **fields) -> Material:
    material = Material(programme=programme, title="Diat", filename=name, size=len(content), **fields)
    material.content_type = "application/pdf"
    material.file.save(name, ContentFile(content), save=False)
    material.save()
    return material


# --- Adding --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinator_adds_a_pdf_with_its_name_size_and_type_kept(client, coordinator, programme):
    module = ModuleFactory(programme=programme)
    upload = SimpleUploadedFile("Oma tarina – diat.pdf", PDF, content_type="application/octet-stream")
    response = add(login(client, coordinator), programme, file=upload, module=module.pk)
    assert response.status_code == 302
    material = Material.objects.get()
    assert (material.filename, material.size, material.content_type) == (
        "Oma tarina – diat.pdf",
        len(PDF),
        "application/pdf",
    )
    assert material.module == module and material.added_by == coordinator
    assert material.file.name.startswith("trainings/materials/") and "diat" not in material.file.name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("ohje.docx", docx_bytes()), ("ohje.odt", odt_bytes()), ("muistio.txt", "Hyvää päivää\n".encode())],
)
def test_office_and_text_files_are_accepted(client, coordinator, programme, name, content):
    response = add(login(client, coordinator), programme, file=SimpleUploadedFile(name, content))
    assert response.status_code == 302
    assert Material.objects.get().filename == name


@pytest.mark.django_db
def test_coordinator_adds_a_link(client, coordinator, programme):
    response = add(login(client, coordinator), programme, url="https://mieli.fi/materiaalit/")
    assert response.status_code == 302
    assert Material.objects.get().url == "https://mieli.fi/materiaalit/"


@pytest.mark.django_db
def test_a_file_type_not_allowed_is_refused(client, coordinator, programme):
    response = add(login(client, coordinator), programme, file=SimpleUploadedFile("asennus.exe", b"MZ\x90\x00"))
    assert response.status_code == 400
    assert "Files of this type cannot be added" in response.content.decode()
    assert not Material.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("diat.pdf", b"MZ\x90\x00 not a pdf"),
        ("kuva.png", b"\xff\xd8\xff\xe0 a jpeg named png"),
        ("ohje.docx", odt_bytes()),
        ("ohje.odt", odt_bytes("application/vnd.oasis.opendocument.spreadsheet")),
        ("ohje.xlsx", b"PK\x03\x04 broken zip"),
        ("muistio.txt", b"\x00\x01\x02binary"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(client, coordinator, programme, name, content):
    response = add(login(client, coordinator), programme, file=SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert "does not match its type" in response.content.decode()
    assert not Material.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(client, coordinator, programme, settings):
    settings.KP_MATERIAL_MAX_BYTES = 1024
    upload = SimpleUploadedFile("diat.pdf", PDF + b"0" * 1024)
    response = add(login(client, coordinator), programme, file=upload)
    assert response.status_code == 400
    assert "The file is too large. The largest allowed size is 1.0\xa0KB." in response.content.decode()
    assert not Material.objects.exists()


@pytest.mark.django_db
def test_a_file_and_a_link_together_are_refused(client, coordinator, programme):
    response = add(login(client, coordinator), programme, file=SimpleUploadedFile("d.pdf", PDF), url="https://x.fi/")
    assert response.status_code == 400
    assert "Add either a file or a link, not both." in response.content.decode()


@pytest.mark.django_db
def test_neither_file_nor_link_is_refused(client, coordinator, programme):
    response = add(login(client, coordinator), programme)
    assert response.status_code == 400
    assert "Choose a file or give a link." in response.content.decode()


@pytest.mark.django_db
def test_a_module_of_another_programme_is_refused(client, coordinator, programme):
    other = ModuleFactory()
    response = add(login(client, coordinator), programme, url="https://x.fi/", module=other.pk)
    assert response.status_code == 400
    assert not Material.objects.exists()


@pytest.mark.django_db
def test_trainer_cannot_add_materials(client, trainer, programme):
    CohortFactory(programme=programme).trainers.add(trainer)
    assert add(login(client, trainer), programme, url="https://x.fi/").status_code == 403


@pytest.mark.django_db
def test_adding_needs_post(client, coordinator, programme):
    assert login(client, coordinator).get(reverse("trainings:material_add", args=[programme.slug])).status_code == 405


# --- Deleting ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_deleting_a_material_removes_its_file_from_storage(client, coordinator, programme):
    material = stored_material(programme)
    storage, name = material.file.storage, material.file.name
    assert storage.exists(name)
    response = login(client, coordinator).post(reverse("trainings:material_delete", args=[material.pk]))
    assert response.status_code == 302
    assert not Material.objects.exists()
    assert not storage.exists(name)


@pytest.mark.django_db
def test_deleting_twice_is_harmless(client, coordinator, programme, django_capture_on_commit_callbacks):
    material = stored_material(programme)
    login(client, coordinator)
    url = reverse("trainings:material_delete", args=[material.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert client.post(url).status_code == 302


@pytest.mark.django_db
def test_trainer_cannot_delete_materials(client, trainer, programme):
    material = stored_material(programme)
    CohortFactory(programme=programme).trainers.add(trainer)
    assert login(client, trainer).post(reverse("trainings:material_delete", args=[material.pk])).status_code == 403
    assert Material.objects.filter(pk=material.pk).exists()


# --- Downloading ---------------------------------------------------------------------------------


def download(client, material):
    return client.get(reverse("trainings:material_download", args=[material.pk]))


@pytest.mark.django_db
def test_anonymous_download_goes_to_login(client, programme):
    response = download(client, stored_material(programme))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_coordinator_downloads_with_the_original_name_as_an_attachment(client, coordinator, programme):
    response = download(login(client, coordinator), stored_material(programme, name="Valmennuksen diat ä.pdf"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Valmennuksen%20diat%20%C3%A4.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_cohort_trainer_downloads(client, trainer, programme):
    CohortFactory(programme=programme).trainers.add(trainer)
    assert download(login(client, trainer), stored_material(programme)).status_code == 200


@pytest.mark.django_db
def test_session_trainer_who_is_an_expert_downloads(client, expert, programme):
    TrainingSessionFactory(cohort=CohortFactory(programme=programme)).trainers.add(expert)
    assert download(login(client, expert), stored_material(programme)).status_code == 200


@pytest.mark.django_db
def test_participant_with_an_account_downloads(client, expert, programme):
    ParticipantFactory(cohort=CohortFactory(programme=programme), user=expert)
    assert download(login(client, expert), stored_material(programme)).status_code == 200


@pytest.mark.django_db
def test_removed_participant_gets_404(client, expert, programme):
    ParticipantFactory(cohort=CohortFactory(programme=programme), user=expert, removed_at=timezone.now())
    assert download(login(client, expert), stored_material(programme)).status_code == 404


@pytest.mark.django_db
def test_trainer_of_another_programme_gets_404(client, trainer, programme):
    CohortFactory().trainers.add(trainer)
    assert download(login(client, trainer), stored_material(programme)).status_code == 404


@pytest.mark.django_db
def test_participant_of_another_programme_gets_404(client, expert, programme):
    ParticipantFactory(user=expert)
    assert download(login(client, expert), stored_material(programme)).status_code == 404


@pytest.mark.django_db
def test_expert_outside_the_cohorts_gets_404(client, expert, programme):
    assert download(login(client, expert), stored_material(programme)).status_code == 404


@pytest.mark.django_db
def test_link_material_redirects_to_the_link(client, coordinator, programme):
    material = Material.objects.create(programme=programme, title="Mieli ry", url="https://mieli.fi/")
    response = download(login(client, coordinator), material)
    assert response.status_code == 302 and response.url == "https://mieli.fi/"


@pytest.mark.django_db
def test_files_are_not_served_under_media_url(client, coordinator, programme, settings):
    material = stored_material(programme)
    response = login(client, coordinator).get(settings.MEDIA_URL + material.file.name)
    assert response.status_code == 404


@pytest.mark.django_db
def test_programme_page_links_files_only_for_those_who_may_download(client, programme):
    material = stored_material(programme)
    url = reverse("trainings:material_download", args=[material.pk])
    outsider = UserFactory(role="trainer", mfa=True)
    assert url not in login(client, outsider).get(programme.get_absolute_url()).content.decode()
    insider = UserFactory(role="trainer", mfa=True)
    CohortFactory(programme=programme).trainers.add(insider)
    assert url in login(client, insider).get(programme.get_absolute_url()).content.decode()


def test_a_double_submitted_link_is_added_once(client, coordinator, programme):
    login(client, coordinator)
    key = secrets.token_urlsafe(24)
    for _n in range(2):
        response = add(client, programme, url="https://example.fi/opas", form_key=key)
        assert response.status_code == 302
    assert Material.objects.filter(programme=programme).count() == 1
