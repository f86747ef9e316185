import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.conftest import free_port


@pytest.mark.django_db
def test_healthz_reports_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_broker_down(client, monkeypatch):
    from kokemuspankki.celery import app

    # Nothing listens on this port: the broker check fails fast instead of hanging.
    monkeypatch.setattr(app.conf, "broker_url", f"redis://127.0.0.1:{free_port()}/0")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "down"}


@pytest.mark.django_db
def test_healthz_reports_database_down(client, monkeypatch):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "down"
