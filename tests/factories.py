"""Deterministic factories: sequences, no randomness."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from accounts.models import User
from accounts.services import assign_role

TEST_PASSWORD = "Testi-salasana-123"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    """UserFactory(role="coordinator", mfa=True): a user with a verified email, a role and TOTP."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"henkilo{n}@example.fi")
    first_name = factory.Sequence(lambda n: ["Aino", "Eero", "Säde", "Jyrki", "Åsa"][n % 5])
    last_name = factory.Sequence(lambda n: ["Mäkelä", "Hämäläinen", "Åström", "Virtanen", "Kettu-Nieminen"][n % 5])

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            assign_role(user=obj, role=extracted)

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            TOTP.activate(obj, TEST_TOTP_SECRET)


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    """A listed (consented, active) expert. ExpertProfileFactory(consent=False) for an unlisted one.

    experiences=[("masennus", "own")], task_types=["luento"], languages=["suomi"], municipalities=["lahti"]
    take slugs of the seeded taxonomies; weekdays=[0, 2] adds weekly slots (9–15, or weekdays__start and
    weekdays__end). The search document and facets are refreshed after creation: a test that adds
    related rows later calls services.refresh_search_document() as the services do.
    """

    class Meta:
        model = "experts.ExpertProfile"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role="expert")
    display_name = factory.Sequence(lambda n: ["Aino", "Päivi", "Jyrki", "Åsa", "Eero-Matti"][n % 5] + f" {n}")
    bio = ""
    # Onboarded: ready to be booked (ExpertProfileFactory(ready_at=None) for one still onboarding).
    ready_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def consent(obj, create, extracted, **kwargs):  # noqa: N805
        from experts.models import ConsentText
        from experts.services import give_consent

        if create and extracted is not False:
            give_consent(profile=obj, text=ConsentText.current())

    @factory.post_generation
    def experiences(obj, create, extracted, **kwargs):  # noqa: N805
        from experts.models import ExperienceArea, ProfileExperience

        for slug, relation in extracted or []:
            ProfileExperience.objects.create(profile=obj, area=ExperienceArea.objects.get(slug=slug), relation=relation)

    @factory.post_generation
    def task_types(obj, create, extracted, **kwargs):  # noqa: N805
        from experts.models import TaskType

        if extracted:
            obj.task_types.set(TaskType.objects.filter(slug__in=extracted))

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):  # noqa: N805
        from experts.models import Language

        if extracted:
            obj.languages.set(Language.objects.filter(slug__in=extracted))

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):  # noqa: N805
        from experts.models import Municipality

        if extracted:
            obj.municipalities.set(Municipality.objects.filter(slug__in=extracted))

    @factory.post_generation
    def weekdays(obj, create, extracted, **kwargs):  # noqa: N805
        from datetime import time

        from experts.models import WeeklyAvailability

        for weekday in extracted or []:
            start, end = kwargs.get("start", time(9)), kwargs.get("end", time(15))
            WeeklyAvailability.objects.create(profile=obj, weekday=weekday, start=start, end=end)

    @factory.post_generation
    def search_document(obj, create, extracted, **kwargs):  # noqa: N805
        from experts.services import refresh_search_document

        if create:
            refresh_search_document(obj)


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An open assignment a week from now (to the minute) for two hours, priced by the seeded hourly tariff.

    AssignmentFactory(starts_in=timedelta(days=-1), hours=1.5, tariff_kind="lecture"): a different time
    or tariff; `contact_person` (a coordinator) is also `created_by` unless given.
    """

    class Meta:
        model = "bookings.Assignment"

    class Params:
        starts_in = timedelta(days=7)
        hours = 2
        tariff_kind = "hourly"

    title = factory.Sequence(lambda n: ["Luento masennuksesta", "Vertaisryhmä Lahdessa", "Asiakasraati"][n % 3])
    description = "Kokemuspuheenvuoro sairaanhoitajaopiskelijoille."
    task_type = factory.LazyFunction(lambda: _taxonomy("TaskType", "luento"))
    starts_at = factory.LazyAttribute(lambda o: (timezone.now() + o.starts_in).replace(second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=o.hours))
    address = "Keskussairaalankatu 7, Lahti"
    unit = "Psykiatrian poliklinikka"
    contact_person = factory.SubFactory(UserFactory, role="coordinator", mfa=True)
    created_by = factory.SelfAttribute("contact_person")
    tariff = factory.LazyAttribute(lambda o: _tariff(o.tariff_kind))


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking of `expert` on `assignment`, written directly (no notifications). The default is an
    invitation; BookingFactory(status="confirmed") holds the expert's time (the exclusion constraint
    applies). Use bookings.services for the state machine's effects.

    BookingFactory(status="completed", with_fee=True): the hours of the assignment and the fee of its
    tariff, as complete_booking records them (fee=... for a changed one). The assignment's own fields
    go through as assignment__starts_in=..., assignment__contact_person=...
    """

    class Meta:
        model = "bookings.Booking"

    class Params:
        with_fee = factory.Trait(
            hours=factory.SelfAttribute("assignment.hours"),
            fee_computed=factory.LazyAttribute(lambda o: o.assignment.tariff.fee_for(o.hours)),
            fee=factory.SelfAttribute("fee_computed"),
        )

    assignment = factory.SubFactory(AssignmentFactory)
    expert = factory.SubFactory(ExpertProfileFactory)
    status = "invited"
    during = factory.LazyAttribute(lambda o: _range(o.assignment))
    confirmed_at = factory.LazyAttribute(lambda o: timezone.now() if o.status in ("confirmed", "completed") else None)


def _taxonomy(model: str, slug: str):
    from django.apps import apps

    return apps.get_model("experts", model).objects.get(slug=slug)


def _tariff(kind: str):
    from bookings.models import Tariff

    return Tariff.objects.filter(kind=kind, is_active=True).order_by("order", "pk").first()


def _range(assignment):
    from bookings.eligibility import booking_range

    return booking_range(assignment)


def seeded_form(kind: str = "participant"):
    """The latest version of a seeded feedback form (feedback/seed.py: participant or staff)."""
    from feedback.models import FormTemplate

    return FormTemplate.objects.get(kind=kind).latest_version()


class RoundFactory(factory.django.DjangoModelFactory):
    """A feedback round on an assignment, open now for a week, on the seeded participant form.

    RoundFactory(opens_in=timedelta(days=1)): not open yet; RoundFactory(threshold=3, target=assignment)."""

    class Meta:
        model = "feedback.Round"

    class Params:
        opens_in = timedelta(hours=-1)

    version = factory.LazyFunction(seeded_form)
    title = factory.Sequence(lambda n: f"Vertaisryhmä, kerta {n + 1}")
    target = factory.SubFactory(AssignmentFactory, starts_in=timedelta(days=-1))
    opens_at = factory.LazyAttribute(lambda o: timezone.now() + o.opens_in)
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + timedelta(days=7))
    owner = factory.SelfAttribute("target.contact_person")
    threshold = 5


# --- Trainings (trainings/models.py)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A programme with no modules; ModuleFactory(programme=...) adds them."""

    class Meta:
        model = "trainings.Programme"

    # The Finnish column explicitly (modeltranslation writes `name` to the active language's column,
    # which would leave the Finnish page without a name when a factory runs under another language).
    name = factory.Sequence(lambda n: f"Kasvava kokemusasiantuntijuus {n + 1}")
    name_fi = factory.SelfAttribute("name")
    slug = factory.Sequence(lambda n: f"kasvava-{n + 1}")
    summary = "Valmennus sosiaalisen kuntoutuksen asiakkaille kokemusasiantuntijuudesta."
    learning_goals = "Tunnistan oman kokemukseni voiman.\nOsaan kertoa tarinani turvallisesti."
    completion_attendance = 80


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "trainings.Module"

    programme = factory.SubFactory(ProgrammeFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: ["Oma tarina voimavarana", "Hyvinvointialue tutuksi", "Vuorovaikutus"][n % 3])
    name_fi = factory.SelfAttribute("name")
    hours = 3


class CohortFactory(factory.django.DjangoModelFactory):
    """A running cohort from a week ago for two months; its coordinator has a role and TOTP."""

    class Meta:
        model = "trainings.Cohort"

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Pälkäneen ryhmä {n + 1}")
    place = "Pälkäneen toimipiste, Keskustie 1"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=60))
    status = "running"
    coordinator = factory.SubFactory(UserFactory, role="coordinator", mfa=True)


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A participant without an account who agreed to be contacted by email."""

    class Meta:
        model = "trainings.Participant"

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: ["Sari Mäkinen", "Jari Heikkilä", "Åsa Lindqvist", "Eeva-Liisa Öhman"][n % 4])
    email = factory.Sequence(lambda n: f"osallistuja{n}@example.fi")
    contact_consent = True
    contact_consent_at = factory.LazyFunction(timezone.now)


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A three-hour session of a cohort a day from now (to the minute).

    TrainingSessionFactory(starts_in=timedelta(days=-2)): a past one."""

    class Meta:
        model = "trainings.TrainingSession"

    class Params:
        starts_in = timedelta(days=1)
        hours = 3

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Valmennuskerta {n + 1}")
    starts_at = factory.LazyAttribute(lambda o: (timezone.now() + o.starts_in).replace(second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=o.hours))
    place = "Pälkäneen toimipiste, Keskustie 1"


class OnboardingStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "trainings.OnboardingStep"

    name = factory.Sequence(
        lambda n: ["Vaitiolositoumus", "Perehdytyskeskustelu", "Ensimmäinen tehtävä mentorin kanssa"][n % 3]
    )
    order = factory.Sequence(lambda n: n + 1)
    due_days = 30


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "trainings.Guide"

    title = factory.Sequence(lambda n: f"Näin tilaat kokemusasiantuntijan {n + 1}")
    slug = factory.Sequence(lambda n: f"opas-{n + 1}")
    summary = "Lyhyt ohje yksiköille."
    body = "<p>Tee tilaus koordinaattorille viimeistään kaksi viikkoa ennen.</p>"


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A participant marked present at a session (status="absent" or "excused" otherwise)."""

    class Meta:
        model = "trainings.Attendance"

    session = factory.SubFactory(TrainingSessionFactory)
    participant = factory.SubFactory(ParticipantFactory, cohort=factory.SelfAttribute("..session.cohort"))
    status = "present"


# --- Hearings (hearings/models.py)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A published campaign open now for two weeks, asking the age group and municipality; its owner
    a coordinator with TOTP. QuestionFactory(campaign=...) adds questions."""

    class Meta:
        model = "hearings.Campaign"

    title = factory.Sequence(lambda n: f"Terveysasemien aukioloajat {n + 1}")
    title_fi = factory.SelfAttribute("title")
    slug = factory.Sequence(lambda n: f"aukioloajat-{n + 1}")
    summary = "Kerro, milloin sinulle sopii asioida terveysasemalla."
    summary_fi = factory.SelfAttribute("summary")
    responsible_unit = "Perusterveydenhuolto"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + timedelta(days=14))
    channels = factory.LazyFunction(lambda: ["online", "workshop"])
    languages = factory.LazyFunction(lambda: ["fi", "sv"])
    is_published = True
    owner = factory.SubFactory(UserFactory, role="coordinator", mfa=True)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A free-text question; QuestionFactory(kind="single", choices=["Aamulla", "Illalla"]) adds choices."""

    class Meta:
        model = "hearings.Question"
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = "text"
    text = factory.Sequence(lambda n: f"Mitä haluat sanoa aukioloajoista? ({n + 1})")
    text_fi = factory.SelfAttribute("text")

    @factory.post_generation
    def choices(obj, create, extracted, **kwargs):  # noqa: N805
        from hearings.models import Choice

        for order, label in enumerate(extracted or [], start=1):
            Choice.objects.create(question=obj, order=order, label=label, label_fi=label)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hearings.Topic"

    title = factory.Sequence(lambda n: f"Suun terveydenhuollon ajanvaraus {n + 1}")
    decision = "Palveluverkkosuunnitelma 2027"
    proposer = "Asiakasraati"


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hearings.Panel"

    name = factory.Sequence(lambda n: f"Ikäihmisten asiakasraati {n + 1}")
    name_fi = factory.SelfAttribute("name")
    unit = "Ikääntyneiden palvelut"
    coordinator = factory.SubFactory(UserFactory, role="coordinator", mfa=True)


class ResponseFactory(factory.django.DjangoModelFactory):
    """An online response in Finnish with no background; ResponseFactory(age_group="75-", channel="paper")."""

    class Meta:
        model = "hearings.Response"

    campaign = factory.SubFactory(CampaignFactory)
    channel = "online"
    language = "fi"


class AnswerFactory(factory.django.DjangoModelFactory):
    """AnswerFactory(response=r, question=q, text="…" | choice=c | value=4)."""

    class Meta:
        model = "hearings.Answer"

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory, campaign=factory.SelfAttribute("..response.campaign"))


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hearings.Theme"

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: ["Aukioloajat", "Pysäköinti", "Ajanvaraus", "Saavutettavuus"][n % 4] + f" {n}")


class NoteFactory(factory.django.DjangoModelFactory):
    """A workshop's notes; NoteFactory(channel="panel") for a client panel's output."""

    class Meta:
        model = "hearings.Note"

    campaign = factory.SubFactory(CampaignFactory)
    channel = "workshop"
    title = factory.Sequence(lambda n: f"Työpaja {n + 1}")
    text = "Osallistujat toivoivat iltavastaanottoja ja parempaa pysäköintiä."
    participants = 12


# --- Units ordering experts (bookings/orders.py)


def _clock(hour: int):
    from datetime import time

    return time(hour)


class OrderRequestFactory(factory.django.DjangoModelFactory):
    """A waiting request from an orderer (no TOTP: orderers see no one's data but their own) for a
    lecture two weeks from now, 13–15. OrderRequestFactory(orderer=u, status="declined", …)."""

    class Meta:
        model = "bookings.OrderRequest"

    orderer = factory.SubFactory(UserFactory, role="orderer")
    unit = factory.Sequence(lambda n: ["Päijät-Hämeen sairaanhoitajakoulutus", "Lahden terveysasema"][n % 2])
    task_type = factory.LazyFunction(lambda: _taxonomy("TaskType", "luento"))
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    start_time = factory.LazyFunction(lambda: _clock(13))
    end_time = factory.LazyFunction(lambda: _clock(15))
    audience = "Noin 20 sairaanhoitajaopiskelijaa"
    address = "Mukkulankatu 19, Lahti"
    wishes = "Toipumisesta ja siitä, mikä auttoi."
    contact_phone = "044 765 4321"


class CheckInFactory(factory.django.DjangoModelFactory):
    """The expert's "How did it go?" on a completed booking. CheckInFactory(debrief="asked") asks for
    a debrief (wants_debrief, with that status)."""

    class Meta:
        model = "bookings.CheckIn"

    class Params:
        debrief = ""

    booking = factory.SubFactory(
        BookingFactory, status="completed", with_fee=True, assignment__starts_in=timedelta(days=-2)
    )
    feeling = 3
    text = "Meni hyvin, mutta jännitti."
    wants_debrief = factory.LazyAttribute(lambda o: bool(o.debrief))
    debrief_status = factory.SelfAttribute("debrief")


# --- Payroll: expense claims and payee details (bookings/claims.py, bookings/payees.py)


class ExpenseClaimFactory(factory.django.DjangoModelFactory):
    """An expert's waiting claim for 42 km on a completed booking, without a receipt. A receipt:
    ExpenseClaimFactory(receipt=ContentFile(b"%PDF-...", name="kuitti.pdf"), tickets=...)."""

    class Meta:
        model = "bookings.ExpenseClaim"

    booking = factory.SubFactory(
        BookingFactory, status="completed", with_fee=True, assignment__starts_in=timedelta(days=-2)
    )
    kilometres = 42
    tickets = 0
    note = "Lahti–Heinola ja takaisin"


class PayeeFactory(factory.django.DjangoModelFactory):
    """Payee details without a bank account or an identity code (those are encrypted: payees.py)."""

    class Meta:
        model = "bookings.Payee"

    profile = factory.SubFactory(ExpertProfileFactory)
    legal_name = factory.Sequence(lambda n: ["Aino Mäkelä", "Päivi Hämäläinen-Åström", "Jyrki Öhman"][n % 3])
    payee_number = factory.Sequence(lambda n: f"P-{1000 + n}")
    tax_card_delivered = True
    tax_card_year = 2027
