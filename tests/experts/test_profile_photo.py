"""Profile photos: optional, JPEG/PNG/WebP only, size-limited, re-encoded without EXIF/GPS, at most 1200px."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import AuditEvent
from experts.models import ExpertProfile
from tests.factories import ExpertProfileFactory

EDIT_BASICS = reverse("experts:profile_edit", args=["perustiedot"])
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(1600, 900)) -> bytes:
    """A JPEG such as a phone takes: camera model, GPS position and an orientation tag in EXIF."""
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x0110] = "Puhelin X"  # camera model
    exif[ORIENTATION] = 1
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (60.0, 59.0, 0.0), 3: "E", 4: (25.0, 39.0, 0.0)})
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(content: bytes, name="kuva.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def profile(expert):
    return ExpertProfileFactory(user=expert, display_name="Aino", bio="Vanha esittely", onboarding_step=6)


def post_basics(client, photo, **fields):
    return client.post(EDIT_BASICS, {"display_name": "Aino", "bio": "Uusi esittely", "photo": photo, **fields})


@pytest.mark.django_db
def test_the_test_photo_really_carries_gps(profile):
    assert GPS_IFD in Image.open(BytesIO(jpeg_with_gps())).getexif()


@pytest.mark.django_db
def test_uploaded_photo_is_stored_without_exif_and_gps(signed_in, profile):
    response = post_basics(signed_in, upload(jpeg_with_gps()))
    assert response.status_code == 302
    profile.refresh_from_db()
    with profile.photo.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info and "xmp" not in image.info


@pytest.mark.django_db
def test_uploaded_photo_is_scaled_to_1200px_and_renamed(signed_in, profile):
    post_basics(signed_in, upload(jpeg_with_gps(size=(2400, 1200)), name="aino-lahti-2025-06-01.jpg"))
    profile.refresh_from_db()
    with profile.photo.open("rb") as stored:
        assert Image.open(stored).size == (1200, 600)
    assert "aino" not in profile.photo.name  # the original file name is not kept


@pytest.mark.django_db
@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(signed_in, profile, image_format):
    buffer = BytesIO()
    Image.new("RGBA", (300, 300), (0, 0, 200, 255)).save(buffer, format=image_format)
    response = post_basics(signed_in, upload(buffer.getvalue(), name="kuva", content_type="image/png"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.photo.name.endswith("." + image_format.lower())


@pytest.mark.django_db
def test_a_gif_is_refused_and_the_other_fields_are_kept(signed_in, profile):
    buffer = BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    response = post_basics(signed_in, upload(buffer.getvalue(), name="kuva.gif", content_type="image/gif"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose a JPEG, PNG or WebP image." in body
    assert "Uusi esittely" in body  # what was typed is still in the form
    profile.refresh_from_db()
    assert not profile.photo and profile.bio == "Vanha esittely"


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused(signed_in, profile):
    response = post_basics(signed_in, upload(b"%PDF-1.4 not a picture", name="kuva.jpg"))
    assert response.status_code == 200
    assert "Choose a JPEG, PNG or WebP image." in response.content.decode()
    assert 'id="id_photo_error"' in response.content.decode()


@pytest.mark.django_db
def test_a_too_large_photo_is_refused(signed_in, profile, settings):
    settings.KP_MAX_PHOTO_BYTES = 1000
    response = post_basics(signed_in, upload(jpeg_with_gps()))
    assert response.status_code == 200
    assert "The photo is too large." in response.content.decode()
    profile.refresh_from_db()
    assert not profile.photo


@pytest.mark.django_db
def test_the_photo_is_optional(signed_in, profile):
    response = signed_in.post(EDIT_BASICS, {"display_name": "Aino", "bio": "Uusi esittely"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.bio == "Uusi esittely" and not profile.photo


@pytest.mark.django_db
def test_removing_the_photo_deletes_the_file(signed_in, profile, django_capture_on_commit_callbacks):
    post_basics(signed_in, upload(jpeg_with_gps()))
    profile.refresh_from_db()
    storage, name = profile.photo.storage, profile.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(EDIT_BASICS, {"display_name": "Aino", "bio": "", "remove_photo": "on"})
    profile.refresh_from_db()
    assert not profile.photo
    assert not storage.exists(name)
    assert AuditEvent.objects.filter(subject=profile.user, fields__contains=["photo"]).count() == 2


@pytest.mark.django_db
def test_own_photo_is_served_only_to_its_owner(signed_in, profile, client):
    post_basics(signed_in, upload(jpeg_with_gps()))
    response = signed_in.get(reverse("experts:my_photo"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    other = ExpertProfileFactory()
    signed_in.force_login(other.user)
    assert signed_in.get(reverse("experts:my_photo")).status_code == 404  # their own: none
    assert ExpertProfile.objects.get(pk=profile.pk).photo


@pytest.mark.django_db
def test_saving_without_a_new_photo_keeps_the_old_one(signed_in, profile):
    post_basics(signed_in, upload(jpeg_with_gps()))
    profile.refresh_from_db()
    name = profile.photo.name
    signed_in.post(EDIT_BASICS, {"display_name": "Aino", "bio": "Taas uusi"})
    profile.refresh_from_db()
    assert profile.photo.name == name and profile.bio == "Taas uusi"


def with_photo(visibility: str, **fields) -> ExpertProfile:
    """A listed expert with a photo, shown at `visibility` (and public profile details if asked)."""
    profile = ExpertProfileFactory(display_name="Aino", visibility={"photo": visibility}, **fields)
    profile.photo.save("aino.jpg", upload(jpeg_with_gps()), save=False)
    profile.save(update_fields=["photo"])  # the factory's instance lacks the search columns it filled
    return profile


@pytest.mark.django_db
def test_a_coordinator_sees_the_photo_on_the_profile_page(client, coordinator):
    profile = with_photo("coordinators")
    client.force_login(coordinator)
    page = client.get(reverse("experts:detail", args=[profile.pk])).content.decode()
    photo_url = reverse("experts:photo", args=[profile.pk])
    assert f'<img class="profile-photo" src="{photo_url}"' in page
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert Image.open(BytesIO(b"".join(response.streaming_content))).format == "JPEG"


@pytest.mark.django_db
@pytest.mark.parametrize("visibility, status", [("coordinators", 404), ("staff", 200), ("public", 200)])
def test_other_staff_see_the_photo_only_if_the_expert_shares_it_with_them(client, trainer, visibility, status):
    profile = with_photo(visibility)
    client.force_login(trainer)
    assert client.get(reverse("experts:photo", args=[profile.pk])).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    "directory, visibility, status", [(False, "public", 404), (True, "staff", 404), (True, "public", 200)]
)
def test_the_public_sees_a_public_photo_only_with_the_directory_on(client, settings, directory, visibility, status):
    settings.KP_PUBLIC_DIRECTORY = directory
    profile = with_photo(visibility, is_public=True)
    assert client.get(reverse("experts:photo", args=[profile.pk])).status_code == status


@pytest.mark.django_db
def test_no_photo_of_an_unlisted_expert_or_of_none(client, coordinator):
    unlisted = with_photo("coordinators", consent=False)
    without = ExpertProfileFactory()
    client.force_login(coordinator)
    for profile in (unlisted, without):
        assert client.get(reverse("experts:photo", args=[profile.pk])).status_code == 404
    assert client.get("/asiantuntijat/999999/kuva/").status_code == 404
