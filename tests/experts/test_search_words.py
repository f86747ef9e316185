"""The search's own vocabulary: synonyms kept in admin, typos read against stored words, the words that
explain a match on the result card, and the nightly rebuild."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from experts.models import ExperienceArea, ExpertProfile, SearchResults, SearchWord, TextQuery, taxonomy_lists
from experts.models.search import attach_facet_lists
from experts.services import rebuild_search_words, refresh_search_document, withdraw_consent
from experts.tasks import rebuild_search_words_task
from experts.views.search import card as make_card
from tests.factories import ExpertProfileFactory

URL = reverse("experts:index")


def found(text: str) -> list[str]:
    query = TextQuery(text)
    results = SearchResults(ExpertProfile.objects.listed().filter(query.match), query)
    return sorted(profile.display_name for profile in results[0:100])


@pytest.mark.django_db
def test_a_related_word_edited_in_admin_finds_the_area_at_once():
    ExpertProfileFactory(display_name="Kokija", experiences=[("syopa", "own")])
    ExpertProfileFactory(display_name="Muu", experiences=[("masennus", "own")])
    assert found("lymfooma") == []
    ExperienceArea.objects.filter(slug="syopa").update(related_words="leukemia,\nlymfooma")
    assert found("lymfooma") == ["Kokija"]


@pytest.mark.django_db
def test_a_synonym_finds_the_introduction_that_uses_another_word_of_the_group():
    ExpertProfileFactory(display_name="Kertoja", bio="Olen ollut masentunut pitkään.")
    ExpertProfileFactory(display_name="Muu", bio="Puhun syövästä.")
    assert found("masennus") == ["Kertoja"]
    assert found("depression") == ["Kertoja"]


@pytest.mark.django_db
def test_a_related_word_of_two_words_is_read_as_one_when_typed():
    ExpertProfileFactory(display_name="Bipo", bio="Minulla on todettu bipolaarinen häiriö.")
    ExpertProfileFactory(display_name="Kaksi", bio="Kaksi lasta ja mielialan vaihtelut.")
    assert found("kaksisuuntainen mielialahäiriö") == ["Bipo"]


@pytest.mark.django_db
def test_a_typo_of_a_word_in_an_introduction_finds_it():
    ExpertProfileFactory(display_name="Kokija", bio="Kerron toipumisesta ja retkahduksista.")
    ExpertProfileFactory(display_name="Muu", bio="Puhun syövästä.")
    assert found("retkahdukset") == ["Kokija"]
    assert found("retkahdkset") == ["Kokija"]
    # Three edits away from anything stored: no guess.
    assert found("retkuhdeksat") == []


@pytest.mark.django_db
def test_the_nightly_rebuild_keeps_only_the_words_of_listed_profiles():
    kept = ExpertProfileFactory(bio="Vapaaehtoistyö kiinnostaa.")
    gone = ExpertProfileFactory(bio="Kirjoitan runoja.")
    assert SearchWord.objects.filter(word="runoja").exists()
    withdraw_consent(profile=gone)
    assert rebuild_search_words_task() == SearchWord.objects.count()
    assert not SearchWord.objects.filter(word="runoja").exists()
    assert SearchWord.objects.filter(word="vapaaehtoistyo").exists()
    assert kept.pk
    # Idempotent.
    before = set(SearchWord.objects.values_list("word", flat=True))
    rebuild_search_words()
    assert set(SearchWord.objects.values_list("word", flat=True)) == before


@pytest.mark.django_db
def test_refresh_search_rebuilds_columns_written_before_the_forms_existed():
    profile = ExpertProfileFactory(display_name="Vanha", bio="Lahdessa asun.")
    # As an installation from before the upgrade: the snowball stems only.
    ExpertProfile.objects.filter(pk=profile.pk).update(search_document=None, heading_document=None)
    assert found("lahti") == []
    call_command("refresh_search", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert found("lahti") == ["Vanha"]


@pytest.mark.django_db
def test_the_card_says_which_words_matched(client, coordinator):
    ExpertProfileFactory(display_name="Kokija", bio="Toivuin alkoholista ja päihteistä vertaistuen avulla.")
    client.force_login(coordinator)
    response = client.get(URL, {"q": "päihde"})
    [card] = response.context["cards"]
    assert card.found == ["alkoholista", "päihteistä"]
    assert "päihteistä" in response.content.decode().split('class="found"')[1].split("</p>")[0]


@pytest.mark.django_db
def test_the_card_never_explains_with_a_detail_the_viewer_may_not_see(client, coordinator):
    # Coordinators see the introduction here, so it explains the match; a card without it says nothing.
    profile = ExpertProfileFactory(display_name="Kokija", bio="Toivuin päihteistä.")
    client.force_login(coordinator)
    [card] = client.get(URL, {"q": "päihde"}).context["cards"]
    assert card.found == ["päihteistä"]
    [listed] = attach_facet_lists([profile], taxonomy_lists())
    hidden = make_card(listed, {"training"}, TextQuery("päihde"))
    assert hidden.found == []


@pytest.mark.django_db
def test_admin_lists_search_words_by_typo_tolerance_and_cannot_add_them(client, admin_user):
    ExpertProfileFactory(bio="Retkahdukset opettivat.")
    client.force_login(admin_user)
    url = reverse("admin:experts_searchword_changelist")
    assert ">retkahdukset<" in client.get(url, {"edits": "2", "q": "retkahd"}).content.decode()
    assert ">retkahdukset<" not in client.get(url, {"edits": "1", "q": "retkahd"}).content.decode()
    assert ">opettivat<" not in client.get(url, {"q": "retkahd"}).content.decode()
    assert client.get(reverse("admin:experts_searchword_add")).status_code == 403


def toast_chunks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'experts_expertprofile'")
        toast = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM {toast}")  # noqa: S608 - a name from the catalogue
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_profiles_search_columns_stay_in_its_row_not_in_the_toast_table():
    """A ~2 KB search document read from the TOAST table cost each scanned profile ~3 page reads
    (migration 0009): the columns are MAIN, and a long profile's document is stored in its row."""
    before = toast_chunks()
    profile = ExpertProfileFactory(bio=" ".join(f"kokemus{n}ta vertaistuki{n}ryhmässä" for n in range(60)))
    refresh_search_document(profile)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_size(search_document) FROM experts_expertprofile WHERE id = %s", [profile.pk])
        document_size = cursor.fetchone()[0]
    assert document_size > 2100  # over the size at which PostgreSQL would move it out of the row
    # The introduction itself may well go to the TOAST table: empty it, and nothing of the row is there.
    ExpertProfile.objects.filter(pk=profile.pk).update(bio="")
    assert toast_chunks() == before
