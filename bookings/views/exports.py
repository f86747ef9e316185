"""Coordinators: CSV and XLSX of completed assignments for payroll.

Both files have the same columns (export_columns()) and rows (payroll_row); the XLSX adds a sheet of
sums by expert and one by ordering unit. Each row carries what payroll needs to pay by itself: the
expert's payee details (bookings.Payee; the bank account and identity code only when the county keeps
them, KP_PAYROLL_SENSITIVE), whether the assignment was recorded afterwards, its corrections, and how
much of the expenses came from the expert's own approved claims. Reading payee details is audited per
expert in the file. The CSV is what Finnish Excel
opens by double-click: UTF-8 with a byte order mark, semicolons and decimal commas. Text that a
spreadsheet would read as a formula never runs (CSV injection): the CSV puts an apostrophe before
it, the XLSX stores it as a text cell.
"""

import io
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.models import AuditAction
from accounts.services import record_audit_event, record_audit_events
from kokemuspankki.spreadsheets import csv_bytes, defuse, xlsx_value

from ..exports import ExportFilterForm
from ..models import Booking, BookingCorrection, BookingStatus, ClaimStatus, ExpenseKind
from ..payees import PLAIN_FIELDS, SENSITIVE_FIELDS, decrypted, sensitive_enabled

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # lazy: translated when the file is written, into the user's language
    kind: str = "text"  # text, date, number (two decimals) or money (two decimals, €)
    total: bool = False
    width: int = 12


COLUMNS = [
    Column("date", gettext_lazy("Date"), "date", width=12),
    Column("time", gettext_lazy("Time"), width=13),
    Column("title", gettext_lazy("Assignment"), width=40),
    Column("unit", gettext_lazy("Ordering unit"), width=30),
    Column("task_type", gettext_lazy("Task"), width=22),
    Column("recorded_afterwards", gettext_lazy("Recorded afterwards"), width=10),
    Column("expert", gettext_lazy("Expert"), width=20),
    Column("legal_name", gettext_lazy("Legal name"), width=24),
    Column("payee_number", gettext_lazy("Payee number"), width=14),
    Column("tax_card_delivered", gettext_lazy("Tax card delivered"), width=10),
    Column("tax_card_year", gettext_lazy("Tax card year"), width=8),
    Column("email", gettext_lazy("Email"), width=30),
    Column("hours", gettext_lazy("Hours"), "number", total=True, width=8),
    Column("tariff", gettext_lazy("Tariff"), width=22),
    Column("fee_computed", gettext_lazy("Fee by the tariff (€)"), "money", total=True),
    Column("fee", gettext_lazy("Fee to pay (€)"), "money", total=True),
    Column("fee_waived", gettext_lazy("Fee waived"), width=10),
    Column("fee_note", gettext_lazy("Reason for changing the fee"), width=30),
    Column("km", gettext_lazy("Kilometres"), "number", total=True, width=10),
    Column("travel", gettext_lazy("Travel by car (€)"), "money", total=True),
    Column("tickets", gettext_lazy("Tickets (€)"), "money", total=True),
    Column("meals", gettext_lazy("Meals (€)"), "money", total=True),
    Column("other", gettext_lazy("Other expenses (€)"), "money", total=True),
    Column("expenses", gettext_lazy("Expenses total (€)"), "money", total=True),
    # Already in the expenses above (an approved claim becomes expense lines): how much of them.
    Column("claims", gettext_lazy("Of which approved expense claims (€)"), "money", total=True),
    Column("total", gettext_lazy("Total (€)"), "money", total=True),
    Column("corrections", gettext_lazy("Corrected (times)"), width=10),
    Column("last_correction", gettext_lazy("Reason for the last correction"), width=30),
]
# Only when the county keeps them (KP_PAYROLL_SENSITIVE): after the tax card, decrypted per expert.
SENSITIVE_COLUMNS = [
    Column("bank_account", gettext_lazy("Bank account (IBAN)"), width=24),
    Column("identity_code", gettext_lazy("Personal identity code"), width=14),
]


def export_columns() -> list[Column]:
    if not sensitive_enabled():
        return COLUMNS
    at = [column.key for column in COLUMNS].index("tax_card_year") + 1
    return [*COLUMNS[:at], *SENSITIVE_COLUMNS, *COLUMNS[at:]]


def _expense_sum(field: str, kind: str | None = None, condition: Q | None = None):
    condition = condition or (Q(expense_lines__kind=kind) if kind else Q())
    zero = Value(Decimal("0.00"), output_field=DecimalField())
    return Coalesce(Sum(f"expense_lines__{field}", filter=condition), zero)


def _corrections():
    """The number of a booking's corrections and the last one's reason, as subqueries: a join would
    multiply the expense sums beside them."""
    corrections = BookingCorrection.objects.filter(booking=OuterRef("pk"))
    count = corrections.order_by().values("booking").annotate(count=Count("pk")).values("count")
    last = corrections.order_by("-corrected_at", "-pk").values("reason")[:1]
    return {
        "correction_count": Coalesce(Subquery(count, output_field=IntegerField()), 0),
        "last_correction": Subquery(last),
    }


def completed_bookings(form: ExportFilterForm):
    """The completed bookings in the form's period (by the assignment's start in the county's time
    zone, so that a whole month is whole), for the chosen expert and unit."""
    zone = timezone.get_default_timezone()
    start = datetime.combine(form.cleaned_data["start"], time.min, tzinfo=zone)
    end = datetime.combine(form.cleaned_data["end"] + timedelta(days=1), time.min, tzinfo=zone)
    rows = Booking.objects.filter(
        status=BookingStatus.COMPLETED, assignment__starts_at__gte=start, assignment__starts_at__lt=end
    )
    if form.cleaned_data["expert"]:
        rows = rows.filter(expert=form.cleaned_data["expert"])
    if form.cleaned_data["unit"]:
        rows = rows.filter(assignment__unit__icontains=form.cleaned_data["unit"])
    return rows


def for_payroll(bookings):
    """The file's fetch shape: one query, the expenses summed by kind (and those from approved
    claims), the corrections counted, the payee details joined, in date order."""
    return (
        bookings.select_related("assignment__task_type", "assignment__tariff", "expert__user", "expert__payee")
        .annotate(
            km=_expense_sum("quantity", ExpenseKind.TRAVEL_KM),
            travel=_expense_sum("amount", ExpenseKind.TRAVEL_KM),
            tickets=_expense_sum("amount", ExpenseKind.TICKET),
            meals=_expense_sum("amount", ExpenseKind.MEAL),
            other=_expense_sum("amount", ExpenseKind.OTHER),
            expenses=_expense_sum("amount"),
            claims=_expense_sum("amount", condition=Q(expense_lines__claim__status=ClaimStatus.APPROVED)),
            **_corrections(),
        )
        .order_by("assignment__starts_at", "pk")
    )


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _payee_columns(booking: Booking, secrets: dict) -> dict:
    """The payee columns of a row; `secrets` keeps each expert's decrypted values (decrypted once)."""
    payee = getattr(booking.expert, "payee", None)  # None without payee details
    values = {
        "legal_name": payee.legal_name if payee else "",
        "payee_number": payee.payee_number if payee else "",
        "tax_card_delivered": _yes_no(payee.tax_card_delivered) if payee else "",
        "tax_card_year": payee.tax_card_year if payee else None,
    }
    if sensitive_enabled():
        if booking.expert_id not in secrets:
            secrets[booking.expert_id] = decrypted(payee)
        values.update(
            bank_account=secrets[booking.expert_id].bank_account,
            identity_code=secrets[booking.expert_id].identity_code,
        )
    return values


def payroll_row(booking: Booking, secrets: dict | None = None) -> dict:
    assignment = booking.assignment
    zone = timezone.get_default_timezone()
    starts, ends = timezone.localtime(assignment.starts_at, zone), timezone.localtime(assignment.ends_at, zone)
    fee = booking.fee or Decimal("0.00")
    return {
        "date": starts.date(),
        "time": f"{starts:%H.%M}–{ends:%H.%M}",
        "title": assignment.title,
        "unit": assignment.unit,
        "task_type": assignment.task_type.name,
        "recorded_afterwards": _yes_no(assignment.recorded_afterwards),
        "expert": booking.expert.display_name,
        **_payee_columns(booking, {} if secrets is None else secrets),
        "email": booking.expert.user.email,
        "hours": booking.hours,
        "tariff": assignment.tariff.name,
        "fee_computed": booking.fee_computed,
        "fee": fee,
        "fee_waived": _yes_no(booking.fee_waived),
        "fee_note": booking.fee_note,
        "km": booking.km,
        "travel": booking.travel,
        "tickets": booking.tickets,
        "meals": booking.meals,
        "other": booking.other,
        "expenses": booking.expenses,
        "claims": booking.claims,
        "total": fee + booking.expenses,
        "corrections": booking.correction_count or None,  # empty when never corrected
        "last_correction": booking.last_correction or "",
    }


def csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "date":
        return value.isoformat()
    if kind in ("number", "money"):
        return f"{value:.2f}".replace(".", ",")
    return defuse(str(value))


def write_csv(rows: list[dict], columns: list[Column] = COLUMNS) -> bytes:
    header = [str(column.label) for column in columns]
    return csv_bytes([header, *([csv_cell(row[column.key], column.kind) for column in columns] for row in rows)])


def write_xlsx(rows: list[dict], columns: list[Column] = COLUMNS) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Assignments")[:31]
    sheet.append([str(column.label) for column in columns])
    totals = {column.key: Decimal("0.00") for column in columns if column.total}
    for row in rows:
        sheet.append([xlsx_value(row[column.key]) for column in columns])
        for key in totals:
            totals[key] += row[key] or 0
    sheet.append([_("Total") if index == 0 else totals.get(column.key) for index, column in enumerate(columns)])
    _format_sheet(sheet, columns)
    # What payroll pays each expert, and what each ordering unit is charged: a sheet each.
    _summary_sheet(workbook, _("By expert"), rows, ["expert", "email"])
    _summary_sheet(workbook, _("By ordering unit"), rows, ["unit"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# The sums of a summary sheet, after its grouping columns and the number of assignments.
SUMMED = ("hours", "fee", "km", "expenses", "total")


def _summary_sheet(workbook, title: str, rows: list[dict], keys: list[str]) -> None:
    """A sheet with one row per distinct value of `keys` (in alphabetical order), the number of
    assignments and the sums of SUMMED, and a totals row: the same figures as the rows it sums."""
    from openpyxl.utils import get_column_letter

    by_key = {column.key: column for column in COLUMNS}
    groups: dict[tuple, dict] = {}
    for row in rows:
        group = groups.setdefault(
            tuple(row[key] for key in keys), {"count": 0, **{key: Decimal("0.00") for key in SUMMED}}
        )
        group["count"] += 1
        for key in SUMMED:
            group[key] += row[key] or 0
    sheet = workbook.create_sheet(title[:31])
    columns = [by_key[key] for key in keys]
    widths = [column.width for column in columns] + [14] + [by_key[key].width for key in SUMMED]
    sheet.append(
        [*(str(column.label) for column in columns), _("Assignments"), *(str(by_key[key].label) for key in SUMMED)]
    )
    for values in sorted(groups, key=lambda group: [str(value).casefold() for value in group]):
        sums = groups[values]
        sheet.append([*(xlsx_value(str(value)) for value in values), sums["count"], *(sums[key] for key in SUMMED)])
    totals = [sum(groups[group][key] for group in groups) for key in ("count", *SUMMED)]
    sheet.append([_("Total"), *[None] * (len(keys) - 1), *totals])
    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(width, len(str(sheet.cell(1, index).value)) + 2)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if index > len(keys) + 1:
                cell.number_format = "0.00"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # a unit named "=..." stays text, as on the first sheet
    _bold_heading_and_totals(sheet)


def _bold_heading_and_totals(sheet) -> None:
    """The heading row and the totals row (the last) in bold; the heading stays in view on scrolling."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    for cell in (*sheet[1], *sheet[sheet.max_row]):
        cell.font = bold
    sheet.freeze_panes = "A2"


def _format_sheet(sheet, columns: list[Column]) -> None:
    """Bold heading and totals rows, two decimals, dates in the reader's own format, column widths."""
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(column.width, len(str(column.label)) + 2)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if column.kind == "date" and cell.row < sheet.max_row:
                cell.number_format = "mm-dd-yy"  # built-in format 14: the reader's own short date
            elif column.kind in ("number", "money"):
                cell.number_format = "0.00"
            elif isinstance(cell.value, str):
                # openpyxl stores text starting with "=" as a formula; kept as plain text it never runs.
                cell.data_type = "s"
    _bold_heading_and_totals(sheet)


@login_required
@permission_required("accounts.search_experts", raise_exception=True)
def export_page(request):
    """The filter form, how many completed assignments it finds, and the two download buttons."""
    form = ExportFilterForm(request.GET)
    summary = None
    if form.is_valid():
        summary = completed_bookings(form).aggregate(
            count=Count("pk"), fees=Coalesce(Sum("fee"), Value(Decimal("0.00")))
        )
    return render(request, "bookings/assignment_export.html", {"form": form, "summary": summary})


@never_cache
@login_required
@permission_required("accounts.search_experts", raise_exception=True)
def export_file(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    form = ExportFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "bookings/assignment_export.html", {"form": form}, status=400)
    columns = export_columns()
    bookings = list(for_payroll(completed_bookings(form)))
    secrets: dict = {}
    rows = [payroll_row(booking, secrets) for booking in bookings]
    if fmt == "csv":
        response = HttpResponse(write_csv(rows, columns), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(write_xlsx(rows, columns), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="toimeksiannot-{form.period_name}.{fmt}"'
    # The file holds experts' names, emails and fees: who took it is logged, not what was in it.
    record_audit_event(
        actor=request.user,
        subject=None,
        action=AuditAction.EXPORT,
        what="assignment export",
        fields=[column.key for column in columns],
    )
    _audit_payees(request.user, bookings)
    return response


def _audit_payees(actor, bookings: list[Booking]) -> None:
    """A row per expert whose payee details went into the file, in one INSERT however many."""
    fields = PLAIN_FIELDS + (SENSITIVE_FIELDS if sensitive_enabled() else [])
    users = {booking.expert.user_id for booking in bookings if getattr(booking.expert, "payee", None) is not None}
    record_audit_events(
        actor=actor,
        action=AuditAction.EXPORT,
        what="payee details exported",
        entries=[(user_id, fields) for user_id in sorted(users)],
    )
