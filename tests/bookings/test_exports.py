"""The payroll export (views/booking_exports.py): access, CSV and XLSX content, filters, bad input,
queries and the audit row."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from bookings.exports import previous_month
from bookings.models import Booking, BookingCorrection, BookingStatus, ExpenseKind, ExpenseLine, Tariff, TariffKind
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory, UserFactory

PAGE = reverse("bookings:assignment_export")
HELSINKI = ZoneInfo("Europe/Helsinki")
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def file_url(fmt: str) -> str:
    return reverse("bookings:assignment_export_file", args=[fmt])


def completed(
    coordinator, profile, starts_at, *, hours=2, fee=None, expenses=(), status=BookingStatus.COMPLETED, **fields
):
    """A booking in `status` on an assignment at `starts_at`, as complete_booking leaves it: the
    tariff's fee unless `fee` is given, and expense lines of (kind, quantity, amount)."""
    assignment = AssignmentFactory(contact_person=coordinator, starts_at=starts_at, hours=hours, **fields)
    changed = {} if fee is None else {"fee": fee}
    booking = BookingFactory(assignment=assignment, expert=profile, status=status, with_fee=True, **changed)
    for kind, quantity, amount in expenses:
        ExpenseLine.objects.create(booking=booking, kind=kind, quantity=quantity, amount=amount)
    return booking


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HELSINKI)


@pytest.fixture
def english(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def aino(db):
    return ExpertProfileFactory(
        display_name="Aino Ärväs-Öhman", user=UserFactory(role="expert", email="aino@example.fi")
    )


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PAGE, file_url("csv")])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert", "trainer"])
@pytest.mark.parametrize("url", [PAGE, file_url("csv"), file_url("xlsx")])
def test_experts_and_trainers_may_not_export(client, role, url, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "admin_user"])
def test_coordinators_and_admins_export(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(PAGE).status_code == 200
    assert client.get(file_url("csv")).status_code == 200


# --- The page -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_defaults_to_the_previous_month_and_counts_its_completed_assignments(english, coordinator, aino):
    start, end = previous_month()
    completed(coordinator, aino, at(start, 10))
    completed(coordinator, aino, at(start, 14), status=BookingStatus.CONFIRMED)
    response = english.get(PAGE)
    html = response.content.decode()
    assert f'value="{start.isoformat()}"' in html and f'value="{end.isoformat()}"' in html
    assert response.context["summary"]["count"] == 1
    assert "1 completed assignment in the period, fees €50.00." in html
    # The download buttons submit the same form, so they keep the filters.
    assert f'formaction="{file_url("csv")}"' in html and f'formaction="{file_url("xlsx")}"' in html


@pytest.mark.django_db
def test_expert_choices_are_the_experts_with_completed_assignments(english, coordinator, aino):
    confirmed_only = ExpertProfileFactory(display_name="Eero")
    completed(coordinator, aino, at(date(2026, 3, 2), 10))
    completed(coordinator, confirmed_only, at(date(2026, 3, 3), 10), status=BookingStatus.CONFIRMED)
    form = english.get(PAGE).context["form"]
    assert [label for _value, label in form.fields["expert"].choices] == ["All experts", "Aino Ärväs-Öhman"]


# --- CSV ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_is_what_finnish_excel_opens(english, coordinator, aino):
    completed(
        coordinator,
        aino,
        at(date(2026, 3, 10), 9),
        hours=3,
        title="Vastaanottovuoro Hollolan sote-keskuksessa",
        unit="Hollolan sote-keskus, Åkerö-tiimi",
        expenses=[
            (ExpenseKind.TRAVEL_KM, Decimal("24"), Decimal("13.20")),
            (ExpenseKind.TICKET, Decimal("1"), Decimal("3.50")),
            (ExpenseKind.MEAL, Decimal("1"), Decimal("13.25")),
            (ExpenseKind.OTHER, Decimal("1"), Decimal("2.00")),
        ],
    )
    response = english.get(file_url("csv"), MARCH)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="toimeksiannot-2026-03.csv"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith("\ufeff".encode())
    header, row = csv_rows(response)
    assert header[:3] == ["Date", "Time", "Assignment"]
    assert dict(zip(header, row, strict=True)) == {
        "Date": "2026-03-10",
        "Time": "09.00–12.00",
        "Assignment": "Vastaanottovuoro Hollolan sote-keskuksessa",
        "Ordering unit": "Hollolan sote-keskus, Åkerö-tiimi",
        "Task": "Lecture or talk",
        "Recorded afterwards": "no",
        "Expert": "Aino Ärväs-Öhman",
        "Legal name": "",
        "Payee number": "",
        "Tax card delivered": "",
        "Tax card year": "",
        "Email": "aino@example.fi",
        "Hours": "3,00",
        "Tariff": "Hourly fee",
        "Fee by the tariff (€)": "75,00",
        "Fee to pay (€)": "75,00",
        "Fee waived": "no",
        "Reason for changing the fee": "",
        "Kilometres": "24,00",
        "Travel by car (€)": "13,20",
        "Tickets (€)": "3,50",
        "Meals (€)": "13,25",
        "Other expenses (€)": "2,00",
        "Expenses total (€)": "31,95",
        "Of which approved expense claims (€)": "0,00",
        "Total (€)": "106,95",
        "Corrected (times)": "",
        "Reason for the last correction": "",
    }


@pytest.mark.django_db
def test_csv_quotes_per_rfc_4180_and_defuses_formulas(english, coordinator, aino):
    completed(
        coordinator,
        aino,
        at(date(2026, 3, 10), 9),
        title='=HYPERLINK("http://example.com";"Klikkaa")',
        unit="@SUM(1+1)",
        fee=Decimal("0.00"),
    )
    booking = Booking.objects.get()
    Booking.objects.filter(pk=booking.pk).update(fee_waived=True, fee_note="-1+1 korjattu; ks. sopimus")
    response = english.get(file_url("csv"), MARCH)
    body = response.content.decode("utf-8")
    # Quotes doubled and the field quoted, as RFC 4180 has it; lines end in CRLF.
    assert '"\'=HYPERLINK(""http://example.com"";""Klikkaa"")"' in body
    assert body.endswith("\r\n")
    header, row = csv_rows(response)
    row = dict(zip(header, row, strict=True))
    assert row["Assignment"] == '\'=HYPERLINK("http://example.com";"Klikkaa")'
    assert row["Ordering unit"] == "'@SUM(1+1)"
    assert row["Fee waived"] == "yes"
    assert row["Reason for changing the fee"] == "'-1+1 korjattu; ks. sopimus"


@pytest.mark.django_db
def test_csv_has_only_completed_bookings_of_the_period_in_helsinki_time_by_date(english, coordinator, aino):
    # 23.30 on 31 March and 00.30 on 1 April in Helsinki are both 31 March in UTC.
    last = completed(coordinator, aino, at(date(2026, 3, 31), 23, 30), hours=1, title="Viimeinen")
    completed(coordinator, aino, at(date(2026, 4, 1), 0, 30), hours=1, title="Huhtikuu")
    completed(coordinator, aino, at(date(2026, 2, 28), 23, 0), hours=1, title="Helmikuu")
    first = completed(coordinator, aino, at(date(2026, 3, 1), 0, 0), hours=1, title="Ensimmäinen")
    for status in (BookingStatus.CONFIRMED, BookingStatus.CANCELLED, BookingStatus.NOT_COMPLETED):
        completed(coordinator, aino, at(date(2026, 3, 15), 12), title=status, status=status)
    assert last.assignment.starts_at.astimezone(ZoneInfo("UTC")).date() == date(2026, 3, 31)
    _header, *rows = csv_rows(english.get(file_url("csv"), MARCH))
    assert [(row[0], row[1], row[2]) for row in rows] == [
        ("2026-03-01", "00.00–01.00", first.assignment.title),
        ("2026-03-31", "23.30–00.30", "Viimeinen"),
    ]


@pytest.mark.django_db
def test_csv_filters_by_expert(english, coordinator, aino):
    other = ExpertProfileFactory(display_name="Åsa")
    completed(coordinator, aino, at(date(2026, 3, 2), 10), title="Ainon")
    completed(coordinator, other, at(date(2026, 3, 3), 10), title="Åsan")
    _header, *rows = csv_rows(english.get(file_url("csv"), {**MARCH, "expert": other.pk}))
    assert [row[2] for row in rows] == ["Åsan"]


@pytest.mark.django_db
@pytest.mark.parametrize("unit", ["päihde", "PÄIHDE", "palvelut"])
def test_csv_filters_by_part_of_the_unit_in_any_case(english, coordinator, aino, unit):
    completed(coordinator, aino, at(date(2026, 3, 2), 10), title="Raati", unit="Päihdepalvelut")
    completed(coordinator, aino, at(date(2026, 3, 3), 10), title="Vastaanotto", unit="Hollolan sote-keskus")
    _header, *rows = csv_rows(english.get(file_url("csv"), {**MARCH, "unit": unit}))
    assert [row[2] for row in rows] == ["Raati"]


@pytest.mark.django_db
def test_a_period_that_is_not_a_whole_month_names_the_file_by_its_days(english):
    response = english.get(file_url("csv"), {"start": "2026-03-03", "end": "2026-04-15"})
    assert response["Content-Disposition"] == 'attachment; filename="toimeksiannot-2026-03-03_2026-04-15.csv"'


# --- XLSX -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_xlsx_has_numbers_dates_bold_headings_widths_and_totals(english, coordinator, aino):
    from openpyxl import load_workbook

    completed(
        coordinator,
        aino,
        at(date(2026, 3, 10), 9),
        hours=3,
        title="=1+1",
        expenses=[(ExpenseKind.TRAVEL_KM, Decimal("24"), Decimal("13.20"))],
    )
    lecture = Tariff.objects.filter(kind=TariffKind.LECTURE).first()
    completed(coordinator, aino, at(date(2026, 3, 12), 13), hours=1, tariff=lecture, fee=Decimal("80.00"))
    response = english.get(file_url("xlsx"), MARCH)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="toimeksiannot-2026-03.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Date" and all(cell.font.bold for cell in sheet[1])
    assert sheet.max_row == 4  # heading, two rows, totals
    first = dict(zip(header, (cell for cell in sheet[2]), strict=True))
    assert first["Date"].value == datetime(2026, 3, 10) and first["Date"].is_date
    # Text that looks like a formula stays text: a string cell, never run.
    assert first["Assignment"].value == "=1+1" and first["Assignment"].data_type == "s"
    assert first["Hours"].value == 3 and first["Hours"].number_format == "0.00"
    assert first["Fee to pay (€)"].value == 75 and first["Total (€)"].value == pytest.approx(88.20)
    totals = dict(zip(header, (cell.value for cell in sheet[4]), strict=True))
    assert totals["Date"] == "Total" and all(cell.font.bold for cell in sheet[4])
    assert totals["Hours"] == 4
    assert totals["Fee by the tariff (€)"] == 175 and totals["Fee to pay (€)"] == 155
    assert totals["Kilometres"] == 24 and totals["Travel by car (€)"] == pytest.approx(13.20)
    assert totals["Total (€)"] == pytest.approx(168.20)
    assert totals["Expert"] is None
    assert sheet.column_dimensions["C"].width >= 40
    assert sheet.freeze_panes == "A2"


@pytest.mark.django_db
def test_xlsx_sums_by_expert_and_by_ordering_unit(english, coordinator, aino):
    from openpyxl import load_workbook

    mikko = ExpertProfileFactory(display_name="Mikko", user=UserFactory(role="expert", email="mikko@example.fi"))
    km = [(ExpenseKind.TRAVEL_KM, Decimal("24"), Decimal("13.20"))]
    completed(coordinator, aino, at(date(2026, 3, 10), 9), hours=3, unit="Psykiatrian poliklinikka", expenses=km)
    completed(coordinator, aino, at(date(2026, 3, 11), 9), hours=2, unit="Hollolan sote-keskus")
    completed(coordinator, mikko, at(date(2026, 3, 12), 9), hours=2, unit="Psykiatrian poliklinikka", fee=0)
    workbook = load_workbook(io.BytesIO(english.get(file_url("xlsx"), MARCH).content))
    assert workbook.sheetnames == ["Assignments", "By expert", "By ordering unit"]

    def table(name):
        return [[cell.value for cell in row] for row in workbook[name].iter_rows()]

    # 25 €/h: Aino 75 + 50 € and 13.20 € for travel; Mikko's fee was set to 0.
    assert table("By expert") == [
        ["Expert", "Email", "Assignments", "Hours", "Fee to pay (€)", "Kilometres", "Expenses total (€)", "Total (€)"],
        ["Aino Ärväs-Öhman", "aino@example.fi", 2, 5, 125, 24, pytest.approx(13.20), pytest.approx(138.20)],
        ["Mikko", "mikko@example.fi", 1, 2, 0, 0, 0, 0],
        ["Total", None, 3, 7, 125, 24, pytest.approx(13.20), pytest.approx(138.20)],
    ]
    assert table("By ordering unit")[1:] == [
        ["Hollolan sote-keskus", 1, 2, 50, 0, 0, 50],
        ["Psykiatrian poliklinikka", 2, 5, 75, 24, pytest.approx(13.20), pytest.approx(88.20)],
        ["Total", 2 + 1, 7, 125, 24, pytest.approx(13.20), pytest.approx(138.20)],
    ]
    sheet = workbook["By ordering unit"]
    assert all(cell.font.bold for cell in sheet[1]) and all(cell.font.bold for cell in sheet[sheet.max_row])
    assert sheet["C2"].number_format == "0.00" and sheet.freeze_panes == "A2"


@pytest.mark.django_db
def test_empty_xlsx_has_the_heading_and_a_zero_totals_row(english):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(english.get(file_url("xlsx"), MARCH).content)).active
    assert sheet.max_row == 2
    totals = dict(zip((cell.value for cell in sheet[1]), (cell.value for cell in sheet[2]), strict=True))
    assert totals["Date"] == "Total" and totals["Total (€)"] == 0


@pytest.mark.django_db
def test_xlsx_drops_control_characters_that_the_format_forbids(english, coordinator, aino):
    from openpyxl import load_workbook

    completed(coordinator, aino, at(date(2026, 3, 10), 9), title="Luento\x0bmasennuksesta", unit="Ä\x1fö")
    response = english.get(file_url("xlsx"), MARCH)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert (sheet["C2"].value, sheet["D2"].value) == ("Luentomasennuksesta", "Äö")


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_format_is_not_found(english):
    assert english.get(file_url("pdf"), MARCH).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "1.3.2026x", "end": "2026-03-31"}, "start", "Enter a valid date."),
        ({"start": "", "end": "2026-03-31"}, "start", "This field is required."),
        ({"start": "2026-03-31", "end": "2026-03-01"}, "end", "The end of the period cannot be before its start."),
        ({"start": "2025-01-01", "end": "2026-03-31"}, "end", "The period can be a year at most."),
        ({**MARCH, "expert": "999999"}, "expert", "Select a valid choice."),
        ({**MARCH, "expert": "x"}, "expert", "Select a valid choice."),
        ({**MARCH, "unit": "x" * 201}, "unit", "Ensure this value has at most 200 characters"),
    ],
)
def test_bad_filters_show_the_form_with_errors(english, query, field, message):
    page = english.get(PAGE, query)
    assert page.status_code == 200
    assert message in " ".join(page.context["form"].errors[field])
    assert message in page.content.decode()
    response = english.get(file_url("csv"), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


# --- Queries and audit ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("count", [1, 6])
def test_export_queries_do_not_grow_with_rows(english, coordinator, django_assert_num_queries, fmt, count):
    for n in range(count):
        profile = ExpertProfileFactory()
        completed(
            coordinator,
            profile,
            at(date(2026, 3, 2 + n), 10),
            expenses=[(ExpenseKind.TRAVEL_KM, Decimal("10"), Decimal("5.50")), (ExpenseKind.MEAL, 1, Decimal("13.25"))],
        )
    chosen = ExpertProfileFactory()
    completed(coordinator, chosen, at(date(2026, 3, 28), 10))
    # session, the user with roles, permissions and MFA status (accounts.backends); the chosen expert
    # (validation); the rows with their assignment, task type, tariff, expert and user and the expenses
    # summed (one query); the audit row; then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(8):
        response = english.get(file_url(fmt), {**MARCH, "expert": chosen.pk})
    assert response.status_code == 200
    # Again within the minute, without a chosen expert: session, user, the rows, the audit row.
    with django_assert_num_queries(4):
        english.get(file_url(fmt), MARCH)


@pytest.mark.django_db
def test_page_queries(english, coordinator, aino, django_assert_num_queries):
    completed(coordinator, aino, at(date(2026, 3, 2), 10))
    # session, the user with roles, permissions and MFA status (accounts.backends); the count and sum; the
    # expert choices; the session save (savepoint, update, release).
    with django_assert_num_queries(7):
        english.get(PAGE, MARCH)


@pytest.mark.django_db
def test_each_download_is_audited_once_without_personal_data(english, coordinator, aino):
    completed(coordinator, aino, at(date(2026, 3, 2), 10))
    before = AuditEvent.objects.count()
    english.get(PAGE, MARCH)
    assert AuditEvent.objects.count() == before
    english.get(file_url("csv"), MARCH)
    english.get(file_url("xlsx"), {**MARCH, "expert": aino.pk})
    events = list(AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("pk"))
    assert len(events) == 2
    for event in events:
        assert (event.actor, event.subject, event.action, event.what) == (
            coordinator,
            None,
            AuditAction.EXPORT,
            "assignment export",
        )
        assert "email" in event.fields
        assert not {"aino", "aino@example.fi", "Aino Ärväs-Öhman"} & {str(value).lower() for value in event.fields}
    assert timezone.now() - events[0].at < timedelta(minutes=1)


# --- Issue 17: the previous month, recorded afterwards, corrections, claims, payee details ---------


def rows_by_header(response) -> list[dict]:
    header, *rows = csv_rows(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.django_db
def test_a_bare_link_to_the_file_gives_the_previous_month(english, coordinator, aino):
    start, _end = previous_month()
    this_months_first = timezone.localdate().replace(day=1)
    completed(coordinator, aino, at(start, 10), title="Edellinen kuukausi")
    completed(coordinator, aino, at(this_months_first, 10), title="Tämä kuukausi")
    response = english.get(file_url("csv"))
    assert [row["Assignment"] for row in rows_by_header(response)] == ["Edellinen kuukausi"]
    assert response["Content-Disposition"] == f'attachment; filename="toimeksiannot-{start:%Y-%m}.csv"'


@pytest.mark.django_db
def test_the_previous_month_of_january_is_december():
    assert previous_month(date(2027, 1, 15)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert previous_month(date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))


@pytest.mark.django_db
def test_rows_say_recorded_afterwards_and_carry_the_corrections(english, coordinator, aino):
    from bookings.afterwards import correct_booking

    booking = completed(coordinator, aino, at(date(2026, 3, 10), 9), title="Puhelimessa sovittu")
    type(booking.assignment).objects.filter(pk=booking.assignment_id).update(recorded_afterwards=True)
    completed(coordinator, aino, at(date(2026, 3, 11), 9), title="Tavallinen")
    correct_booking(booking=booking, reason="Kolme tuntia", hours=Decimal("3"), actor=coordinator)
    correct_booking(booking=booking, reason="=Neljä tuntia", hours=Decimal("4"), actor=coordinator)

    corrected, plain = rows_by_header(english.get(file_url("csv"), MARCH))

    assert (corrected["Recorded afterwards"], corrected["Corrected (times)"]) == ("yes", "2")
    # The last reason, defused like every text cell; the row has the corrected hours and fee.
    assert corrected["Reason for the last correction"] == "'=Neljä tuntia"
    assert (corrected["Hours"], corrected["Fee to pay (€)"]) == ("4,00", "100,00")
    assert (plain["Recorded afterwards"], plain["Corrected (times)"], plain["Reason for the last correction"]) == (
        "no",
        "",
        "",
    )


@pytest.mark.django_db
def test_approved_claims_are_counted_once_and_shown_apart(english, coordinator, aino):
    from tests.factories import ExpenseClaimFactory

    booking = completed(
        coordinator, aino, at(date(2026, 3, 10), 9), expenses=[(ExpenseKind.MEAL, Decimal("1"), Decimal("13.25"))]
    )
    claim = ExpenseClaimFactory(booking=booking, kilometres=40, tickets=Decimal("6.40"), status="approved")
    # An approved claim is already expense lines (the coordinator's approval makes them).
    ExpenseLine.objects.create(
        booking=booking, claim=claim, kind=ExpenseKind.TRAVEL_KM, quantity=40, amount=Decimal("22.00")
    )
    ExpenseLine.objects.create(booking=booking, claim=claim, kind=ExpenseKind.TICKET, amount=Decimal("6.40"))

    (row,) = rows_by_header(english.get(file_url("csv"), MARCH))

    assert (row["Travel by car (€)"], row["Tickets (€)"], row["Meals (€)"]) == ("22,00", "6,40", "13,25")
    assert row["Expenses total (€)"] == "41,65"
    assert row["Of which approved expense claims (€)"] == "28,40"
    assert row["Total (€)"] == "91,65"  # 50 € fee + 41.65 €, the claim once


@pytest.mark.django_db
def test_the_xlsx_totals_the_claims_column(english, coordinator, aino):
    from openpyxl import load_workbook

    from tests.factories import ExpenseClaimFactory

    booking = completed(coordinator, aino, at(date(2026, 3, 10), 9))
    claim = ExpenseClaimFactory(booking=booking, status="approved")
    ExpenseLine.objects.create(
        booking=booking, claim=claim, kind=ExpenseKind.TRAVEL_KM, quantity=42, amount=Decimal("23.10")
    )
    sheet = load_workbook(io.BytesIO(english.get(file_url("xlsx"), MARCH).content)).active
    header = [cell.value for cell in sheet[1]]
    totals = dict(zip(header, (cell.value for cell in sheet[3]), strict=True))
    assert totals["Of which approved expense claims (€)"] == pytest.approx(23.10)
    assert totals["Total (€)"] == pytest.approx(73.10)


@pytest.mark.django_db
def test_payee_columns_come_from_the_payee_details(english, coordinator, aino):
    from tests.factories import PayeeFactory

    PayeeFactory(profile=aino, legal_name="Aino Mäkelä", payee_number="P-0042", tax_card_year=2026)
    without = ExpertProfileFactory(display_name="Eero")
    completed(coordinator, aino, at(date(2026, 3, 10), 9))
    completed(coordinator, without, at(date(2026, 3, 11), 9))

    with_payee, without_payee = rows_by_header(english.get(file_url("csv"), MARCH))

    assert {key: with_payee[key] for key in ("Legal name", "Payee number", "Tax card delivered", "Tax card year")} == {
        "Legal name": "Aino Mäkelä",
        "Payee number": "P-0042",
        "Tax card delivered": "yes",
        "Tax card year": "2026",
    }
    assert (without_payee["Legal name"], without_payee["Tax card delivered"]) == ("", "")
    assert "Bank account (IBAN)" not in with_payee and "Personal identity code" not in with_payee


@pytest.mark.django_db
def test_bank_account_and_identity_code_only_when_the_county_keeps_them(english, coordinator, aino, settings):
    from cryptography.fernet import Fernet

    from bookings.payees import encrypt
    from tests.factories import PayeeFactory

    settings.KP_PAYROLL_SENSITIVE = True
    settings.KP_PAYROLL_KEY = Fernet.generate_key().decode()
    PayeeFactory(
        profile=aino,
        bank_account_encrypted=encrypt("FI4950009420028730"),
        identity_code_encrypted=encrypt("131052-308T"),
    )
    completed(coordinator, aino, at(date(2026, 3, 10), 9))
    completed(coordinator, aino, at(date(2026, 3, 11), 9))

    header, *rows = csv_rows(english.get(file_url("csv"), MARCH))

    at_year = header.index("Tax card year")
    assert header[at_year + 1 : at_year + 3] == ["Bank account (IBAN)", "Personal identity code"]
    assert [row[at_year + 1 : at_year + 3] for row in rows] == [["FI4950009420028730", "131052-308T"]] * 2
    event = AuditEvent.objects.get(what="payee details exported")
    assert "bank_account" in event.fields and "identity_code" in event.fields


@pytest.mark.django_db
def test_payee_details_exported_are_audited_once_per_expert_without_values(english, coordinator, aino):
    from tests.factories import PayeeFactory

    other = ExpertProfileFactory(display_name="Åsa")
    PayeeFactory(profile=aino, legal_name="Aino Mäkelä", payee_number="P-0042")
    PayeeFactory(profile=other)
    without = ExpertProfileFactory(display_name="Eero")
    for day, profile in [(2, aino), (3, aino), (4, other), (5, without)]:
        completed(coordinator, profile, at(date(2026, 3, day), 9))

    english.get(file_url("csv"), MARCH)

    events = AuditEvent.objects.filter(what="payee details exported").order_by("subject_id")
    assert [(event.actor, event.subject, event.action) for event in events] == [
        (coordinator, profile.user, AuditAction.EXPORT) for profile in sorted([aino, other], key=lambda p: p.user_id)
    ]
    for event in events:
        assert event.fields == ["legal_name", "payee_number", "tax_card_delivered", "tax_card_year"]
    assert not AuditEvent.objects.filter(what="payee details exported", subject=without.user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_export_with_payees_queries_do_not_grow_with_rows(english, coordinator, django_assert_num_queries, count):
    from tests.factories import PayeeFactory

    for n in range(count):
        profile = ExpertProfileFactory()
        PayeeFactory(profile=profile)
        booking = completed(coordinator, profile, at(date(2026, 3, 2 + n), 10))
        BookingCorrection.objects.create(
            booking=booking, reason="Korjaus", before={}, after={}, corrected_by=coordinator
        )
    english.get(file_url("csv"), MARCH)  # the session's idle-timeout save, once a minute
    # session, user; the rows with their assignment, task type, tariff, expert, user and payee, the
    # expenses and claims summed and the corrections counted (one query); the export's audit row; the
    # audit rows of the payee details exported (one INSERT however many experts).
    with django_assert_num_queries(5):
        response = english.get(file_url("csv"), MARCH)
    assert len(csv_rows(response)) == count + 1
