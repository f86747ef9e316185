"""The completion rules (trainings/completion.py compute_statuses), on plain stand-ins: no database."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from trainings.completion import compute_statuses

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


def person(pk, removed=False):
    return SimpleNamespace(pk=pk, removed_at=NOW if removed else None)


def session(pk, days_ago=1, module=None, cancelled=False):
    return SimpleNamespace(pk=pk, module_id=module, cancelled=cancelled, ends_at=NOW - timedelta(days=days_ago))


def module(pk):
    return SimpleNamespace(pk=pk)


def statuses(participants, sessions, present, threshold=80, required=()):
    result = compute_statuses(
        participants=participants,
        sessions=sessions,
        required_modules=list(required),
        present=set(present),
        threshold=threshold,
        now=NOW,
    )
    return {status.participant.pk: status for status in result}


def test_nobody_is_eligible_before_any_session_is_held():
    status = statuses([person(1)], [session(10, days_ago=-3)], present=[])[1]
    assert (status.attended, status.held, status.share, status.eligible) == (0, 0, None, False)


def test_exactly_at_the_threshold_is_enough():
    sessions = [session(pk) for pk in range(10, 20)]  # ten held
    result = statuses(
        [person(1), person(2)], sessions, [(pk, 1) for pk in range(10, 18)] + [(pk, 2) for pk in range(10, 17)]
    )
    assert (result[1].attended, result[1].share, result[1].eligible) == (8, 80, True)
    assert (result[2].attended, result[2].share, result[2].eligible) == (7, 70, False)


def test_a_share_just_below_the_threshold_is_not_rounded_up():
    # 4 of 5 at 81 %: 80 % rounded would pass, but 4 × 100 < 81 × 5.
    sessions = [session(pk) for pk in range(10, 15)]
    assert not statuses([person(1)], sessions, [(pk, 1) for pk in range(10, 14)], threshold=81)[1].eligible


def test_cancelled_sessions_are_not_counted():
    sessions = [session(10), session(11), session(12, cancelled=True)]
    status = statuses([person(1)], sessions, [(10, 1), (11, 1)], threshold=100)[1]
    assert (status.attended, status.held, status.eligible) == (2, 2, True)


def test_future_sessions_are_not_counted_yet():
    sessions = [session(10), session(11, days_ago=-1)]
    status = statuses([person(1)], sessions, [(10, 1)], threshold=100)[1]
    assert (status.held, status.eligible) == (1, True)


def test_a_removed_participant_is_left_out():
    result = statuses([person(1), person(2, removed=True)], [session(10)], [(10, 1), (10, 2)])
    assert list(result) == [1]


def test_excused_is_not_present():
    # Only present marks are passed in; an excused session is one of the held ones without a mark.
    status = statuses([person(1)], [session(10), session(11)], [(10, 1)], threshold=100)[1]
    assert (status.attended, status.held, status.eligible) == (1, 2, False)


def test_a_required_module_missed_blocks_completion_whatever_the_share():
    sessions = [session(10, module=1), session(11, module=2), session(12, module=2)]
    status = statuses([person(1)], sessions, [(11, 1), (12, 1)], threshold=50, required=[module(1), module(2)])[1]
    assert status.share == 66
    assert [m.pk for m in status.missing_modules] == [1]
    assert not status.eligible


def test_one_of_a_modules_two_sessions_is_enough():
    sessions = [session(10, module=1), session(11, module=1), session(12, module=2)]
    status = statuses([person(1)], sessions, [(11, 1), (12, 1)], threshold=60, required=[module(1), module(2)])[1]
    assert status.missing_modules == []
    assert status.eligible


def test_a_required_module_with_no_session_held_yet_is_missing():
    sessions = [session(10, module=1), session(11, module=2, days_ago=-7)]
    status = statuses([person(1)], sessions, [(10, 1)], threshold=100, required=[module(1), module(2)])[1]
    assert [m.pk for m in status.missing_modules] == [2]
    assert not status.eligible


def test_a_module_that_is_not_required_is_not_asked_for():
    sessions = [session(10, module=1), session(11, module=2)]
    status = statuses([person(1)], sessions, [(10, 1)], threshold=50, required=[module(1)])[1]
    assert status.eligible
