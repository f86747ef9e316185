"""The search's facet tokens (ExpertProfile.facets), the lists read once a request, and the counted
search that finds its pages in the same query."""

from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import translation

from experts.models import (
    ExperienceArea,
    ExpertProfile,
    Language,
    Municipality,
    SearchResults,
    TaskType,
    TextQuery,
    taxonomy_lists,
)
from experts.models.search import attach_facet_lists
from experts.services import set_weekly_availability
from tests.factories import ExpertProfileFactory, UserFactory


def ids(model, *slugs):
    return [model.objects.get(slug=slug).pk for slug in slugs]


@pytest.mark.django_db
def test_facets_hold_every_list_the_relation_and_the_weekdays():
    profile = ExpertProfileFactory(
        experiences=[("masennus", "own"), ("syopa", "close_one")],
        task_types=["luento"],
        languages=["suomi", "ruotsi"],
        municipalities=["lahti"],
        weekdays=[0, 3],
    )
    masennus, syopa = ids(ExperienceArea, "masennus", "syopa")
    (luento,) = ids(TaskType, "luento")
    suomi, ruotsi = ids(Language, "suomi", "ruotsi")
    (lahti,) = ids(Municipality, "lahti")
    profile.refresh_from_db()
    assert profile.facets == sorted(
        [
            f"area:{masennus}",
            f"area:{masennus}:own",
            f"area:{syopa}",
            f"area:{syopa}:close_one",
            "relation:close_one",
            "relation:own",
            f"task:{luento}",
            f"language:{suomi}",
            f"language:{ruotsi}",
            f"municipality:{lahti}",
            "weekday:0",
            "weekday:3",
        ]
    )


@pytest.mark.django_db
def test_a_new_weekly_pattern_moves_the_expert_between_dates_at_once(expert):
    profile = ExpertProfileFactory(user=expert, weekdays=[0])
    monday, tuesday = date(2030, 1, 7), date(2030, 1, 8)
    assert list(ExpertProfile.objects.available_on(monday)) == [profile]
    set_weekly_availability(profile=profile, slots=[(1, time(9), time(12))], monthly_cap=None, actor=expert)
    assert list(ExpertProfile.objects.available_on(monday)) == []
    assert list(ExpertProfile.objects.available_on(tuesday)) == [profile]


@pytest.mark.django_db
def test_a_weekly_slot_added_in_admin_reaches_the_search(client):
    profile = ExpertProfileFactory()
    client.force_login(UserFactory(role="admin", mfa=True))
    response = client.post(
        reverse("admin:experts_weeklyavailability_add"),
        {"profile": profile.pk, "weekday": 4, "start": "09:00", "end": "12:00"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert "weekday:4" in profile.facets


@pytest.mark.django_db
def test_lists_changed_in_the_admin_profile_form_reach_the_search(rf):
    from types import SimpleNamespace

    from django.contrib import admin

    profile = ExpertProfileFactory(municipalities=["lahti"])
    heinola = Municipality.objects.get(slug="heinola")
    form = SimpleNamespace(instance=profile, save_m2m=lambda: profile.municipalities.set([heinola]))
    admin.site._registry[ExpertProfile].save_related(rf.post("/"), form, formsets=[], change=True)
    profile.refresh_from_db()
    assert f"municipality:{heinola.pk}" in profile.facets
    assert "heinola" in profile.search_text


@pytest.mark.django_db
def test_deleting_slots_in_admin_updates_the_search(client):
    profile = ExpertProfileFactory(weekdays=[2])
    slot = profile.weekly_slots.get()
    client.force_login(UserFactory(role="admin", mfa=True))
    response = client.post(
        reverse("admin:experts_weeklyavailability_changelist"),
        {"action": "delete_selected", "_selected_action": [slot.pk], "post": "yes"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert "weekday:2" not in profile.facets


@pytest.mark.django_db
def test_the_lists_come_in_their_order_and_in_the_active_language():
    with translation.override("sv"):
        lists = taxonomy_lists()
        first = str(lists["task"][0])
    tasks = list(TaskType.objects.order_by("order", "name_sv"))
    assert [item.pk for item in lists["task"]] == [item.pk for item in tasks]
    assert first == tasks[0].name_sv
    assert set(lists) == {"area", "task", "language", "municipality", "organisation"}
    assert len(lists["municipality"]) == Municipality.objects.count()


@pytest.mark.django_db
def test_the_lists_are_read_every_time_and_their_items_made_again_only_after_a_change(django_assert_num_queries):
    with django_assert_num_queries(1):
        first = taxonomy_lists()
    with django_assert_num_queries(1):
        again = taxonomy_lists()
    assert again["task"][0] is first["task"][0]  # the same rows: the items of last time
    TaskType.objects.filter(pk=first["task"][0].pk).update(name_fi="Luento tai esitelmä")
    changed = taxonomy_lists()
    assert changed["task"][0] is not first["task"][0]
    assert changed["task"][0].name_fi == "Luento tai esitelmä"
    with translation.override("sv"):
        assert taxonomy_lists() is not changed  # remembered per language, in that language's order


@pytest.mark.django_db
def test_cards_get_their_lists_from_the_facets_without_queries(django_assert_num_queries):
    profile = ExpertProfileFactory(
        experiences=[("masennus", "close_one")], task_types=["luento", "media"], municipalities=["lahti"]
    )
    profile.refresh_from_db()
    lists = taxonomy_lists()
    with django_assert_num_queries(0):
        (card,) = attach_facet_lists([profile], lists)
    with translation.override("en"):
        assert [(entry.area.slug, entry.get_relation_display()) for entry in card.experience_list] == [
            ("masennus", "As a close one")
        ]
    assert [task.slug for task in card.task_list] == [
        task.slug for task in TaskType.objects.filter(slug__in=["luento", "media"])
    ]
    assert [place.slug for place in card.municipality_list] == ["lahti"]
    assert card.language_list == []


@pytest.mark.django_db
def test_a_search_within_the_cap_finds_count_and_pages_in_one_query(django_assert_num_queries):
    for n in range(3):
        ExpertProfileFactory(display_name=f"Lista {n}", experiences=[("syopa", "own")])
        ExpertProfileFactory(display_name=f"Teksti {n}", bio="Sairastuin rintasyöpään.")
    query = TextQuery("syöpä")
    results = SearchResults(ExpertProfile.objects.listed().filter(query.match), query, cap=10, lists=taxonomy_lists())
    with django_assert_num_queries(1):
        assert results.count() == 6
    # The pages come from that query in ranked order: the better fit (in the lists) first.
    with django_assert_num_queries(1):  # the page's profiles
        first = [profile.display_name for profile in results[0:4]]
    assert first == ["Lista 0", "Lista 1", "Lista 2", "Teksti 0"]
    assert [profile.display_name for profile in results[4:8]] == ["Teksti 1", "Teksti 2"]


@pytest.mark.django_db
def test_a_search_over_the_cap_reads_its_pages_in_ranked_order():
    for n in range(4):
        ExpertProfileFactory(display_name=f"Teksti {n}", bio="Sairastuin rintasyöpään.")
        ExpertProfileFactory(display_name=f"Lista {n}", experiences=[("syopa", "own")])
    query = TextQuery("syöpä")
    results = SearchResults(ExpertProfile.objects.listed().filter(query.match), query, cap=5)
    assert results.count() == 6
    assert results.matches is None
    assert [profile.display_name for profile in results[0:5]] == [
        "Lista 0",
        "Lista 1",
        "Lista 2",
        "Lista 3",
        "Teksti 0",
    ]


@pytest.mark.django_db
def test_a_word_alone_is_counted_over_the_cap_by_the_full_text_index(django_assert_num_queries):
    from experts.filters import ExpertFilter

    for n in range(4):
        ExpertProfileFactory(display_name=f"Teksti {n}", bio="Vedän masennusryhmää.")
    filters = ExpertFilter({"q": "masennus"}, queryset=ExpertProfile.objects.listed())
    assert filters.is_valid()
    results = SearchResults(filters.qs, filters.text_query, cap=2, probe=filters.count_probe)
    with django_assert_num_queries(1):  # the probe alone: over the cap
        assert results.count() == 3
    assert results.matches is None
    assert len(results[0:25]) == 4


@pytest.mark.django_db
def test_the_probe_is_only_for_a_word_alone_and_never_changes_the_count():
    from experts.filters import ExpertFilter

    ExpertProfileFactory(bio="Vedän masennusryhmää.", municipalities=["lahti"])
    ExpertProfileFactory(bio="Ryhmämasennus on tuttua.")  # only the substring match finds this one
    with_place = ExpertFilter({"q": "masennus", "municipality": ["lahti"]}, queryset=ExpertProfile.objects.listed())
    assert with_place.is_valid() and with_place.count_probe is None
    alone = ExpertFilter({"q": "masennus"}, queryset=ExpertProfile.objects.listed())
    assert alone.is_valid() and alone.count_probe is not None
    results = SearchResults(alone.qs, alone.text_query, cap=10, probe=alone.count_probe)
    assert results.count() == 2  # within the cap the probe (one match) is not the answer
    quoted = ExpertFilter({"q": '"masennus"'}, queryset=ExpertProfile.objects.listed())
    assert quoted.is_valid() and quoted.count_probe is None  # websearch syntax: one index already
