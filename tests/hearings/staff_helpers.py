"""Shared set-up of the staff side's tests (test_staff_*.py, test_topics.py, test_reminders_hearings.py)."""

import itertools
from datetime import timedelta

from django.utils import timezone

_keys = itertools.count(1)


def sign_in(client, user):
    """`client` signed in as `user`, the pages in English."""
    client.force_login(user)
    client.cookies["kp_language"] = "en"
    return client


def form_key() -> str:
    """A fresh one-time form key (form_keys.FORM_KEY_PATTERN)."""
    return f"testkey{next(_keys):04d}" + "x" * 20


def campaign_data(**changes) -> dict:
    """A valid campaign form: opens tomorrow at 9.00 for two weeks, published."""
    opens = timezone.localdate() + timedelta(days=1)
    data = {
        "form_key": form_key(),
        "title_fi": "Ikäihmisten kotihoidon kehittäminen",
        "title_sv": "Utveckling av hemvården för äldre",
        "summary_fi": "Kerro, mikä kotihoidossa toimii ja mikä ei.",
        "summary_sv": "Berätta vad som fungerar i hemvården.",
        "plain_summary_fi": "Kerro meille kotihoidosta.",
        "background_fi": "Kotihoidon asiakkaita on alueella noin 3 000.",
        "responsible_unit": "Ikääntyneiden palvelut",
        "target_groups": "Kotihoidon asiakkaat ja omaiset",
        "opens_on": opens.isoformat(),
        "opens_time": "09:00",
        "closes_on": (opens + timedelta(days=14)).isoformat(),
        "closes_time": "16:00",
        "channels": ["online", "workshop"],
        "languages": ["fi", "sv"],
        "is_published": "on",
        "ask_age_group": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def question_data(**changes) -> dict:
    data = {"form_key": form_key(), "kind": "text", "text_fi": "Mitä toivot kotihoidolta?", "text_sv": "Vad önskar du?"}
    data.update(changes)
    return data
