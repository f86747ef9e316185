"""A coordinator on a 375 px touch phone onboards a new expert: the onboarding list, the expert's
checklist, ticking the steps (one with a note), and "ready to be booked". axe checks every page."""

import pytest
from playwright.sync_api import expect

from experts.models import ExpertProfile
from tests.browser.conftest import check_page, new_page, sign_in
from tests.factories import ExpertProfileFactory, OnboardingStepFactory, UserFactory
from trainings.models import OnboardingItem

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator():
    return UserFactory(role="coordinator", mfa=True, first_name="Kaisa", last_name="Koordinaattori")


@pytest.fixture
def steps():
    return [
        OnboardingStepFactory(
            name="Vaitiolositoumus", due_days=7, description="Allekirjoitetaan ennen ensimmäistä tehtävää."
        ),
        OnboardingStepFactory(name="Perehdytyskeskustelu", due_days=30),
        OnboardingStepFactory(name="Ensimmäinen tehtävä mentorin kanssa", due_days=90, required=False),
    ]


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_coordinator_ticks_the_steps_and_marks_the_expert_ready_on_a_phone(
    browser, live_server, viewport, coordinator, steps
):
    newcomer = ExpertProfileFactory(display_name="Eeva-Liisa Öhman-Kettunen", ready_at=None, onboarding_step=6)
    page = new_page(browser, live_server, viewport, touch=True)
    sign_in(page, live_server, coordinator)

    page.goto("/valmennukset/perehdytys/")
    check_page(page, viewport, "coordinator", "onboarding-list")
    expect(page.locator(".onboarding-waiting")).to_contain_text("0/3")
    page.locator(f"a[href='/valmennukset/perehdytys/{newcomer.pk}/']").first.tap()

    page.wait_for_url(f"**/perehdytys/{newcomer.pk}/")
    check_page(page, viewport, "coordinator", "onboarding-detail")
    first = page.locator(f"#step-{steps[0].pk}")
    first.locator("input[name=note]").fill("Allekirjoitettu paperilla")
    button = first.locator("button[name=action][value=done]")
    assert button.bounding_box()["height"] >= 44
    button.tap()

    page.wait_for_url(f"**/perehdytys/{newcomer.pk}/#step-{steps[0].pk}")
    expect(page.locator(f"#step-{steps[0].pk}")).to_contain_text("Allekirjoitettu paperilla")
    expect(page.locator(f"#step-{steps[0].pk} button[name=action][value=undo]")).to_be_visible()
    page.locator(f"#step-{steps[1].pk} button[name=action][value=done]").tap()

    page.wait_for_url(f"**/perehdytys/{newcomer.pk}/#step-{steps[1].pk}")
    ready = page.locator(f"form[action='/valmennukset/perehdytys/{newcomer.pk}/valmis/'] button")
    assert ready.bounding_box()["height"] >= 44
    ready.tap()

    page.wait_for_url(f"**/perehdytys/{newcomer.pk}/")
    check_page(page, viewport, "coordinator", "onboarding-ready")
    expect(page.locator(f"form[action='/valmennukset/perehdytys/{newcomer.pk}/valmis/']")).to_have_count(0)
    newcomer = ExpertProfile.objects.get(pk=newcomer.pk)
    assert newcomer.ready_at is not None and newcomer.ready_by == coordinator
    assert OnboardingItem.objects.filter(profile=newcomer, done_on__isnull=False).count() == 2

    page.goto("/valmennukset/perehdytys/")
    expect(page.locator(".onboarding-recent")).to_contain_text("Eeva-Liisa Öhman-Kettunen")
    page.context.close()
