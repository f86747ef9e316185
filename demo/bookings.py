"""Demo assignments in Päijät-Häme: done, booked, waiting for answers and open, around today.

Everything goes through services_booking, as a coordinator's clicks would: invitations, answers,
confirmations and completions with fees and expenses, with their notifications. The demo expert
Aino has an invitation to answer, a confirmed shift, a completed lecture to tell about, and a monthly
earnings limit for the earnings panel.

Run after demo.accounts, demo.experts and demo.expert_bank. Times are relative to today, so a fresh
demo always looks current. Running load() again changes nothing while Aino's invitation still lies
ahead; after that the demo assignments are rebuilt around the new today.
"""

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bookings import services as booking_services
from bookings.eligibility import booking_range
from bookings.models import Assignment, Booking, ExpenseKind, Tariff, TariffKind
from bookings.services import BookingError, Expense
from experts.models import BlockedPeriod, ExpertProfile, TaskType
from notifications.models import Notification
from notifications.services import cancel_notifications

from .accounts import DEMO_USERS
from .expert_bank import EXPERTS
from .experts import DEMO_EXPERT_EMAIL

COORDINATOR_EMAIL = DEMO_USERS[0][0]
AINO_MONTHLY_EARNINGS_LIMIT = Decimal("300.00")
KESKUSSAIRAALA = "Keskussairaalankatu 7, Lahti"  # Päijät-Hämeen keskussairaala
BOOKED_AHEAD = timedelta(weeks=52)


@dataclass
class Part:
    """One expert on a demo assignment and how far their booking gets."""

    expert: str  # display name of a demo expert
    outcome: str  # invited, declined, accepted, volunteered, confirmed or completed
    note: str = ""
    km: int = 0
    ticket: Decimal | None = None
    fee: Decimal | None = None
    fee_note: str = ""
    fee_waived: bool = False


@dataclass
class Plan:
    title: str
    description: str
    task: str
    tariff: str
    unit: str
    address: str
    day: int  # days from today; a weekend moves away from today
    start: time
    minutes: int
    parts: list[Part] = field(default_factory=list)
    experts_needed: int = 1
    open_to_all: bool = False
    arrangements: str = ""


# Aino's invitation: while it lies ahead, the demo is current (see load()).
MARKER = "Henkilöstöinfo: kokemusasiantuntija masennuksen hoidossa"

PLANS = [
    # --- Done: completed with fees and expenses (earnings, payroll export).
    Plan(
        "Kokemuspuheenvuoro sairaanhoitajaopiskelijoille",
        "Mielenterveystyön opintojakso: miltä hoito näytti potilaan ja omaisen silmin, ja mikä auttoi "
        "toipumaan. Puheenvuoro 45 min ja keskustelu opiskelijoiden kanssa.",
        "luento",
        TariffKind.LECTURE,
        "Aikuisten mielenterveyspalvelut",
        "LAB-ammattikorkeakoulu, Mukkulankatu 19, Lahti",
        -6,
        time(12, 15),
        90,
        [Part("Aino", "completed", km=14), Part("Mikko", "completed", km=42)],
        experts_needed=2,
        arrangements="Hiljainen tila luokan vieressä ennen puheenvuoroa.",
    ),
    Plan(
        "Vastaanottovuoro Hollolan sote-keskuksessa",
        "Kokemusasiantuntijan vastaanotto aulassa: keskusteluja asiakkaiden ja omaisten kanssa, "
        "vertaistukiryhmien esittely.",
        "vastaanotto",
        TariffKind.HOURLY,
        "Hollolan sote-keskus",
        "Hollolan sote-keskus, pääaula",
        -9,
        time(9),
        180,
        [Part("Katja", "completed", km=18)],
    ),
    Plan(
        "Asiakasraadin kokous: päihdepalvelujen palvelulupaus",
        "Raati käy läpi päihdepalvelujen palvelulupauksen luonnoksen ja kertoo, mikä siinä on "
        "asiakkaalle tärkeää. Kahvitarjoilu.",
        "asiakasraati",
        TariffKind.MEETING,
        "Päihdepalvelut",
        KESKUSSAIRAALA,
        -13,
        time(14),
        120,
        [
            Part(
                "Juha",
                "completed",
                km=8,
                fee=Decimal("75.00"),
                fee_note="Kokous jatkui sovitusti työpajana tunnin pidempään.",
            ),
            Part("Sirpa", "completed", ticket=Decimal("6.40"), fee_waived=True),
        ],
        experts_needed=2,
    ),
    # --- Ahead: confirmed, waiting for answers, open to all.
    Plan(
        "Vastaanottovuoro Hollolan sote-keskuksessa",
        "Kokemusasiantuntijan vastaanotto aulassa: keskusteluja asiakkaiden ja omaisten kanssa.",
        "vastaanotto",
        TariffKind.HOURLY,
        "Hollolan sote-keskus",
        "Hollolan sote-keskus, pääaula",
        9,
        time(12),
        180,
        [Part("Aino", "confirmed")],
    ),
    Plan(
        MARKER,
        "Psykiatrian poliklinikan henkilöstöinfo: mikä auttoi masennuksesta toipumisessa ja mitä "
        "toivoisin ammattilaisilta. Etäyhteys Teamsilla, noin 45 minuuttia.",
        "luento",
        TariffKind.LECTURE,
        "Psykiatrian poliklinikka",
        KESKUSSAIRAALA,
        5,
        time(13),
        60,
        [Part("Aino", "invited"), Part("Maria", "accepted", note="Pääsen mielelläni.")],
        arrangements="Puhuja voi osallistua etänä.",
    ),
    Plan(
        "Mielenterveysviikon yleisöluento",
        "Yleisötilaisuus Lahden pääkirjastossa: kokemuspuheenvuoro kaksisuuntaisesta mielialahäiriöstä "
        "ja työhön paluusta.",
        "luento",
        TariffKind.LECTURE,
        "Hyvinvoinnin ja terveyden edistäminen",
        "Lahden pääkirjasto, Kirkkokatu 31, Lahti",
        12,
        time(17),
        90,
        [
            Part("Mikko", "declined", note="Olen silloin toisessa tilaisuudessa Heinolassa."),
            Part("Helmi", "confirmed"),
        ],
    ),
    Plan(
        "Vertaisryhmä omaisille",
        "Omaisten vertaisryhmän ohjaus yhdessä sosiaaliohjaajan kanssa: jaksaminen ja omaisen "
        "oikeudet hoidossa. Kuusi kokoontumista, tämä on ensimmäinen.",
        "vertaisryhma",
        TariffKind.HOURLY,
        "Omaishoidon tuki",
        "Järjestötalo, Lahti",
        16,
        time(17, 30),
        90,
        [Part("Antero", "volunteered")],
        open_to_all=True,
    ),
    Plan(
        "Kehittämistyöpaja: Tulevaisuuden sote-keskus",
        "Asiakkaan polku sote-keskuksen ajanvarauksesta vastaanotolle: työpaja henkilöstön ja "
        "kehittäjäasiakkaiden kesken.",
        "kehittaminen",
        TariffKind.MEETING,
        "Sote-keskukset, kehittämisyksikkö",
        KESKUSSAIRAALA,
        30,
        time(9),
        180,
        [Part("Ville", "accepted"), Part("Juha", "invited")],
        experts_needed=2,
    ),
    Plan(
        "Koulutus: kokemusasiantuntija osana hoitotiimiä",
        "Akuuttipsykiatrian osastojen henkilöstökoulutus: kokemusasiantuntijan rooli, hyvät "
        "käytännöt ja saavutettavuus.",
        "koulutus",
        TariffKind.LECTURE,
        "Akuuttipsykiatria",
        KESKUSSAIRAALA,
        38,
        time(10),
        120,
        [Part("Helmi", "invited")],
        arrangements="Esteetön sisäänkäynti pääovelta, hissi ja induktiosilmukka.",
    ),
]


def start_day(plan: Plan, today: date, experts: dict[str, ExpertProfile]) -> date:
    """`plan.day` days from today, moved away from today off weekends and the experts' blocked dates
    (Aino's holiday week, which demo.experts keeps a few weeks ahead): a past day stays past."""
    step = timedelta(days=-1 if plan.day < 0 else 1)
    blocked = BlockedPeriod.objects.filter(profile__in=[experts[part.expert] for part in plan.parts])
    periods = list(blocked.values_list("start", "end"))
    day = today + timedelta(days=plan.day)
    while day.weekday() >= 5 or any(start <= day <= end for start, end in periods):
        day += step
    return day


def _experts() -> dict[str, ExpertProfile]:
    emails = {
        name: f"asiantuntija{index + 1:02d}@demo.kokemuspankki.fi" for index, (name, *_rest) in enumerate(EXPERTS)
    }
    emails["Aino"] = DEMO_EXPERT_EMAIL
    profiles = ExpertProfile.objects.filter(user__email__in=emails.values()).select_related("user")
    by_email = {profile.user.email: profile for profile in profiles}
    return {name: by_email[email] for name, email in emails.items()}


def _demo_assignments(coordinator):
    return Assignment.objects.filter(created_by=coordinator, title__in={plan.title for plan in PLANS})


def _remove(assignments) -> None:
    for assignment in assignments:
        for booking in assignment.bookings.all():
            Notification.objects.for_target(booking).delete()
        assignment.delete()


def _create(plan: Plan, day: date, coordinator) -> Assignment:
    starts = datetime.combine(day, plan.start, tzinfo=timezone.get_default_timezone())
    assignment = Assignment(
        title=plan.title,
        description=plan.description,
        task_type=TaskType.objects.get(slug=plan.task),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=plan.minutes),
        address=plan.address,
        unit=plan.unit,
        contact_person=coordinator,
        contact_phone="044 123 4567",
        tariff=Tariff.objects.filter(kind=plan.tariff, is_active=True).order_by("order", "pk").first(),
        arrangements=plan.arrangements,
        experts_needed=plan.experts_needed,
        open_to_all=plan.open_to_all,
        created_by=coordinator,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


def _book(plan: Plan, assignment: Assignment, experts: dict[str, ExpertProfile], coordinator) -> None:
    """Take each part as far as its outcome. Someone who cannot be booked now (the demo user paused
    Aino's assignments, say) is left out rather than failing `make run`."""
    # Experts answer and are confirmed before an assignment begins (the services refuse it after),
    # so a past one is booked as it was in real life, while it lay ahead: BOOKED_AHEAD later, the same
    # weekday, and set back to its day before it is marked done.
    booked_ahead = assignment.starts_at <= timezone.now()
    if booked_ahead:
        _move_by(assignment, BOOKED_AHEAD)
    invited = [experts[part.expert] for part in plan.parts if part.outcome != "volunteered"]
    bookings, _refused = booking_services.invite_experts(assignment=assignment, profiles=invited, actor=coordinator)
    booking_of = {booking.expert_id: booking for booking in bookings}
    for part in plan.parts:
        if part.outcome == "volunteered":
            with suppress(BookingError):
                booking_services.volunteer_for(assignment=assignment, profile=experts[part.expert])
    # Stage by stage as in real life: everyone answers before anyone is confirmed, and everyone is
    # confirmed before anyone is marked done (completing the last confirmed booking closes the assignment).
    for outcomes, step in [
        (("declined", "accepted", "confirmed", "completed"), _answer),
        (("confirmed", "completed"), _confirm),
        (("completed",), _complete),
    ]:
        if step is _complete and booked_ahead:
            _move_by(assignment, -BOOKED_AHEAD)
            # Its invitations and reminders went out back then: none waits to go now (as a text
            # message to Aino, who chose those, among others).
            for booking in booking_of.values():
                cancel_notifications(target=booking)
        for part in plan.parts:
            pk = experts[part.expert].pk
            if part.outcome in outcomes and pk in booking_of:
                try:
                    booking_of[pk] = step(part, booking_of[pk], coordinator)
                except BookingError:
                    del booking_of[pk]


def _move_by(assignment: Assignment, delta: timedelta) -> None:
    """Shift a demo assignment and its bookings' copy of the time (not services.move_assignment: its
    notifications are for a real change of plan)."""
    assignment.starts_at += delta
    assignment.ends_at += delta
    assignment.save(update_fields=["starts_at", "ends_at", "updated_at"])
    for booking in assignment.bookings.all():
        booking.during = booking_range(assignment)
        booking.save(update_fields=["during", "updated_at"])


def _answer(part: Part, booking: Booking, coordinator) -> Booking:
    return booking_services.answer_invitation(booking=booking, accept=part.outcome != "declined", note=part.note)


def _confirm(part: Part, booking: Booking, coordinator) -> Booking:
    # The demo's fees stay under Aino's limit; acknowledging keeps a changed tariff from failing the load.
    return booking_services.confirm_booking(booking=booking, actor=coordinator, acknowledge_earnings=True)


def _complete(part: Part, booking: Booking, coordinator) -> Booking:
    expenses = [Expense(kind=ExpenseKind.TRAVEL_KM, quantity=Decimal(part.km))] if part.km else []
    if part.ticket:
        expenses.append(Expense(kind=ExpenseKind.TICKET, quantity=Decimal("2"), amount=part.ticket))
    return booking_services.complete_booking(
        booking=booking,
        completed=True,
        hours=None,
        actor=coordinator,
        fee=part.fee,
        fee_note=part.fee_note,
        fee_waived=part.fee_waived,
        expenses=expenses,
    )


@transaction.atomic
def load() -> int:
    """Create the demo assignments unless current ones exist. Returns how many demo assignments exist."""
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    experts = _experts()
    aino = experts["Aino"]
    if aino.monthly_earnings_limit != AINO_MONTHLY_EARNINGS_LIMIT:
        aino.monthly_earnings_limit = AINO_MONTHLY_EARNINGS_LIMIT
        aino.save(update_fields=["monthly_earnings_limit", "updated_at"])
    existing = _demo_assignments(coordinator)
    if existing.filter(title=MARKER, starts_at__gt=timezone.now()).exists():
        return existing.count()
    _remove(existing.prefetch_related("bookings"))
    today = timezone.localdate()
    for plan in PLANS:
        _book(plan, _create(plan, start_day(plan, today, experts), coordinator), experts, coordinator)
    booking_services.refresh_recent_assignments(profile_ids=[profile.pk for profile in experts.values()])
    return len(PLANS)
