"""Each facet of the coordinators' search (experts/filters.py), alone and together."""

from datetime import date, timedelta

import pytest

from experts.filters import ExpertFilter
from experts.models import BlockedPeriod, ExpertProfile, Organisation, ProfileStatus, TrainingLevel
from tests.factories import ExpertProfileFactory

MONDAY = date(2026, 11, 30)


def names(data: dict) -> list[str]:
    filters = ExpertFilter(data, queryset=ExpertProfile.objects.listed())
    assert filters.is_valid(), filters.errors
    return [profile.display_name for profile in filters.qs.ranked()]


@pytest.mark.django_db
def test_no_conditions_lists_every_listed_profile_by_name():
    ExpertProfileFactory(display_name="Eero")
    ExpertProfileFactory(display_name="Aino")
    assert names({}) == ["Aino", "Eero"]


@pytest.mark.django_db
def test_unconsented_profiles_never_appear_whatever_the_conditions():
    ExpertProfileFactory(display_name="Aino", experiences=[("masennus", "own")], bio="masennus")
    ExpertProfileFactory(
        display_name="Ei suostumusta", consent=False, experiences=[("masennus", "own")], bio="masennus"
    )
    assert names({}) == ["Aino"]
    assert names({"area": ["masennus"], "q": "masennus"}) == ["Aino"]


@pytest.mark.django_db
def test_left_profiles_do_not_appear_but_paused_do():
    ExpertProfileFactory(display_name="Tauolla", status=ProfileStatus.PAUSED, paused_until=MONDAY)
    ExpertProfileFactory(display_name="Lopettanut", status=ProfileStatus.LEFT)
    assert names({}) == ["Tauolla"]


@pytest.mark.django_db
def test_experience_area_matches_any_chosen_area():
    ExpertProfileFactory(display_name="Masennus", experiences=[("masennus", "own")])
    ExpertProfileFactory(display_name="Syöpä", experiences=[("syopa", "close_one")])
    ExpertProfileFactory(display_name="Päihteet", experiences=[("paihteet", "own")])
    assert names({"area": ["masennus", "syopa"]}) == ["Masennus", "Syöpä"]


@pytest.mark.django_db
def test_relation_applies_to_the_chosen_area_itself():
    ExpertProfileFactory(display_name="Omainen", experiences=[("masennus", "close_one")])
    # Own experience of depression, close one only in substance use: not a close one of depression.
    ExpertProfileFactory(display_name="Oma", experiences=[("masennus", "own"), ("paihteet", "close_one")])
    assert names({"area": ["masennus"], "relation": "close_one"}) == ["Omainen"]
    assert names({"area": ["masennus"], "relation": "own"}) == ["Oma"]


@pytest.mark.django_db
def test_relation_without_an_area_matches_any_experience_of_that_kind():
    ExpertProfileFactory(display_name="Omainen", experiences=[("syopa", "close_one")])
    ExpertProfileFactory(display_name="Oma", experiences=[("masennus", "own")])
    assert names({"relation": "close_one"}) == ["Omainen"]


@pytest.mark.django_db
def test_task_type_facet():
    ExpertProfileFactory(display_name="Luennoi", task_types=["luento", "media"])
    ExpertProfileFactory(display_name="Vertainen", task_types=["vertaisryhma"])
    assert names({"task": ["luento"]}) == ["Luennoi"]
    assert names({"task": ["luento", "vertaisryhma"]}) == ["Luennoi", "Vertainen"]


@pytest.mark.django_db
def test_language_facet():
    ExpertProfileFactory(display_name="Ruotsi", languages=["suomi", "ruotsi"])
    ExpertProfileFactory(display_name="Suomi", languages=["suomi"])
    assert names({"language": ["ruotsi"]}) == ["Ruotsi"]


@pytest.mark.django_db
def test_municipality_facet():
    ExpertProfileFactory(display_name="Lahti", municipalities=["lahti"])
    ExpertProfileFactory(display_name="Sysmä", municipalities=["sysma"])
    assert names({"municipality": ["sysma"]}) == ["Sysmä"]


@pytest.mark.django_db
def test_training_level_facet():
    ExpertProfileFactory(display_name="Koulutettu", training_level=TrainingLevel.TRAINED)
    ExpertProfileFactory(display_name="Toimija", training_level=TrainingLevel.ACTIVIST)
    assert names({"training": [TrainingLevel.TRAINED]}) == ["Koulutettu"]


@pytest.mark.django_db
def test_organisation_facet():
    ExpertProfileFactory(display_name="Mieli", organisation=Organisation.objects.get(slug="mieli-ry"))
    ExpertProfileFactory(display_name="Ei järjestöä")
    assert names({"organisation": ["mieli-ry"]}) == ["Mieli"]


@pytest.mark.django_db
def test_remote_facet_narrows_only_when_ticked():
    ExpertProfileFactory(display_name="Etä", remote_ok=True)
    ExpertProfileFactory(display_name="Paikan päällä", remote_ok=False)
    assert names({"remote": "on"}) == ["Etä"]
    assert names({}) == ["Etä", "Paikan päällä"]


@pytest.mark.django_db
def test_available_on_date_uses_weekly_pattern_blocked_dates_and_pause():
    ExpertProfileFactory(display_name="Maanantaisin", weekdays=[0])
    ExpertProfileFactory(display_name="Tiistaisin", weekdays=[1])
    on_holiday = ExpertProfileFactory(display_name="Lomalla", weekdays=[0])
    ExpertProfileFactory(
        display_name="Tauolla", status=ProfileStatus.PAUSED, paused_until=MONDAY + timedelta(days=7), weekdays=[0]
    )
    BlockedPeriod.objects.create(profile=on_holiday, start=MONDAY, end=MONDAY + timedelta(days=2))
    assert names({"date": MONDAY.isoformat()}) == ["Maanantaisin"]
    assert names({"date": (MONDAY + timedelta(days=1)).isoformat()}) == ["Tiistaisin"]


@pytest.mark.django_db
def test_facets_combine_with_and():
    ExpertProfileFactory(display_name="Kaikki", experiences=[("masennus", "own")], municipalities=["lahti"])
    ExpertProfileFactory(display_name="Väärä kunta", experiences=[("masennus", "own")], municipalities=["heinola"])
    ExpertProfileFactory(display_name="Väärä alue", experiences=[("syopa", "own")], municipalities=["lahti"])
    assert names({"area": ["masennus"], "municipality": ["lahti"]}) == ["Kaikki"]


@pytest.mark.django_db
def test_a_profile_matching_several_values_appears_once():
    ExpertProfileFactory(display_name="Monta", languages=["suomi", "ruotsi", "englanti"])
    assert names({"language": ["suomi", "ruotsi", "englanti"]}) == ["Monta"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field",
    [
        ({"date": "2026-13-45"}, "date"),
        ({"area": ["ei-ole"]}, "area"),
        ({"relation": "naapuri"}, "relation"),
        ({"training": ["professori"]}, "training"),
        ({"q": "x" * 201}, "q"),
        ({"q": "masennus\x00"}, "q"),
    ],
)
def test_bad_input_is_a_form_error(data, field):
    filters = ExpertFilter(data, queryset=ExpertProfile.objects.listed())
    assert not filters.is_valid()
    assert list(filters.errors) == [field]
