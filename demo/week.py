"""The coordinator's week in Päijät-Häme, on top of demo.bookings: what waits, what was, what is ordered.

Sanna the coordinator finds in her to-do (/toimeksiannot/tehtavat/) on any day the demo is loaded:
- Ville's invitation to a client panel in Heinola, unanswered for three days, in the evening: outside
  the weekly hours he gave, so the warning shows;
- Katja, who volunteered for the first date of a weekly reception shift at Lahti main health centre
  (Wednesdays 12–16 for ten weeks, one date cancelled, open to all: Aino matches it too, and her
  daily digest of it waits in the outbox), waiting to be confirmed;
- yesterday's family evening, confirmed, to record as done or not;
- Juha's debrief asked for after a hard training day, and Katja's agreed for a date;
- the reception shift's dates and other open assignments short of experts;
- Linnea and Tuomas, whose consent is for the previous text: consent text v2 was published 22 days
  ago with 30 days' grace, and everyone else has consented again (Sirpa on paper, entered by Sanna,
  who also filled in Sirpa's own needs on her behalf);
- the orderer Riikka's request from Hollolan sosiaalipalvelut, and Aino's travel claim with a photo
  of her ticket's receipt.

Behind them: Riikka's other requests (declined with a reason; made into an assignment with Helmi
confirmed; done with Mikko and waiting for Riikka's feedback), a gig arranged by phone last week and
recorded afterwards with kilometres, a booking corrected from 2 to 3 hours, one not completed for
illness, an approved and a returned travel claim, and Aino's payee details. (Aino's mobile number and
her choice of text messages are demo.experts': they must be there before demo.bookings invites her.)

Everything goes through the services, as the coordinator's, the experts' and the orderer's clicks
would; a past assignment is booked while it lay ahead, as demo.bookings does, and what happened some
days ago (a request sent, an invitation unanswered, a claim decided) is then dated back. The experts'
times are chosen so that no booking here overlaps another demo's (demo.feedback and demo.trainings
book Katja on Tuesdays, Wednesdays and Thursdays, and would fail on an overlap).

Run after demo.bookings. Times are relative to today: load() again changes nothing while the Heinola
client panel lies ahead and the new consent text's grace period runs; after that, that part is built
again around the new today.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from accounts.models import User
from bookings import afterwards, claims, debriefs, orders, payees, series, services
from bookings.models import (
    Assignment,
    AssignmentSeries,
    Booking,
    CancelReason,
    CheckIn,
    DebriefStatus,
    ExpenseClaim,
    ExpenseKind,
    MatchDigest,
    NotCompletedReason,
    OrderRequest,
    Tariff,
    TariffKind,
)
from bookings.services import BookingError, Expense
from bookings.todo import count_waiting
from experts.consent_renewal import publish_consent_text
from experts.forms_profile import LAST_STEP, NeedsForm
from experts.models import BlockedPeriod, ConsentText, ExpertProfile, Language, Municipality, ProfileStatus, TaskType
from experts.seed import CONSENT
from experts.services import give_consent, record_paper_consent, save_profile_section
from notifications.models import Notification
from notifications.services import cancel_notifications

from .accounts import DEMO_USERS
from .bookings import BOOKED_AHEAD, KESKUSSAIRAALA, _experts, _move_by

COORDINATOR_EMAIL = DEMO_USERS[0][0]
ORDERER_EMAIL = "tilaaja@demo.kokemuspankki.fi"
DEMO_DOMAIN = "@demo.kokemuspankki.fi"
PHONE = "044 123 4567"  # the coordinators' demo number, as in demo.bookings

# The week is current while this lies ahead (see load()): Ville's invitation, unanswered for days.
MARKER = "Asiakasraati: Heinolan terveysaseman ajanvaraus ja takaisinsoitto"
SERIES_TITLE = "Vastaanottovuoro: kokemusasiantuntija päivystää"
SERIES_WEEKS = 10
SERIES_CANCELLED = 4  # the fifth date: the lobby is being renovated that week
LAHTI_HEALTH_CENTRE = "Lahden pääterveysasema, Harjukatu 48, Lahti"
HEINOLA_HEALTH_CENTRE = "Heinolan terveysasema, Heinola"


# --- The consent text v2 and its grace period ---------------------------------------------------

RENEWED_VERSION = 2
PUBLISHED_DAYS_AGO = 22  # the reminder, seven days before the end of the grace period, goes tomorrow
GRACE_DAYS = 30
NOT_ANSWERED = ("Linnea", "Tuomas")  # no demo books them through the services, which refuse the delisted
ON_PAPER = "Sirpa"
ADDED = {
    "fi": (
        " Tietojani voidaan käyttää myös avoimien tehtävien kohdentamiseen: minulle kerrotaan tehtävistä, "
        "jotka sopivat ilmoittamiini tehtäviin, kuntiin, kieliin ja aikoihin. Koordinaattori voi täyttää "
        "profiiliani puolestani, jos annan siihen luvan."
    ),
    "sv": (
        " Mina uppgifter kan också användas för att rikta öppna uppdrag till mig: jag får veta om uppdrag "
        "som passar de uppgifter, kommuner, språk och tider jag har angett. En koordinator kan fylla i min "
        "profil för min räkning, om jag ger lov till det."
    ),
    "en": (
        " My details may also be used to match open assignments to me: I am told of assignments that suit "
        "the tasks, municipalities, languages and times I have given. A coordinator may fill in my profile "
        "on my behalf if I allow it."
    ),
}
SIRPA_NEEDS = (
    "Yhteydenotot puhelimitse, en käytä sähköpostia. Tehtävän ohjeet ja kartta paperilla etukäteen. "
    "Kuulen huonosti vasemmalla korvalla: istun mieluiten puhujan oikealla puolella."
)


def _consent_renewal(experts: dict[str, ExpertProfile], coordinator: User) -> ConsentText:
    """Consent text v2, published PUBLISHED_DAYS_AGO through consent_renewal (every expert asked), and
    answered by all the demo's experts but NOT_ANSWERED. Built when missing; published again (the
    same days ago) when its grace period has passed, so that the two are in it again."""
    now = timezone.now()
    text = ConsentText.objects.filter(version=RENEWED_VERSION).first()
    if text is not None and text.published_at and text.grace_deadline > now:
        return text
    day = timezone.localdate() - timedelta(days=PUBLISHED_DAYS_AGO)
    published = datetime.combine(day, time(10), tzinfo=timezone.get_default_timezone())
    # The first text was in force for a year before (its seeded publication time is the migration's).
    year_before = published - timedelta(days=365)
    ConsentText.objects.filter(version__lt=RENEWED_VERSION, published_at__gt=year_before).update(
        published_at=year_before
    )
    if text is None:
        texts = {f"text_{language}": CONSENT[language] + added for language, added in ADDED.items()}
        text = ConsentText.objects.create(
            version=RENEWED_VERSION, text=texts["text_fi"], published_at=published, grace_days=GRACE_DAYS, **texts
        )
    else:
        text.published_at, text.grace_days = published, GRACE_DAYS
        text.save(update_fields=["published_at", "grace_days"])
    publish_consent_text(text=text)
    # They answered in the first ten days; Sirpa signed the new form at the health centre on day six.
    answering = (
        ExpertProfile.objects.filter(
            user__email__endswith=DEMO_DOMAIN, user__is_active=True, consent_version__lt=RENEWED_VERSION
        )
        .exclude(status=ProfileStatus.LEFT)
        .exclude(pk__in=[experts[name].pk for name in NOT_ANSWERED])
        .select_related("user")
        .order_by("pk")
    )
    for index, profile in enumerate(answering):
        if profile.pk == experts[ON_PAPER].pk:
            signed_on = day + timedelta(days=6)
            record_paper_consent(profile=profile, text=text, signed_on=signed_on, actor=coordinator, step=LAST_STEP)
        else:
            given_at = published + timedelta(days=1 + index % 10, hours=index % 7)
            give_consent(profile=profile, text=text, given_at=given_at)
    return text


def _on_behalf(sirpa: ExpertProfile, coordinator: User) -> None:
    """Sirpa's own needs, filled in by Sanna on her behalf, in the form Sirpa would use."""
    form = NeedsForm({"accessibility_needs": SIRPA_NEEDS}, instance=sirpa)
    if form.is_valid() and form.has_changed():
        save_profile_section(form=form, actor=coordinator)


# --- Payee details --------------------------------------------------------------------------------


def _payee(aino: ExpertProfile, coordinator: User) -> None:
    """Aino's payee details; a bank account and an identity code (the official examples) only where
    the county stores them (KP_PAYROLL_SENSITIVE). Saving the same again changes nothing."""
    data = {
        "legal_name": "Aino Mäkelä",
        "payee_number": "P-104233",
        "tax_card_delivered": True,
        "tax_card_year": timezone.localdate().year,
    }
    if payees.sensitive_enabled():
        data |= {"bank_account": "FI4950009420028730", "identity_code": "131052-308T"}
    payees.save_payee(profile=aino, data=data, actor=coordinator)


# --- Helpers --------------------------------------------------------------------------------------


class _Filled:
    """A form as its user filled it in and sent it: what the services take (`form.save(commit=False)`,
    the unsaved object). It asks the municipality and the language (orders.create_assignment_for_order)."""

    fields = {"municipality": None, "language": None}

    def __init__(self, instance):
        self.instance = instance

    def save(self, commit=False):
        return self.instance  # unsaved: the service saves it


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=timezone.get_default_timezone())


def _day(today: date, days: int, profiles=(), weekdays=(0, 1, 2, 3, 4)) -> date:
    """`days` from today on one of `weekdays`, off the experts' blocked dates, moved away from today
    (a past day stays past)."""
    step = timedelta(days=-1 if days < 0 else 1)
    periods = list(BlockedPeriod.objects.filter(profile__in=profiles).values_list("start", "end"))
    day = today + timedelta(days=days)
    while day.weekday() not in weekdays or any(start <= day <= end for start, end in periods):
        day += step
    return day


def _tariff(kind: str) -> Tariff:
    return Tariff.objects.filter(kind=kind, is_active=True).order_by("order", "pk").first()


@dataclass
class Plan:
    title: str
    description: str
    task: str
    tariff: str
    unit: str
    address: str
    municipality: str
    minutes: int
    arrangements: str = ""
    experts_needed: int = 1


def _assignment(plan: Plan, starts: datetime, coordinator: User, **extra) -> Assignment:
    """The coordinator's new-assignment form, filled in (not saved)."""
    return Assignment(
        title=plan.title,
        description=plan.description,
        task_type=TaskType.objects.get(slug=plan.task),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=plan.minutes),
        address=plan.address,
        unit=plan.unit,
        contact_person=coordinator,
        contact_phone=PHONE,
        tariff=_tariff(plan.tariff),
        arrangements=plan.arrangements,
        experts_needed=plan.experts_needed,
        municipality=Municipality.objects.get(slug=plan.municipality),
        language=Language.objects.get(slug="suomi"),
        **extra,
    )


def _create(plan: Plan, starts: datetime, coordinator: User) -> Assignment:
    return services.create_assignment(form=_Filled(_assignment(plan, starts, coordinator)), actor=coordinator)


def _book(assignment: Assignment, profile: ExpertProfile, coordinator: User, *, confirm: bool = True) -> Booking:
    """Invited, accepted and (unless not `confirm`) confirmed, stage by stage as in real life. A past
    assignment is booked while it lay ahead (BOOKED_AHEAD later) and set back to its day; its messages
    went out before it, so none is left waiting."""
    past = assignment.starts_at <= timezone.now()
    if past:
        _move_by(assignment, BOOKED_AHEAD)
    invited, refused = services.invite_experts(assignment=assignment, profiles=[profile], actor=coordinator)
    if not invited:
        raise BookingError(refused.get(profile.pk, "already invited"))
    booking = services.answer_invitation(booking=invited[0], accept=True)
    if confirm:
        booking = services.confirm_booking(booking=booking, actor=coordinator, acknowledge_earnings=True)
    if past:
        _move_by(assignment, -BOOKED_AHEAD)
        cancel_notifications(target=booking)  # the invitation and the reminders went out back then
    return Booking.objects.select_related("assignment", "expert__user").get(pk=booking.pk)


def _complete(booking: Booking, coordinator: User, *, km: int = 0) -> Booking:
    expenses = [Expense(kind=ExpenseKind.TRAVEL_KM, quantity=Decimal(km))] if km else []
    return services.complete_booking(booking=booking, completed=True, hours=None, actor=coordinator, expenses=expenses)


def _back_dated(booking: Booking, delta: timedelta) -> None:
    """The invitation and its messages as if sent `delta` ago (the reminders then fall due at once)."""
    Booking.objects.filter(pk=booking.pk).update(invited_at=F("invited_at") - delta)
    Notification.objects.for_target(booking).update(due_at=F("due_at") - delta)


def _days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def _attempt(step, *args) -> object | None:
    """One part of the week in a savepoint: a part that cannot be booked now (a demo user paused
    Aino's assignments, say) is left out whole rather than failing `make run`."""
    try:
        with transaction.atomic():
            return step(*args)
    except BookingError:
        return None


# --- Units' order requests ------------------------------------------------------------------------


@dataclass
class Order:
    unit: str
    task: str
    days: int  # from today
    weekdays: tuple
    start: time
    minutes: int
    audience: str
    municipality: str
    address: str
    wishes: str
    sent_days_ago: int
    outcome: str  # waiting, declined, confirmed or done
    reason: str = ""  # why declined
    expert: str = ""  # who was confirmed
    plan: Plan | None = None  # the assignment the coordinator made of it
    km: int = 0


ORDERS = [
    Order(
        "Hollolan sosiaalipalvelut",
        "luento",
        20,
        (0, 1, 2, 3, 4),
        time(13),
        90,
        "Aikuissosiaalityön tiimi, noin 15 sosiaalityöntekijää ja -ohjaajaa",
        "hollola",
        "Hollolan kunnantalo, Virastotie 3, Hollola",
        "Toivomme puheenvuoroa siitä, millaista on hakea toimeentulotukea ja mikä asiakkaana auttoi. "
        "Kokemus velkaantumisesta tai päihteistä olisi hyvä.",
        2,
        "waiting",
    ),
    Order(
        "Lahden terveysasema",
        "kehittaminen",
        3,
        (0, 1, 2, 3, 4),
        time(8, 30),
        60,
        "Ajanvarauksen kehittämisryhmä, 8 henkeä",
        "lahti",
        LAHTI_HEALTH_CENTRE,
        "Kokemusta terveysaseman ajanvarauksesta ja takaisinsoitosta, mieluiten ikääntyneen asiakkaan tai "
        "omaisen näkökulmasta.",
        6,
        "declined",
        reason="Toivottuun päivään on liian vähän aikaa, eikä sopivaa kokemusasiantuntijaa ehditä löytää. "
        "Tehkää uusi pyyntö vähintään kolme viikkoa ennen tilaisuutta, niin järjestämme mielellämme.",
    ),
    Order(
        "Lahden terveysasema",
        "koulutus",
        15,
        (0, 3),  # Helmi's weekly hours: Mondays and Thursdays
        time(13),
        120,
        "Terveysaseman hoitajat ja lääkärit, noin 30 henkeä",
        "lahti",
        LAHTI_HEALTH_CENTRE,
        "Saavutettavuus vastaanotolla: miltä terveysasema näyttää pyörätuolista käsin, ja mitä "
        "henkilökunta voisi tehdä toisin.",
        12,
        "confirmed",
        expert="Helmi",
        plan=Plan(
            "Koulutus: kohtaaminen ja saavutettavuus vastaanotolla",
            "Terveysaseman henkilöstön koulutusiltapäivä: kokemusasiantuntija kertoo, miltä vastaanotolle "
            "tulo näyttää pyörätuolista käsin, ja keskustelee hoitajien ja lääkärien kanssa.",
            "koulutus",
            TariffKind.LECTURE,
            "Lahden terveysasema",
            LAHTI_HEALTH_CENTRE,
            "lahti",
            120,
            arrangements="Esteetön sisäänkäynti Harjukadun puolelta; induktiosilmukka luentosalissa.",
        ),
    ),
    Order(
        "Hollolan sosiaalipalvelut",
        "luento",
        -8,
        (1, 3),  # Mikko's weekly hours: Tuesdays and Thursdays
        time(9),
        90,
        "Sosiaaliohjaajat ja työllisyyskoordinaattorit, noin 25 henkeä",
        "hollola",
        "Hollolan kunnantalo, Virastotie 3, Hollola",
        "Työhön paluu pitkän sairausloman jälkeen: mikä auttoi ja mikä olisi auttanut.",
        35,
        "done",
        expert="Mikko",
        km=42,
        plan=Plan(
            "Kokemuspuheenvuoro: työhön paluu kaksisuuntaisen mielialahäiriön kanssa",
            "Hollolan sosiaalipalvelujen aamupäivä: kokemuspuheenvuoro työhön paluusta ja keskustelu "
            "sosiaaliohjaajien kanssa.",
            "luento",
            TariffKind.LECTURE,
            "Hollolan sosiaalipalvelut",
            "Hollolan kunnantalo, Virastotie 3, Hollola",
            "hollola",
            90,
        ),
    ),
]


def _order(order: Order, today: date, orderer: User, coordinator: User, experts) -> OrderRequest:
    """Riikka's request as she sent it, and what the coordinator did with it."""
    profiles = [experts[order.expert]] if order.expert else []
    day = _day(today, order.days, profiles, order.weekdays)
    ends = (datetime.combine(day, order.start) + timedelta(minutes=order.minutes)).time()
    request = OrderRequest(
        unit=order.unit,
        task_type=TaskType.objects.get(slug=order.task),
        date=day,
        start_time=order.start,
        end_time=ends,
        audience=order.audience,
        municipality=Municipality.objects.get(slug=order.municipality),
        language=Language.objects.get(slug="suomi"),
        address=order.address,
        wishes=order.wishes,
        contact_phone="03 819 1234",
    )
    request = orders.submit_order_request(form=_Filled(request), orderer=orderer)
    handled = None
    if order.outcome == "declined":
        orders.decline_order_request(order=request, reason=order.reason, actor=coordinator)
        handled = order.sent_days_ago - 1
    elif order.plan is not None:
        assignment = _assignment(order.plan, _at(day, order.start), coordinator)
        assignment = orders.create_assignment_for_order(form=_Filled(assignment), order=request, actor=coordinator)
        handled = order.sent_days_ago - 1
        booking = _book(assignment, experts[order.expert], coordinator)
        if order.outcome == "done":
            _complete(booking, coordinator, km=order.km)  # Riikka is asked for her feedback
    sent = _days_ago(order.sent_days_ago)
    OrderRequest.objects.filter(pk=request.pk).update(
        created_at=sent, handled_at=_days_ago(handled) if handled is not None else None
    )
    return request


# --- The weekly reception shift -------------------------------------------------------------------

SERIES_PLAN = Plan(
    SERIES_TITLE,
    "Kokemusasiantuntija päivystää pääterveysaseman aulassa: keskusteluja asiakkaiden ja omaisten kanssa, "
    "vertaistuen ja järjestöjen palvelujen esittely. Ei ajanvarausta.",
    "vastaanotto",
    TariffKind.HOURLY,
    "Lahden pääterveysasema",
    LAHTI_HEALTH_CENTRE,
    "lahti",
    240,
    arrangements="Oma pöytä aulan hiljaisemmassa päässä; tauko kello 14.",
)


def _series(today: date, coordinator: User, experts) -> list[Assignment]:
    """Every Wednesday 12–16 for SERIES_WEEKS weeks from the next Wednesday, open to all matching (the
    experts it matches are told in their daily digest); the fifth date cancelled; Katja volunteered
    for the first."""
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    template = _assignment(
        SERIES_PLAN,
        _at(wednesday, time(12)),
        coordinator,
        open_to_all=True,
        venue_accessibility="Esteetön sisäänkäynti Harjukadun puolelta, hissi ja esteetön wc aulassa.",
    )
    last = wednesday + timedelta(weeks=SERIES_WEEKS - 1)
    dates = series.create_assignment_series(form=_Filled(template), last_date=last, actor=coordinator)
    services.cancel_assignment(
        assignment=dates[SERIES_CANCELLED],
        reason=CancelReason.OTHER,
        note="Pääterveysaseman aula on remontissa tällä viikolla.",
        actor=coordinator,
    )
    _attempt(lambda: services.volunteer_for(assignment=dates[0], profile=experts["Katja"]))
    return dates


# --- What waits in the to-do, and what happened last week -----------------------------------------

PANEL = Plan(
    MARKER,
    "Asiakasraati käy läpi terveysaseman ajanvarauksen ja takaisinsoiton: mikä toimii, missä jonotetaan "
    "ja miten palvelu näkyy asiakkaalle. Kahvitarjoilu.",
    "asiakasraati",
    TariffKind.MEETING,
    "Heinolan terveysasema",
    HEINOLA_HEALTH_CENTRE,
    "heinola",
    120,
    experts_needed=2,
)
FAMILY_EVENING = Plan(
    "Omaisten ilta: kun läheinen sairastaa masennusta",
    "Omaisten ilta järjestötalolla: kokemuspuheenvuoro omaisen jaksamisesta ja keskustelu.",
    "luento",
    TariffKind.LECTURE,
    "Omaishoidon tuki",
    "Järjestötalo, Lahti",
    "lahti",
    90,
)
HEINOLA_STAFF_DAY = Plan(
    "Henkilöstöpäivä Heinolan terveysasemalla: kokemuspuheenvuoro masennuksesta",
    "Terveysaseman henkilöstöpäivän aamu: mikä auttoi masennuksesta toipumisessa ja mitä toivoisin ammattilaisilta.",
    "luento",
    TariffKind.LECTURE,
    "Heinolan terveysasema",
    HEINOLA_HEALTH_CENTRE,
    "heinola",
    90,
)
SUBSTANCE_TRAINING = Plan(
    "Päihdetyön koulutuspäivä: kokemuspuheenvuoro toipumisesta",
    "Päihdetyön koulutuspäivä Heinolassa: kokemuspuheenvuoro retkahduksista ja toipumisesta, ja "
    "kysymyksiä henkilöstöltä.",
    "luento",
    TariffKind.LECTURE,
    "Päihdepalvelut",
    "Heinolan kaupungintalo, Heinola",
    "heinola",
    90,
)
DEPRESSION_GROUP = Plan(
    "Masennusryhmän vertaisohjaus Lahden pääterveysasemalla",
    "Masennuksesta toipuvien ryhmä: kokemusasiantuntija ohjaa yhdessä psykiatrisen sairaanhoitajan kanssa.",
    "vertaisryhma",
    TariffKind.HOURLY,
    "Aikuisten mielenterveyspalvelut",
    LAHTI_HEALTH_CENTRE,
    "lahti",
    90,
)
GAMBLING_GROUP = Plan(
    "Vertaisryhmä: peliongelmasta toipuvat",
    "Peliongelmasta toipuvien vertaisryhmä: kokemusasiantuntija ohjaa keskustelua yhdessä sosiaaliohjaajan kanssa.",
    "vertaisryhma",
    TariffKind.HOURLY,
    "Päihdepalvelut",
    "Järjestötalo, Lahti",
    "lahti",
    120,
)
MS_LECTURE = Plan(
    "Kuntoutuksen henkilöstöinfo: elämä MS-taudin kanssa",
    "Neurologisen kuntoutuksen henkilöstöinfo: arki, työkyky ja apuvälineet MS-taudin kanssa.",
    "luento",
    TariffKind.LECTURE,
    "Neurologian poliklinikka",
    KESKUSSAIRAALA,
    "lahti",
    120,
)
PHONE_GIG = Plan(
    "A-klinikan asiakasilta: kokemuspuheenvuoro toipumisesta",
    "A-klinikan sosiaaliterapeutti soitti ja pyysi puheenvuoroa seuraavan päivän asiakasiltaan: toipuminen "
    "päihderiippuvuudesta ja vertaistuen merkitys.",
    "luento",
    TariffKind.LECTURE,
    "Päihdepalvelut",
    "A-klinikka, Lahti",
    "lahti",
    120,
)
TITLES = [
    SERIES_TITLE,
    *(plan.title for plan in (PANEL, FAMILY_EVENING, HEINOLA_STAFF_DAY, SUBSTANCE_TRAINING, DEPRESSION_GROUP)),
    *(plan.title for plan in (GAMBLING_GROUP, MS_LECTURE, PHONE_GIG)),
    *(order.plan.title for order in ORDERS if order.plan),
]


def _unanswered(today: date, coordinator: User, experts) -> None:
    """Ville invited three days ago to an evening client panel (outside the Monday hours he gave)."""
    assignment = _create(PANEL, _at(_day(today, 6), time(17)), coordinator)
    invited, _refused = services.invite_experts(assignment=assignment, profiles=[experts["Ville"]], actor=coordinator)
    for booking in invited:
        _back_dated(booking, timedelta(days=3, hours=2))


def _to_record(today: date, coordinator: User, experts) -> None:
    """Maria's family evening yesterday: confirmed, the outcome still to record."""
    maria = experts["Maria"]
    _book(_create(FAMILY_EVENING, _at(_day(today, -1, [maria]), time(17, 30)), coordinator), maria, coordinator)


def _heinola_staff_day(today: date, coordinator: User, experts) -> None:
    """Aino's lecture in Heinola: completed, and her claim for the ticket waits, with the receipt."""
    aino = experts["Aino"]
    day = _day(today, -5, [aino])
    booking = _complete(
        _book(_create(HEINOLA_STAFF_DAY, _at(day, time(9)), coordinator), aino, coordinator), coordinator
    )
    claim, _created = claims.submit_expense_claim(
        booking=booking,
        kilometres=Decimal("0"),
        tickets=Decimal("12.40"),
        receipt=ContentFile(receipt_jpeg(day), name="kuitti.jpg"),
        note="Junalippu Lahti–Heinola, kuitti liitteenä. Paluumatkalle sain kyydin työpaikalta.",
    )
    ExpenseClaim.objects.filter(pk=claim.pk).update(submitted_at=_days_ago(1))


def _substance_training(today: date, coordinator: User, experts) -> None:
    """Juha's hard training day: completed, a debrief asked for; his claim returned for its kilometres."""
    juha = experts["Juha"]
    booking = _book(_create(SUBSTANCE_TRAINING, _at(_day(today, -4, [juha]), time(10)), coordinator), juha, coordinator)
    booking = _complete(booking, coordinator)
    services.submit_check_in(
        booking=booking,
        feeling=CheckIn.Feeling.RATHER_HARD,
        text="Yksi kysymys meni lähelle omaa retkahdustani, ja jäin miettimään sitä. Haluaisin käydä sen läpi.",
        wants_debrief=True,
    )
    claim, _created = claims.submit_expense_claim(
        booking=booking,
        kilometres=Decimal("140"),
        tickets=Decimal("0"),
        receipt=None,
        note="Oma auto Lahti–Heinola–Lahti.",
    )
    claims.return_expense_claim(
        claim=claim,
        reason="Lahdesta Heinolaan ja takaisin on noin 70 km. Tarkista kilometrit ja lähetä korvaus uudelleen.",
        actor=coordinator,
    )
    ExpenseClaim.objects.filter(pk=claim.pk).update(submitted_at=_days_ago(3), decided_at=_days_ago(2))


def _depression_group(today: date, coordinator: User, experts) -> None:
    """Katja's group (a Monday or a Friday: her other demo bookings are midweek): completed, a debrief
    agreed for the day after tomorrow, and her kilometres approved."""
    katja = experts["Katja"]
    day = _day(today, -7, [katja], weekdays=(0, 4))
    booking = _complete(
        _book(_create(DEPRESSION_GROUP, _at(day, time(13)), coordinator), katja, coordinator), coordinator
    )
    services.submit_check_in(
        booking=booking,
        feeling=CheckIn.Feeling.OK,
        text="Ryhmässä oli hyvä tunnelma, mutta yksi osallistuja kertoi itsetuhoisista ajatuksista. "
        "Sairaanhoitaja hoiti tilanteen, mutta haluaisin purkaa sitä.",
        wants_debrief=True,
    )
    debriefs.move_debrief(booking=booking, to=DebriefStatus.AGREED, on=_day(today, 2), actor=coordinator)
    claim, _created = claims.submit_expense_claim(
        booking=booking, kilometres=Decimal("30"), tickets=Decimal("0"), receipt=None, note="Oma auto Hollola–Lahti."
    )
    claims.approve_expense_claim(claim=claim, actor=coordinator)
    ExpenseClaim.objects.filter(pk=claim.pk).update(submitted_at=_days_ago(5), decided_at=_days_ago(3))


def _corrected(today: date, coordinator: User, experts) -> None:
    """Antero's peer group, completed for its two hours and corrected to three."""
    antero = experts["Antero"]
    assignment = _create(GAMBLING_GROUP, _at(_day(today, -11, [antero]), time(17)), coordinator)
    booking = _complete(_book(assignment, antero, coordinator), coordinator, km=12)
    afterwards.correct_booking(
        booking=booking,
        reason="Keskustelu jatkui sovitusti tunnin pidempään.",
        actor=coordinator,
        hours=Decimal("3"),
    )


def _not_completed(today: date, coordinator: User, experts) -> None:
    """Helmi's lecture three days ago did not take place: she fell ill."""
    helmi = experts["Helmi"]
    booking = _book(_create(MS_LECTURE, _at(_day(today, -3, [helmi]), time(13)), coordinator), helmi, coordinator)
    services.complete_booking(
        booking=booking,
        completed=False,
        hours=None,
        actor=coordinator,
        not_completed_reason=NotCompletedReason.ILLNESS,
        not_completed_note="Helmi sairastui edellisenä iltana; luennolle sovitaan uusi aika.",
    )


def _recorded_afterwards(today: date, coordinator: User, experts) -> None:
    """Juha's evening at the A-clinic last week, arranged by phone the day before: recorded afterwards
    with his kilometres."""
    juha = experts["Juha"]
    gig = _assignment(PHONE_GIG, _at(_day(today, -6, [juha]), time(17)), coordinator)
    afterwards.record_past_assignment(
        assignment=gig,
        expert=juha,
        actor=coordinator,
        expenses=[Expense(kind=ExpenseKind.TRAVEL_KM, quantity=Decimal(24))],
    )


# --- The receipt --------------------------------------------------------------------------------


# A font with the Finnish letters, the dash and the euro sign, where the machine has one (PIL finds them
# by name in the system's font folders); otherwise PIL's own, which lacks them (see _plain).
FONTS = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf"]
PLAIN = str.maketrans({"–": "-", "€": "EUR", "ä": "a", "ö": "o", "Ä": "A", "Ö": "O"})


def _font(size: int) -> tuple[ImageFont.FreeTypeFont, bool]:
    """(a font of `size`, whether it has the Finnish letters)."""
    for name in FONTS:
        try:
            return ImageFont.truetype(name, size), True
        except OSError:
            continue
    return ImageFont.load_default(size=size), False


def receipt_jpeg(day: date) -> bytes:
    """A plain photo-like receipt of a train ticket, drawn here (no binary file in the repository)."""
    (heading, full), (body, _full) = _font(25), _font(21)
    lines = [
        (heading, "Kuitti – VR Lahti–Heinola 12,40 €", ""),
        (body, "", ""),
        (body, "Matkapäivä", f"{day.day}.{day.month}.{day.year}"),
        (body, "Lahti – Heinola, kertalippu", ""),
        (body, "Aikuinen", "1 kpl"),
        (body, "", ""),
        (body, "Yhteensä", "12,40 €"),
        (body, "sis. ALV 10 %", "1,13 €"),
        (body, "Maksettu pankkikortilla", ""),
        (body, "", ""),
        (body, "Kiitos matkasta!", ""),
    ]
    image = Image.new("RGB", (520, 620), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    ink, rule = (30, 30, 30), (120, 120, 120)
    draw.line([(30, 30), (490, 30)], fill=rule, width=2)
    y = 46
    for font, left, right in lines:
        left, right = (left, right) if full else (left.translate(PLAIN), right.translate(PLAIN))
        draw.text((30, y), left, fill=ink, font=font)
        if right:
            draw.text((490 - draw.textlength(right, font=font), y), right, fill=ink, font=font)
        y += 44
    draw.line([(30, y + 6), (490, y + 6)], fill=rule, width=2)
    output = BytesIO()
    image.save(output, format="JPEG", quality=85)
    return output.getvalue()


# --- Loading ------------------------------------------------------------------------------------


@dataclass
class Week:
    series_dates: int
    orders: int


def waiting() -> int:
    """How many items wait in the coordinators' to-do (after every demo has loaded)."""
    return count_waiting(timezone.now())


def _week_assignments(coordinator: User, orderer: User) -> list[Assignment]:
    rows = Assignment.objects.filter(Q(created_by=coordinator, title__in=TITLES) | Q(order_request__orderer=orderer))
    return list(rows.distinct())


def _remove(coordinator: User, orderer: User) -> None:
    """The week's assignments (their bookings, claims, check-ins and corrections go with them), the
    orderer's requests and the messages of all these; a receipt leaves the storage with its claim."""
    assignments = _week_assignments(coordinator, orderer)
    for booking in Booking.objects.filter(assignment__in=assignments):
        Notification.objects.for_target(booking).delete()
    for claim in ExpenseClaim.objects.filter(booking__assignment__in=assignments):
        Notification.objects.for_target(claim).delete()
    requests = OrderRequest.objects.filter(orderer=orderer)
    for request in requests:
        Notification.objects.for_target(request).delete()
    series_ids = {assignment.series_id for assignment in assignments if assignment.series_id}
    for assignment in assignments:
        assignment.delete()
    requests.delete()
    AssignmentSeries.objects.filter(pk__in=series_ids).delete()
    # A digest left with none of its assignments has nothing to say.
    for digest in MatchDigest.objects.filter(assignments__isnull=True):
        Notification.objects.for_target(digest).delete()
        digest.delete()


def _is_current(coordinator: User) -> bool:
    return Assignment.objects.filter(created_by=coordinator, title=MARKER, starts_at__gt=timezone.now()).exists()


def _summary(coordinator: User, orderer: User) -> Week:
    dates = Assignment.objects.filter(created_by=coordinator, title=SERIES_TITLE, series__isnull=False).count()
    return Week(series_dates=dates, orders=OrderRequest.objects.filter(orderer=orderer).count())


@transaction.atomic
def load() -> Week:
    """Build the week unless a current one exists (payee details and the consent text are kept up to
    date either way). Returns what the summary of `load_demo` tells."""
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    orderer = User.objects.get(email=ORDERER_EMAIL)
    experts = _experts()
    _payee(experts["Aino"], coordinator)
    _consent_renewal(experts, coordinator)
    # Read again, as a page would: a profile form saves the whole profile, and a copy read before the
    # consents were entered would put Sirpa's old consent version back.
    experts = _experts()
    _on_behalf(experts[ON_PAPER], coordinator)
    if not _is_current(coordinator):
        _remove(coordinator, orderer)
        today = timezone.localdate()
        for order in ORDERS:
            _attempt(_order, order, today, orderer, coordinator, experts)
        _attempt(_series, today, coordinator, experts)
        for part in (
            _unanswered,
            _to_record,
            _heinola_staff_day,
            _substance_training,
            _depression_group,
            _corrected,
            _not_completed,
            _recorded_afterwards,
        ):
            _attempt(part, today, coordinator, experts)
        services.refresh_recent_assignments(profile_ids=[profile.pk for profile in experts.values()])
    return _summary(coordinator, orderer)
