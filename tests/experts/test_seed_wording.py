"""The seeded lists' wording after the 2026-12 language review (experts/seed.py REWORDED, migration
experts/0010): seeded rows nobody edited are reworded, an admin's own wording stays."""

import pytest
from django.apps import apps
from django.utils import translation

from bookings.models import Tariff
from bookings.seed import reword_tariffs
from experts.models import ExperienceArea, Language, Organisation, TaskType
from experts.seed import reword_seed


def get_model(name):
    return apps.get_model("experts", name)


@pytest.mark.django_db
def test_a_new_installation_has_the_reviewed_swedish_words():
    with translation.override("sv"):
        assert ExperienceArea.objects.get(slug="paihteet").name == "Rusmedel"
        assert TaskType.objects.get(slug="asiakasraati").name == "Klientråd"
        assert Language.objects.get(slug="selkokieli").name == "Lätt språk"
        assert Organisation.objects.get(slug="hyvinvointialue").name == "Päijänne-Tavastlands välfärdsområde"
        assert Language.objects.get(slug="viittomakieli-sv").name == "Finlandssvenskt teckenspråk"


@pytest.mark.django_db
def test_rewording_changes_only_rows_that_still_say_the_old_words():
    ExperienceArea.objects.filter(slug="paihteet").update(name_sv="Missbruk")
    TaskType.objects.filter(slug="asiakasraati").update(name_sv="Klientpanelen i Lahtis")  # an admin's own
    Language.objects.filter(slug="viittomakieli-sv").delete()
    reword_seed(get_model)
    assert ExperienceArea.objects.get(slug="paihteet").name_sv == "Rusmedel"
    assert TaskType.objects.get(slug="asiakasraati").name_sv == "Klientpanelen i Lahtis"
    assert Language.objects.filter(slug="viittomakieli-sv").count() == 1
    reword_seed(get_model)  # again: nothing more
    assert Language.objects.filter(slug="viittomakieli-sv").count() == 1


@pytest.mark.django_db
def test_the_lecture_tariff_uses_the_task_types_words_unless_edited():
    Tariff.objects.filter(kind="lecture").update(name="Luento tai alustus", name_fi="Luento tai alustus")
    reword_tariffs(lambda name: apps.get_model("bookings", name))
    assert Tariff.objects.get(kind="lecture").name_fi == "Luento tai puheenvuoro"


@pytest.mark.django_db
def test_the_old_swedish_words_still_find_their_items(client, coordinator):
    from experts.models import TextQuery

    clauses = {term for clauses in TextQuery("kundpanel").wanted for clause in clauses for term in clause}
    assert any(term.startswith("asiakasraati") or term.startswith("klientrad") for term in clauses)
