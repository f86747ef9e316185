"""A trainer takes attendance on a 375 px touch phone: from the front page's "attendance to take" to the
form, a few taps, save, and the result on the session page. axe checks every page on the way."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page, new_page, sign_in
from tests.factories import CohortFactory, ParticipantFactory, TrainingSessionFactory, UserFactory
from trainings.models import Attendance

pytestmark = pytest.mark.browser


@pytest.fixture
def trainer():
    return UserFactory(role="trainer", mfa=True, first_name="Tuula", last_name="Valmentaja")


@pytest.fixture
def session(trainer):
    cohort = CohortFactory(name="Pälkäneen ryhmä")
    cohort.trainers.add(trainer)
    for name in ["Sari Mäkinen", "Jari Heikkilä", "Åsa Lindqvist", "Eeva-Liisa Öhman"]:
        ParticipantFactory(cohort=cohort, name=name)
    return TrainingSessionFactory(cohort=cohort, title="Oma tarina voimavarana", starts_in=timedelta(days=-1))


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_trainer_takes_attendance_on_a_phone(browser, live_server, viewport, trainer, session):
    page = new_page(browser, live_server, viewport, touch=True)
    sign_in(page, live_server, trainer)
    page.goto("/valmennukset/")
    check_page(page, viewport, "trainer", "trainings-front")

    page.locator(f"a[href='/valmennukset/kerrat/{session.pk}/lasnaolo/']").tap()
    page.wait_for_url(f"**/kerrat/{session.pk}/lasnaolo/")
    check_page(page, viewport, "trainer", "attendance-form")

    people = {p.name: p for p in session.cohort.participants.all()}
    choices = {"Sari Mäkinen": "present", "Jari Heikkilä": "absent", "Åsa Lindqvist": "excused"}
    for name, status in choices.items():
        label = page.locator(f"label[for=id_p{people[name].pk}_{['present', 'absent', 'excused'].index(status)}]")
        box = label.bounding_box()
        assert box["height"] >= 48, f"{name} {status}: a {box['height']} px target"
        label.tap()
        expect(page.locator(f"input[name=p{people[name].pk}][value={status}]")).to_be_checked()
    page.locator("form.attendance-form button.button[type=submit]:not([name])").tap()

    page.wait_for_url(f"**/kerrat/{session.pk}/#attendance")
    check_page(page, viewport, "trainer", "session-detail")
    saved = dict(Attendance.objects.filter(session=session).values_list("participant__name", "status"))
    assert saved == choices
    expect(page.locator("#attendance ~ div table")).to_contain_text("Åsa Lindqvist")

    # The cohort's page, with the participants' contact details for its trainer.
    page.goto(session.cohort.get_absolute_url())
    expect(page.locator("#participants ~ div table")).to_contain_text(people["Sari Mäkinen"].email)
    check_page(page, viewport, "trainer", "cohort-detail")
    page.context.close()


@pytest.mark.parametrize("viewport", ["phone"])
def test_mark_all_present_works_without_javascript(browser, live_server, viewport, trainer, session):
    page = new_page(browser, live_server, viewport, java_script_enabled=False)
    sign_in(page, live_server, trainer)
    page.goto(f"/valmennukset/kerrat/{session.pk}/lasnaolo/")
    page.locator("button[name=all_present]").click()
    page.wait_for_url(f"**/kerrat/{session.pk}/#attendance")
    assert Attendance.objects.filter(session=session, status="present").count() == 4
    page.context.close()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_coordinators_training_pages_are_accessible(browser, live_server, viewport, session):
    coordinator = UserFactory(role="coordinator", mfa=True)
    page = new_page(browser, live_server, viewport)
    sign_in(page, live_server, coordinator)
    cohort = session.cohort
    pages = {
        "cohort-create": "/valmennukset/ryhmat/uusi/",
        "cohort-edit": f"/valmennukset/ryhmat/{cohort.pk}/muokkaa/",
        "participant-create": f"/valmennukset/ryhmat/{cohort.pk}/osallistujat/uusi/",
        "session-create": f"/valmennukset/ryhmat/{cohort.pk}/kerrat/uusi/",
        "session-edit": f"/valmennukset/kerrat/{session.pk}/muokkaa/",
        "session-detail": session.get_absolute_url(),
    }
    for name, path in pages.items():
        page.goto(path)
        check_page(page, viewport, "coordinator", name, screenshot=False)
    # A form sent with mistakes shows its errors accessibly too.
    page.goto(pages["participant-create"])
    page.locator("form.form button[type=submit]:not([name])").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page, viewport, "coordinator", "participant-create-errors", screenshot=False)
    page.context.close()
