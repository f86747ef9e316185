"""Results: figures checked against hand-computed values, the threshold per round and per item, the
exports that follow the same rule, the series trend, and who may read them."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from bookings.models import BookingStatus
from feedback.models import ItemKind, Series
from feedback.results import round_results, series_sections, series_trend
from feedback.services import Filled, issue_token, items_of, submit_answer
from tests.factories import BookingFactory, ExpertProfileFactory, RoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def scale_items(round_):
    return [item for item in items_of(round_.version) if item.kind == ItemKind.SCALE]


def text_item(round_):
    return next(item for item in items_of(round_.version) if item.kind == ItemKind.TEXT)


def answer(round_, stars: dict | int, text: str = "", dont_know=()):
    """One participant's answer: `stars` for every scale item (an int) or per item index (a dict)."""
    items = scale_items(round_)
    values = (
        {item.pk: stars for item in items} if isinstance(stars, int) else {items[i].pk: v for i, v in stars.items()}
    )
    filled = Filled(values=values, dont_know={items[i].pk for i in dont_know})
    if text:
        filled.texts[text_item(round_).pk] = text
    return submit_answer(round_=round_, filled=filled, token=issue_token(round_))


def test_figures_match_the_hand_computed_ones():
    round_ = RoundFactory(threshold=3)
    for stars in [5, 4, 4, 2]:
        answer(round_, {0: stars, 1: 5})
    answer(round_, {1: 3}, dont_know=[5])
    with translation.override("fi"):
        results = round_results(round_, items_of(round_.version))
        learning = results.sections()[0]
    mood, motivation = results.items[0], results.items[1]
    assert results.answers == 5 and results.shown
    assert mood.n == 4 and mood.distribution == [0, 1, 0, 2, 1] and str(mood.mean) == "3.75"  # 15 / 4
    assert motivation.n == 5 and str(motivation.mean) == "4.60"  # (5 * 4 + 3) / 5
    assert mood.bars()[3] == (4, 2, 50)
    assert learning.name == "Oppiminen"
    assert learning.n == 9 and str(learning.mean) == "4.22"  # 38 / 9
    trainers = results.items[5]
    assert trainers.dont_know == 1 and trainers.n == 0 and not trainers.shown


def test_nothing_shows_below_the_threshold_of_the_round():
    round_ = RoundFactory(threshold=5)
    for _n in range(4):
        answer(round_, 5, text="Mahtava kerta")
    results = round_results(round_, items_of(round_.version))
    assert not results.shown
    assert all(not item.shown and item.distribution == [0] * 5 and not item.texts for item in results.items)
    assert results.sections() == [] and results.overall is None


def test_an_item_answered_by_fewer_than_the_threshold_stays_hidden():
    round_ = RoundFactory(threshold=3)
    for _n in range(3):
        answer(round_, {0: 4})
    answer(round_, {0: 4, 1: 1})
    results = round_results(round_, items_of(round_.version))
    assert results.items[0].shown and results.items[0].n == 4
    assert not results.items[1].shown and results.items[1].distribution == [0] * 5
    assert [section.n for section in results.sections()] == [4]  # the hidden item is not in the average


def test_free_texts_show_shuffled_without_their_answers():
    round_ = RoundFactory(threshold=3)
    texts = ["Ensimmäinen", "Toinen", "Kolmas", "Neljäs"]
    for text in texts:
        answer(round_, 4, text=text)
    orders = set()
    for _n in range(20):
        (result,) = [r for r in round_results(round_, items_of(round_.version)).items if r.item.kind == ItemKind.TEXT]
        assert sorted(result.texts) == sorted(texts)
        orders.add(tuple(result.texts))
    assert len(orders) > 1  # a new order each time, never the stored one alone


def test_a_long_list_of_comments_is_sampled_on_the_page_and_whole_in_the_export():
    round_ = RoundFactory(threshold=3)
    for n in range(7):
        answer(round_, 4, text=f"Kommentti {n}")
    (sample,) = [
        r for r in round_results(round_, items_of(round_.version), texts=3).items if r.item.kind == ItemKind.TEXT
    ]
    assert len(sample.texts) == 3 and sample.n == 7 and set(sample.texts) <= {f"Kommentti {n}" for n in range(7)}
    (whole,) = [
        r for r in round_results(round_, items_of(round_.version), texts=None).items if r.item.kind == ItemKind.TEXT
    ]
    assert len(whole.texts) == 7


@pytest.fixture
def coordinator_client(client):
    def sign_in(user):
        client.force_login(user)
        client.cookies["kp_language"] = "en"
        return client

    return sign_in


def test_the_results_page_hides_and_then_shows(coordinator_client):
    round_ = RoundFactory(threshold=3)
    client = coordinator_client(round_.owner)
    answer(round_, 5)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Results show when at least 3 people have answered." in page and "Mean" not in page
    answer(round_, 4)
    answer(round_, 4)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Mean 4.3 of 5 (n = 3)" in page


def test_the_csv_and_xlsx_follow_the_threshold(coordinator_client):
    from openpyxl import load_workbook

    round_ = RoundFactory(threshold=3)
    client = coordinator_client(round_.owner)
    answer(round_, 5, text='=HYPERLINK("http://x")')
    hidden = client.get(reverse("feedback:export", args=[round_.pk, "csv"])).content.decode("utf-8-sig")
    assert "Results show when at least 3 have answered." in hidden and "HYPERLINK" not in hidden
    answer(round_, 4, text="Hyvä")
    answer(round_, 3, text="Ihan ok")
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("feedback:export", args=[round_.pk, "csv"])).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    mood = next(row for row in rows if row[0] == "How did you feel today?")
    assert mood[2:9] == ["3", "4,00", "0", "0", "1", "1", "1"]
    assert any(row[1:] == ['\'=HYPERLINK("http://x")'] for row in rows)  # a formula stays text
    book = load_workbook(io.BytesIO(client.get(reverse("feedback:export", args=[round_.pk, "xlsx"])).content))
    values = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert any(row[0] == "How did you feel today?" and row[2] == 3 for row in values)


def test_an_unknown_export_format_is_not_found(coordinator_client):
    round_ = RoundFactory()
    assert coordinator_client(round_.owner).get(f"{round_.get_absolute_url()}tulokset.pdf").status_code == 404


def test_the_series_trend_compares_the_same_question_across_rounds():
    first = RoundFactory(threshold=3)
    series = Series.objects.create(name="Vertaisryhmä syksy", owner=first.owner)
    rounds = [first, RoundFactory(threshold=3, target=first.target), RoundFactory(threshold=3, target=first.target)]
    for round_ in rounds:
        round_.series = series
        round_.save(update_fields=["series"])
    for stars in (3, 4, 4):
        answer(rounds[0], {0: stars})
    for stars in (5, 5, 4):
        answer(rounds[1], {0: stars})
    answer(rounds[2], {0: 5})
    with translation.override("en"):
        keys, points = series_trend(rounds)
    assert keys[0] == ("mood", "How did you feel today?")
    assert [str(point.means["mood"]) for point in points[:2]] == ["3.67", "4.67"]
    assert points[2].means["mood"] is None and not points[2].shown  # one answer only
    (learning,) = series_sections(points)
    assert learning.n == 6 and str(learning.mean) == "4.17"  # (3 + 4 + 4 + 5 + 5 + 4) / 6


# --- Who may read


def make_round_with_expert():
    round_ = RoundFactory(threshold=3)
    expert = ExpertProfileFactory()
    BookingFactory(assignment=round_.target, expert=expert, status=BookingStatus.CONFIRMED)
    return round_, expert.user


# Expected status per page for each kind of user: (read pages, manage pages, start a round, the list).
ACCESS = {
    "owner": (200, 200, 200, 200),
    "other coordinator": (200, 200, 200, 200),
    "admin": (200, 200, 200, 200),
    "expert who ran it": (200, 404, 404, 403),
    "another expert": (404, 404, 404, 403),
    "trainer": (404, 404, 404, 200),
    "no role": (404, 404, 404, 403),
}


@pytest.mark.parametrize("who", sorted(ACCESS))
def test_the_access_matrix_of_every_staff_page(client, who):
    from django.contrib.contenttypes.models import ContentType

    round_, expert_user = make_round_with_expert()
    round_.series = Series.objects.create(name="Syksy", owner=round_.owner)
    round_.save(update_fields=["series"])
    users = {
        "owner": round_.owner,
        "other coordinator": UserFactory(role="coordinator", mfa=True),
        "admin": UserFactory(role="admin", mfa=True, is_superuser=True),
        "expert who ran it": expert_user,
        "another expert": ExpertProfileFactory().user,
        "trainer": UserFactory(role="trainer", mfa=True),
        "no role": UserFactory(),
    }
    client.force_login(users[who])
    read, manage, start, listing = ACCESS[who]
    reads = [
        reverse("feedback:round", args=[round_.pk]),
        reverse("feedback:poster", args=[round_.pk]),
        reverse("feedback:qr", args=[round_.pk]),
        reverse("feedback:export", args=[round_.pk, "csv"]),
        reverse("feedback:export", args=[round_.pk, "xlsx"]),
        reverse("feedback:series", args=[round_.series.pk]),
    ]
    for url in reads:
        assert client.get(url).status_code == read, url
    for url in [reverse("feedback:paper", args=[round_.pk]), reverse("feedback:times", args=[round_.pk])]:
        assert client.get(url).status_code == manage, url
        assert client.post(url, {}).status_code in ({200, 400} if manage == 200 else {manage}), url
    kind = ContentType.objects.get_for_model(round_.target)
    assert client.get(reverse("feedback:create", args=[kind.pk, round_.target.pk])).status_code == start
    assert client.get(reverse("feedback:index")).status_code == listing


def test_an_expert_may_read_but_not_type_in_paper_forms(client):
    round_, expert_user = make_round_with_expert()
    client.force_login(expert_user)
    assert client.get(reverse("feedback:paper", args=[round_.pk])).status_code == 404
    assert client.get(reverse("feedback:times", args=[round_.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    round_ = RoundFactory()
    for name in ["feedback:round", "feedback:poster", "feedback:paper", "feedback:qr"]:
        response = client.get(reverse(name, args=[round_.pk]))
        assert response.status_code == 302 and reverse("account_login") in response.url


def test_an_invited_expert_who_declined_reads_nothing(client):
    round_ = RoundFactory()
    expert = ExpertProfileFactory()
    BookingFactory(assignment=round_.target, expert=expert, status=BookingStatus.DECLINED)
    client.force_login(expert.user)
    assert client.get(round_.get_absolute_url()).status_code == 404


def test_the_list_shows_only_readable_rounds(client):
    mine, expert_user = make_round_with_expert()
    RoundFactory()  # another assignment's
    trainer = UserFactory(role="trainer", mfa=True)
    client.force_login(trainer)
    page = client.get(reverse("feedback:index")).content.decode()
    assert mine.title not in page
    client.force_login(mine.owner)
    assert mine.title in client.get(reverse("feedback:index")).content.decode()


def test_results_and_list_read_a_fixed_number_of_queries(client, django_assert_num_queries):
    round_ = RoundFactory(threshold=3)
    for stars in (3, 4, 5):
        answer(round_, stars, text="Hyvä")
    client.force_login(round_.owner)
    from feedback import views

    views._items.clear()
    views._results.clear()
    # Session, the user (accounts.backends); the round if visible; its answer counts; rendering the
    # results once: its items, their choices, its tallies summed, the texts; may this user manage it;
    # the target (for its link); then the first request's session renewal (savepoint, update, release).
    with django_assert_num_queries(13):
        assert client.get(round_.get_absolute_url()).status_code == 200
    # Again, with no new answer: the rendered results come from the process (no items, tallies, texts).
    with django_assert_num_queries(6):
        assert client.get(round_.get_absolute_url()).status_code == 200
    answer(round_, 2)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "n = 4" in page  # a new answer renders them anew
    for _n in range(3):
        RoundFactory(target=round_.target, owner=round_.owner)
    # Session, the user; the rounds with form, series and answer counts; the series.
    with django_assert_num_queries(4):
        assert client.get(reverse("feedback:index")).status_code == 200


def test_paper_forms_are_counted_as_paper(client):
    round_ = RoundFactory(threshold=3)
    client.force_login(round_.owner)
    client.cookies["kp_language"] = "en"
    page = client.get(reverse("feedback:paper", args=[round_.pk]))
    token = page.context["form"]["token"].value()
    mood = scale_items(round_)[0]
    response = client.post(reverse("feedback:paper", args=[round_.pk]), {"token": token, f"item_{mood.pk}": "4"})
    assert response.status_code == 302
    again = client.post(reverse("feedback:paper", args=[round_.pk]), {"token": token, f"item_{mood.pk}": "4"})
    assert again.status_code == 302
    results = round_results(round_, items_of(round_.version))
    assert results.answers == 1 and results.paper == 1
    assert b"1 paper form typed in so far." in client.get(response.url).content


def test_a_closed_round_still_takes_paper_forms(client):
    round_ = RoundFactory(opens_in=-timedelta(days=30))
    client.force_login(round_.owner)
    page = client.get(reverse("feedback:paper", args=[round_.pk]))
    mood = scale_items(round_)[0]
    token = page.context["form"]["token"].value()
    assert (
        client.post(reverse("feedback:paper", args=[round_.pk]), {"token": token, f"item_{mood.pk}": "2"}).status_code
        == 302
    )


def test_the_expert_who_did_the_assignment_finds_its_feedback_on_their_page(client):
    round_ = RoundFactory(threshold=3)
    expert = ExpertProfileFactory()
    booking = BookingFactory(assignment=round_.target, expert=expert, status=BookingStatus.COMPLETED)
    client.force_login(expert.user)
    page = client.get(reverse("bookings:my_assignment", args=[booking.pk])).content.decode()
    assert round_.get_absolute_url() in page


def test_the_series_page_draws_the_rounds_that_show(client):
    first = RoundFactory(threshold=3)
    series = Series.objects.create(name="Vertaisryhmä syksy", owner=first.owner)
    rounds = [first, RoundFactory(threshold=3, target=first.target)]
    for round_ in rounds:
        round_.series = series
        round_.save(update_fields=["series"])
        for stars in (3, 4, 5):
            answer(round_, stars)
    client.force_login(first.owner)
    page = client.get(series.get_absolute_url()).content.decode()
    assert page.count("<polyline") == 6  # a line per scale question over the two rounds
    assert page.count("<circle") >= 12


def test_a_trainer_who_owns_a_round_reads_it_below_and_above_the_threshold(client):
    trainer = UserFactory(role="trainer", mfa=True)
    round_ = RoundFactory(threshold=3, owner=trainer)
    client.force_login(trainer)
    client.cookies["kp_language"] = "en"
    answer(round_, 5)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Results show when at least 3 people have answered." in page and "Mean" not in page
    answer(round_, 4)
    answer(round_, 3)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Mean 4.0 of 5 (n = 3)" in page
    assert round_.title in client.get(reverse("feedback:index")).content.decode()
