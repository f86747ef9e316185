"""The coordinators' to-do: what waits for them, each item one click from its action.

The county's assignments are shared by all its coordinators, so the to-do is the county's: everyone
sees every item, and the items of assignments whose contact person is the viewer are marked as
theirs (and can be shown alone). Eight sections, each a queryset of its own (`sections()`), so that
the page and the navigation's count agree on what waits:

1. invitations not answered, for assignments still to come, the oldest first;
2. experts who accepted and wait to be confirmed (the assignment open and not begun);
3. confirmed bookings whose assignment has ended: the outcome to record;
4. debriefs the expert asked for and that are not yet held (asked → agreed → held);
5. open assignments still to come that are short of experts, the soonest first;
6. experts whose consent is for the previous consent text, listed until its grace period ends;
7. order requests from units, waiting for a coordinator;
8. expense claims waiting for approval.

Every section is counted in one statement, and the page shows the first SECTION_LIMIT items of each:
a list longer than that is not worked through from one page, and reading all of it costs the page.
Measured with 60,000 bookings and 12,000 items waiting (4,000 future assignments, each short of
experts with an invitation and an acceptance): `count_sections` 40–50 ms, `todo_for` 230 ms, and
1.8 s when it read every item instead of the first 50 of each section.

The navigation shows the total on every page. It is remembered for NAV_COUNT_SECONDS in each process,
so that a page costs no query for it: a badge at most half a minute old is fine, and the to-do page
itself is always exact (and refreshes the remembered total).
"""

import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, Case, Count, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from experts.models import ExpertProfile

from .models import (
    PENDING,
    Assignment,
    AssignmentStatus,
    Booking,
    BookingStatus,
    CheckIn,
    ClaimStatus,
    DebriefStatus,
    ExpenseClaim,
    OrderRequest,
)

SECTION_LIMIT = 50
NAV_COUNT_SECONDS = 30


# --- What waits: one queryset per section ---------------------------------------------------------


def unanswered_q(now: datetime) -> Q:
    # An invitation to an assignment that has begun can no longer be answered: nothing to chase.
    return Q(status=BookingStatus.INVITED, assignment__starts_at__gt=now)


def to_confirm_q(now: datetime) -> Q:
    """What services.confirm_booking allows: an accepted expert, an open assignment not begun."""
    return Q(status=BookingStatus.ACCEPTED, assignment__status=AssignmentStatus.OPEN, assignment__starts_at__gt=now)


def to_record_q(now: datetime) -> Q:
    return Q(status=BookingStatus.CONFIRMED, assignment__ends_at__lte=now)


def debriefs_waiting() -> QuerySet:
    # A check-in from before debriefs had a status ("") counts as asked for.
    return CheckIn.objects.filter(wants_debrief=True).exclude(debrief_status=DebriefStatus.HELD)


def short_of_experts(now: datetime) -> QuerySet:
    return (
        Assignment.objects.filter(status=AssignmentStatus.OPEN, starts_at__gt=now)
        .annotate(
            confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
            pending=Count("bookings", filter=Q(bookings__status__in=PENDING)),
        )
        .filter(confirmed__lt=F("experts_needed"))
    )


@dataclass
class Section:
    """One section's rows (`rows`), whose assignment's contact person is at `contact` (None: the
    section's items are no one's yet, everyone's to pick up), and how the page reads and orders them."""

    rows: QuerySet
    contact: str | None
    related: tuple[str, ...] = ()
    order: tuple = ("pk",)

    def of(self, user) -> QuerySet:
        """The rows of `user`'s assignments; all of them for a section of no one's items."""
        return self.rows.filter(**{self.contact: user}) if self.contact else self.rows


def sections(now: datetime) -> dict[str, Section]:
    booking_related = ("assignment__contact_person", "assignment__task_type", "expert")
    return {
        "unanswered": Section(
            Booking.objects.filter(unanswered_q(now)),
            "assignment__contact_person",
            booking_related,
            ("invited_at", "pk"),
        ),
        "to_confirm": Section(
            Booking.objects.filter(to_confirm_q(now)),
            "assignment__contact_person",
            booking_related,
            ("assignment__starts_at", "pk"),
        ),
        "to_record": Section(
            Booking.objects.filter(to_record_q(now)),
            "assignment__contact_person",
            booking_related,
            ("assignment__ends_at", "pk"),
        ),
        # Those still to agree on first, the oldest first; then the agreed ones by their date.
        "debriefs": Section(
            debriefs_waiting(),
            "booking__assignment__contact_person",
            ("booking__assignment__contact_person", "booking__expert"),
            (
                Case(When(debrief_status=DebriefStatus.AGREED, then=1), default=0),
                Coalesce("debrief_on", TruncDate("created_at")),
                "pk",
            ),
        ),
        "short": Section(short_of_experts(now), "contact_person", ("task_type", "contact_person"), ("starts_at", "pk")),
        # Experts' own definition, the one their listing uses (with `consent_expires_at`).
        "consents": Section(
            ExpertProfile.objects.consent_expiring(now), None, (), ("consent_expires_at", "display_name", "pk")
        ),
        "orders": Section(OrderRequest.objects.waiting(), None, ("task_type",), ("created_at", "pk")),
        "claims": Section(
            ExpenseClaim.objects.filter(status=ClaimStatus.SUBMITTED),
            "booking__assignment__contact_person",
            ("booking__assignment__contact_person", "booking__expert"),
            ("submitted_at", "pk"),
        ),
    }


def count_sections(now: datetime, user=None) -> dict[str, tuple[int, int]]:
    """{section: (items waiting, those of `user`'s assignments)} in one statement: each section's
    rows (the querysets the page reads, so the two agree) counted in one branch of a UNION ALL."""
    parts, params, names = [], [], []
    for number, (name, section) in enumerate(sections(now).items()):
        names.append(name)
        mine = Value(True)
        if section.contact and user is not None:
            mine = ExpressionWrapper(Q(**{section.contact: user}), output_field=BooleanField())
        sql, section_params = section.rows.order_by().values("pk", mine=mine).query.sql_with_params()
        parts.append(f"SELECT {number}, COUNT(*), COUNT(*) FILTER (WHERE waiting.mine) FROM ({sql}) AS waiting")  # noqa: S608
        params.extend(section_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        counts = {number: (total, mine) for number, total, mine in cursor.fetchall()}
    return {name: counts[number] for number, name in enumerate(names)}


# --- The page --------------------------------------------------------------------------------------


@dataclass
class ToDo:
    """The first SECTION_LIMIT items of each section (`items`), how many wait in each (`counts`:
    everyone's, or the user's when `mine`), and the totals of everyone's and the user's."""

    items: dict[str, list] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    mine_total: int = 0
    mine: bool = False

    @property
    def more(self) -> dict[str, int]:
        """How many items of each section the page leaves out."""
        return {name: self.counts[name] - len(items) for name, items in self.items.items()}


def todo_for(now: datetime, user=None, *, mine: bool = False, limit: int = SECTION_LIMIT) -> ToDo:
    """What waits for the county's coordinators; with `mine`, only in `user`'s assignments (and the
    order requests and consents, which are no one's yet).

    Queries: the counts (one statement), then each section's first items: the invitations, the
    acceptances and the bookings to record, each with assignment, contact person, task and expert;
    the debriefs and the claims with booking, assignment, contact person and expert; the assignments
    short of experts with task and contact person; the consents expiring; the order requests with task."""
    counts = count_sections(now, user)
    todo = ToDo(
        total=sum(total for total, _mine in counts.values()),
        mine_total=sum(own for _total, own in counts.values()),
        mine=mine,
    )
    for name, section in sections(now).items():
        rows = section.of(user) if mine else section.rows
        todo.items[name] = list(rows.select_related(*section.related).order_by(*section.order)[:limit])
        todo.counts[name] = counts[name][1 if mine else 0]
    return todo


# --- The navigation's count ------------------------------------------------------------------------


class RememberedCount:
    """A number remembered in this process for a while (the navigation's count of items waiting)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._value: int | None = None
        self._until = 0.0

    def get(self) -> int | None:
        return self._value if time.monotonic() < self._until else None

    def put(self, value: int, seconds: float | None = None) -> int:
        self._value, self._until = value, time.monotonic() + (self.seconds if seconds is None else seconds)
        return value

    def forget(self) -> None:
        self._value, self._until = None, 0.0


nav_total = RememberedCount(NAV_COUNT_SECONDS)


def count_waiting(now: datetime) -> int:
    return sum(total for total, _mine in count_sections(now).values())


def nav_count(request) -> int | None:
    """The navigation's "To do (7)" for coordinators (accounts/waiting.py), None for others."""
    if not request.user.has_perm("accounts.search_experts"):
        return None
    remembered = nav_total.get()
    if remembered is None:
        remembered = nav_total.put(count_waiting(timezone.now()))
    return remembered
