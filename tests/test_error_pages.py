import pytest
from django.urls import include, path

from tests.factories import UserFactory


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("rikki/", broken_view), path("", include("kokemuspankki.urls"))]


@pytest.mark.django_db
def test_404_page_is_in_the_layout_and_finnish(client):
    response = client.get("/ei-ole-olemassa/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Sivua ei löytynyt" in html
    assert 'class="skip-link"' in html


@pytest.mark.django_db
def test_404_page_in_swedish(client):
    client.cookies["kp_language"] = "sv"
    assert '<html lang="sv">' in client.get("/finns-inte/").content.decode()


@pytest.mark.django_db
def test_403_page_is_translated(client):
    client.force_login(UserFactory(role="expert"))
    response = client.get("/kuulemiset/hallinta/")  # hearings for staff
    assert response.status_code == 403
    assert "Ei käyttöoikeutta" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_500_page_is_rendered_without_details(client):
    client.raise_request_exception = False
    response = client.get("/rikki/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "boom" not in html
    assert "Jokin meni vikaan" in html
