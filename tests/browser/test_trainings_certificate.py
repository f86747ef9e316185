"""A coordinator on a 375 px phone records a completion and prints the certificate to PDF: one A4
page with the participant's name. axe checks every page."""

import re
import zlib

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import check_page, new_page, sign_in
from tests.trainings._completion_setup import finished_cohort
from trainings.models import Participant

pytestmark = pytest.mark.browser


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def pdf_title(pdf: bytes) -> str:
    """The document's title (Chromium writes the page's <title>), in a literal or UTF-16 hex string;
    also looked for in compressed object streams."""
    chunks = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    for chunk in chunks:
        if match := re.search(rb"/Title\s*<([0-9A-Fa-f]+)>", chunk):
            return bytes.fromhex(match.group(1).decode()).decode("utf-16")
        if match := re.search(rb"/Title\s*\((.*?)\)", chunk):
            return match.group(1).decode("latin-1")
    return ""


def test_coordinator_records_a_completion_and_prints_the_certificate_on_a_phone(browser, live_server):
    cohort, people = finished_cohort()
    page = new_page(browser, live_server, "phone")
    sign_in(page, live_server, cohort.coordinator)

    page.goto(reverse("trainings:cohort_completion", args=[cohort.pk]))
    expect(page.locator("h1")).to_contain_text(cohort.name)
    check_page(page, "phone", "coordinator", "training-completion")

    page.get_by_label("Jari Testinen").check()
    page.locator("#record-heading ~ form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    jari = Participant.objects.get(pk=people["Jari"].pk)
    assert jari.completed_on is not None and jari.certificate_number
    check_page(page, "phone", "coordinator", "training-completion-recorded")

    page.locator(f"#participant-{jari.pk} a[href$='?kielet=fi,sv']").click()
    expect(page.locator(".certificate-name")).to_have_text("Jari Testinen")
    check_page(page, "phone", "coordinator", "training-certificate")

    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == 1
    assert "Jari Testinen" in pdf_title(pdf)
    page.context.close()


def test_coordinator_adds_a_cost_on_a_phone(browser, live_server):
    cohort, _people = finished_cohort()
    page = new_page(browser, live_server, "phone")
    sign_in(page, live_server, cohort.coordinator)
    page.goto(reverse("trainings:cohort_costs", args=[cohort.pk]))
    check_page(page, "phone", "coordinator", "training-costs")
    page.select_option("select[name=kind]", "materials")
    page.fill("input[name=amount]", "84,90")
    page.fill("input[name=incurred_on]", "2026-03-02")
    page.locator("#add-heading ~ form button[type=submit]").click()
    expect(page.locator("#cost-total")).to_contain_text("84,90")
    check_page(page, "phone", "coordinator", "training-costs-added")
    page.context.close()
