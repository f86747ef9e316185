"""The name an expert shows must be visible: a lone zero-width character, or only spaces and format
characters, passes "required" but would leave cards, bookings and emails with an empty name."""

import pytest
from django.urls import reverse
from django.utils import translation

from experts.forms_profile import BasicsForm
from experts.models import ExpertProfile

INVISIBLE = "Write a name. Spaces or invisible characters alone are not a name."


@pytest.mark.parametrize(
    "name",
    [
        "\u200b",  # zero-width space
        "\u200b\u200c\u200d\u2060\ufeff",  # zero-width (non-)joiners, word joiner, byte order mark
        "\u00a0\u3000\u2003",  # no-break, ideographic and em spaces
        "\u3164",  # Hangul filler: a "letter" that shows nothing
        "\u2800",  # blank Braille pattern
        "\u0301",  # a combining accent with nothing to sit on
        "\u202e \u200f",  # direction marks
    ],
)
def test_an_invisible_name_is_refused(name):
    with translation.override("en"):  # the language a previous test's request left active otherwise
        form = BasicsForm({"display_name": name, "bio": ""})
        assert not form.is_valid()
        assert form.errors["display_name"] in ([INVISIBLE], ["This field is required."])


@pytest.mark.parametrize(("name", "kept"), [("Åsa-Märta", "Åsa-Märta"), ("  Eero \u00a0 M. ", "Eero M."), ("😊", "😊")])
def test_a_visible_name_is_kept_with_its_spaces_tidied(name, kept):
    form = BasicsForm({"display_name": name, "bio": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["display_name"] == kept


@pytest.mark.django_db
def test_the_guided_form_refuses_an_invisible_name_in_finnish(client, expert):
    client.force_login(expert)
    client.cookies["kp_language"] = "fi"
    response = client.post(reverse("experts:profile_step", args=[1]), {"display_name": "\u200b", "bio": "Teksti"})
    assert response.status_code == 200
    assert "Kirjoita nimi. Pelkät välilyönnit tai näkymättömät merkit eivät ole nimi." in response.content.decode()
    assert not ExpertProfile.objects.filter(user=expert).exists()
