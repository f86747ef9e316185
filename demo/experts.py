"""The demo expert's profile: complete, consented and bookable, with realistic Finnish content.

Run after demo.accounts.load(). Running it again changes nothing (a blocked week is added only while
none lies ahead).
"""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from experts.models import (
    BlockedPeriod,
    ConsentText,
    ExperienceArea,
    ExpertProfile,
    Language,
    Municipality,
    Organisation,
    ProfileStatus,
    Relation,
    TaskType,
    TrainingLevel,
    Visibility,
    WeeklyAvailability,
)
from experts.services import clean_visibility, give_consent, refresh_search_document
from notifications.models import Channel
from notifications.phone import parse_mobile_number
from notifications.services import set_preference

DEMO_EXPERT_EMAIL = "asiantuntija@demo.kokemuspankki.fi"

BIO = (
    "Olen Aino, lahtelainen kokemusasiantuntija. Sairastuin masennukseen parikymppisenä ja olen "
    "toipunut siitä vertaistuen ja hyvän hoidon avulla. Lisäksi minulla on kokemusta läheisen "
    "päihdeongelmasta omaisen näkökulmasta. Kerron mielelläni, mikä auttoi jaksamaan ja mitä toivoisin "
    "ammattilaisilta. Puhun selkeästi ja tarvittaessa selkokielellä."
)
TOPICS_NOT_DISCUSSED = "Lapsuudenperheeni asiat ja läheiseni nimet tai yksityiskohdat."
ACCESSIBILITY_NEEDS = "Hiljainen tila ennen puheenvuoroa. Pidempään kestävissä tilaisuuksissa tauko tunnin välein."
EXPERIENCES = {"masennus": Relation.OWN, "paihteet": Relation.CLOSE_ONE}
VISIBILITY = {
    "photo": Visibility.STAFF,
    "bio": Visibility.PUBLIC,
    "task_types": Visibility.PUBLIC,
    "languages": Visibility.PUBLIC,
    "municipalities": Visibility.PUBLIC,
    "work_mode": Visibility.STAFF,
    "training": Visibility.STAFF,
    "organisation": Visibility.STAFF,
}
# Mondays 9–15 and Wednesdays 12–16.
WEEKLY = [(0, time(9), time(15)), (2, time(12), time(16))]
# Her mobile number, and what she chose to have by text message too: sent only where an SMS backend is
# configured (`make run` writes them to .data/sms/). Before demo.bookings invites her, so its
# invitation and the last reminder of her confirmed shift come as texts.
AINO_PHONE = "+358 40 123 4567"
AINO_TEXT_MESSAGES = ["bookings.invitation", "bookings.reminder_late"]


@transaction.atomic
def load() -> ExpertProfile:
    user = User.objects.get(email=DEMO_EXPERT_EMAIL)
    phone = parse_mobile_number(AINO_PHONE)
    if user.phone != phone:
        user.phone = phone
        user.save(update_fields=["phone"])
    for kind in AINO_TEXT_MESSAGES:
        set_preference(user=user, kind=kind, channel=Channel.SMS, enabled=True)
    defaults = {
        "display_name": "Aino",
        "bio": BIO,
        "topics_not_discussed": TOPICS_NOT_DISCUSSED,
        "accessibility_needs": ACCESSIBILITY_NEEDS,
        "remote_ok": True,
        "in_person_ok": True,
        "training_level": TrainingLevel.TRAINED,
        "organisation": Organisation.objects.get(slug="mieli-ry"),
        "status": ProfileStatus.ACTIVE,
        "paused_until": None,
        "monthly_cap": 4,
        "visibility": clean_visibility(VISIBILITY),
        "is_public": True,
        "onboarding_step": 6,
    }
    # Onboarded: ready to be booked from the start; a re-run keeps the first time.
    profile, _created = ExpertProfile.objects.update_or_create(
        user=user, defaults=defaults, create_defaults={**defaults, "ready_at": timezone.now()}
    )
    profile.experiences.exclude(area__slug__in=EXPERIENCES).delete()
    for slug, relation in EXPERIENCES.items():
        profile.experiences.update_or_create(
            area=ExperienceArea.objects.get(slug=slug), defaults={"relation": relation}
        )
    profile.task_types.set(TaskType.objects.filter(slug__in=["vastaanotto", "luento"]))
    profile.languages.set(Language.objects.filter(slug__in=["suomi", "selkokieli"]))
    profile.municipalities.set(Municipality.objects.filter(slug__in=["hollola", "lahti"]))
    if sorted(profile.weekly_slots.values_list("weekday", "start", "end")) != WEEKLY:
        profile.weekly_slots.all().delete()
        WeeklyAvailability.objects.bulk_create(
            [WeeklyAvailability(profile=profile, weekday=day, start=start, end=end) for day, start, end in WEEKLY]
        )
    today = timezone.localdate()
    if not profile.blocked_periods.filter(end__gte=today).exists():
        # A holiday week, Monday to Sunday, three weeks ahead.
        monday = today + timedelta(days=21 - today.weekday())
        BlockedPeriod.objects.create(profile=profile, start=monday, end=monday + timedelta(days=6), note="Lomaviikko")
    current = ConsentText.current()
    if current is not None and profile.consent_version != current.version:
        give_consent(profile=profile, text=current)
    refresh_search_document(profile)
    return profile
