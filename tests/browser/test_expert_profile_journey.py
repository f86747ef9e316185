"""Browser journey: a coordinator's invitation, account creation, and the guided profile form in
Chromium, with an axe check of every page, at desktop and phone size."""

import re

import pytest

from accounts.services import invite_expert
from experts.models import ExpertProfile
from tests.browser.conftest import check_page
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def save_and_continue(tab) -> None:
    tab.click("form.profile-form button[type=submit]")
    tab.wait_for_load_state()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_invited_expert_creates_an_account_and_completes_the_profile(page, live_server, viewport, mailoutbox):
    coordinator = UserFactory(role="coordinator", mfa=True)
    invite_expert(email="sade.uusi@example.fi", invited_by=coordinator, language="fi")
    link = re.search(r"https?://\S+/tili/kutsu/\S+/", mailoutbox[-1].body).group(0)
    page.goto("/tili/" + link.split("/tili/", 1)[1])  # the live server, not SITE_URL
    check_page(page, viewport, "expert", "signup")
    assert page.input_value("input[name=email]") == "sade.uusi@example.fi"
    page.fill("input[name=password1]", "Kokemus-on-arvokasta-7")
    page.fill("input[name=password2]", "Kokemus-on-arvokasta-7")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/asiantuntijat/oma/vaihe/1/$"))
    user = UserFactory._meta.model.objects.get(email="sade.uusi@example.fi")
    user.first_name = "Säde"
    user.save(update_fields=["first_name"])
    page.reload()

    assert page.locator(".steps [aria-current=step]").count() == 1
    check_page(page, viewport, "expert", "profile-step-1")
    assert page.input_value("#id_display_name") == "Säde"
    page.fill("#id_bio", "Kerron omasta toipumisestani.")
    save_and_continue(page)

    assert page.url.endswith("/vaihe/2/")
    check_page(page, viewport, "expert", "profile-step-2")
    # Each area is a fieldset whose legend names it: the radio group is found by its accessible name.
    page.get_by_role("group", name="Masennus").locator("input[value=own]").check()
    save_and_continue(page)

    check_page(page, viewport, "expert", "profile-step-3")
    page.get_by_label("Lahti", exact=True).check()
    save_and_continue(page)

    check_page(page, viewport, "expert", "profile-step-4")
    page.fill("#id_accessibility_needs", "Hiljainen tila")
    save_and_continue(page)

    check_page(page, viewport, "expert", "profile-step-5")
    page.check("input[name=visibility_bio][value=public]")
    save_and_continue(page)

    assert page.url.endswith("/vaihe/6/")
    save_and_continue(page)  # without the tick: an error tied to the checkbox, nothing saved
    assert page.locator("#id_agree").get_attribute("aria-invalid") == "true"
    check_page(page, viewport, "expert", "profile-step-6-error")
    page.check("#id_agree")
    save_and_continue(page)

    assert page.url.endswith("/asiantuntijat/oma/")
    check_page(page, viewport, "expert", "my-profile")
    profile = ExpertProfile.objects.get(user=user)
    assert profile.onboarding_step == 6 and profile.consent_version == 1
    assert profile.visibility["bio"] == "public"
    assert list(profile.municipalities.values_list("slug", flat=True)) == ["lahti"]
    for path in ["/asiantuntijat/oma/esikatselu/public/", "/asiantuntijat/oma/saatavuus/"]:
        page.goto(path)
        check_page(page, viewport, "expert", path.strip("/").split("/")[-1])
