"""What the 2026-12 language review asked of the code: message contexts where one English word is two
Swedish ones, the accessibility statement's supervisory authority and date from settings, and a
county's own catalogues (KP_EXTRA_LOCALE_PATH) winning over ours."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from accounts.models import Invitation
from bookings.models import BookingStatus
from experts.models import Consent

ROOT = Path(__file__).resolve().parent.parent


def label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def test_consent_words_agree_with_the_neuter_samtycke_and_booking_words_with_bokning():
    with translation.override("sv"):
        assert pgettext("consent", "Given") == "Givet"
        assert (label(Consent, "given_at"), label(Consent, "withdrawn_at")) == ("givet den", "återkallat den")
        assert str(BookingStatus.ACCEPTED.label) == "Tackat ja"
        assert label(Invitation, "accepted_at") == "accepterad"
    with translation.override("fi"):
        assert str(BookingStatus.ACCEPTED.label) == "Vastannut kyllä"
        assert label(Invitation, "accepted_at") == "hyväksytty"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, name, address, prepared",
    [
        (
            "fi",
            "Liikenne- ja viestintävirasto Traficom",
            "www.saavutettavuusvaatimukset.fi",
            "Tämä seloste on laadittu 23. marraskuuta 2026.",
        ),
        (
            "sv",
            "Transport- och kommunikationsverket Traficom",
            "www.tillganglighetskrav.fi",
            "Utlåtandet har upprättats den 23 november 2026.",
        ),
        (
            "en",
            "Finnish Transport and Communications Agency Traficom",
            "www.webaccessibility.fi",
            "This statement was prepared on 23 November 2026.",
        ),
    ],
)
def test_the_accessibility_statement_names_traficom_and_its_date_in_each_language(
    client, language, name, address, prepared
):
    client.cookies["kp_language"] = language
    page = client.get(reverse("accessibility")).content.decode()
    assert name in page
    assert f'<a href="https://{address}">{address}</a>' in page
    assert '<a href="mailto:saavutettavuus@traficom.fi">saavutettavuus@traficom.fi</a>' in page
    assert prepared in page
    assert "avi.fi" not in page


@pytest.mark.django_db
def test_a_county_sets_the_supervisor_and_the_date_without_touching_the_catalogues(client):
    supervisor = {"name": {"fi": "Valvova virasto", "sv": "Tillsynsverket"}, "url": "https://valvonta.example"}
    with override_settings(ACCESSIBILITY_SUPERVISOR=supervisor, ACCESSIBILITY_STATEMENT_DATE="2027-01-05"):
        page = client.get(reverse("accessibility")).content.decode()
        assert "Valvova virasto" in page and "valvonta.example" in page and "mailto:" not in page
        assert "Tämä seloste on laadittu 5. tammikuuta 2027." in page
        client.cookies["kp_language"] = "en"  # no English name: the Finnish one
        assert "Valvova virasto" in client.get(reverse("accessibility")).content.decode()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
def test_a_county_catalogue_in_kp_extra_locale_path_wins_over_ours(tmp_path):
    po = tmp_path / "fi" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Skip to main content"\nmsgstr "Hyppää sisältöön"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.utils import translation\n"
        "translation.activate('fi')\n"
        "print(settings.LOCALE_PATHS[0]); print(translation.gettext('Skip to main content'))\n"
        "print(translation.gettext('Email'))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kokemuspankki.settings", "KP_EXTRA_LOCALE_PATH": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [str(tmp_path), "Hyppää sisältöön", "Sähköposti"]
