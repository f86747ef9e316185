"""Demo experts for searching: fictional people with realistic Finnish profiles (no real persons).

Each has an account with the expert role (no password: they cannot sign in), a consented profile,
a weekly pattern, and varied visibility choices. Running load() twice changes nothing.
"""

from datetime import time

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import assign_role
from experts.models import (
    ConsentText,
    ExperienceArea,
    ExpertProfile,
    Language,
    Municipality,
    Organisation,
    ProfileExperience,
    TaskType,
    TrainingLevel,
    WeeklyAvailability,
)
from experts.services import give_consent, refresh_search_document

# name, training level, organisation, experiences (slug, own/close_one), tasks, languages, municipalities,
# remote, weekdays, bio
EXPERTS = [
    (
        "Katja",
        TrainingLevel.TRAINED,
        "hyvinvointialue",
        [("masennus", "own"), ("mielenterveys", "own")],
        ["vastaanotto", "vertaisryhma"],
        ["suomi"],
        ["hollola", "lahti"],
        False,
        [0, 2],
        "Olen toiminut vastaanotolla Hollolan sote-keskuksessa kaksi vuotta. Vedän myös masennusryhmää "
        "ja kerron mielelläni, mikä minua auttoi toipumaan.",
    ),
    (
        "Mikko",
        TrainingLevel.TRAINED,
        "mieli-ry",
        [("kaksisuuntainen", "own")],
        ["luento", "koulutus", "media"],
        ["suomi", "englanti"],
        ["lahti", "heinola"],
        True,
        [1, 3],
        "Kokemusasiantuntija-luennoitsija. Olen puhunut HUS:n, THL:n ja ammattikoulujen tilaisuuksissa "
        "kaksisuuntaisen mielialahäiriön kanssa elämisestä ja työhön paluusta.",
    ),
    (
        "Sirpa",
        TrainingLevel.ACTIVIST,
        "syopayhdistys",
        [("syopa", "own"), ("omaishoito", "close_one")],
        ["vertaisryhma", "asiakasraati"],
        ["suomi", "selkokieli"],
        ["orimattila"],
        False,
        [1],
        "Sairastuin rintasyöpään 2019. Nyt toimin vertaistukena ja asiakasraadissa, jotta hoitopolku olisi "
        "seuraaville selkeämpi.",
    ),
    (
        "Juha",
        TrainingLevel.TRAINED,
        "a-kilta",
        [("paihteet", "own"), ("asunnottomuus", "own")],
        ["kehittaminen", "johtoryhma", "luento"],
        ["suomi"],
        ["lahti"],
        True,
        [0, 1, 3],
        "Päihdekuntoutuja ja entinen asunnoton. Olen mukana päihdepalvelujen johtoryhmässä ja "
        "Tulevaisuuden sote-keskus -hankkeen kehittäjäasiakkaana.",
    ),
    (
        "Linnea",
        TrainingLevel.DEVELOPER_CLIENT,
        None,
        [("lastensuojelu", "close_one")],
        ["asiakasraati", "kehittaminen"],
        ["ruotsi", "suomi"],
        ["lahti", "iitti"],
        True,
        [4],
        "Äiti ja lastensuojelun asiakasperheen vanhempi. Jag talar också svenska och vill utveckla "
        "familjetjänster tillsammans med personalen.",
    ),
    (
        "Tuomas",
        TrainingLevel.ACTIVIST,
        "miete-ry",
        [("skitsofrenia", "own")],
        ["vertaisryhma", "hanketyo"],
        ["suomi"],
        ["heinola", "sysma"],
        False,
        [2],
        "Olen elänyt skitsofrenian kanssa parikymmentä vuotta. Toimin vertaisohjaajana ja hanketyössä "
        "psykiatrisen osaston vastaanottotoiminnan suunnittelussa.",
    ),
    (
        "Helmi",
        TrainingLevel.TRAINED,
        "hyvinvointialue",
        [("neurologiset", "own"), ("vammaisuus", "own")],
        ["luento", "koulutus"],
        ["suomi", "viittomakieli"],
        ["asikkala", "padasjoki"],
        True,
        [0, 3],
        "MS-tautia sairastava kokemusasiantuntija. Koulutan henkilöstöä saavutettavuudesta ja siitä, "
        "miltä palvelut näyttävät pyörätuolista käsin.",
    ),
    (
        "Antero",
        TrainingLevel.ACTIVIST,
        None,
        [("peliriippuvuus", "own"), ("tyottomyys", "own")],
        ["vertaisryhma", "media"],
        ["suomi"],
        ["karkola", "hollola"],
        True,
        [1, 2],
        "Peliongelmasta toipunut. Olen kertonut tarinani paikallislehdessä ja radiossa, ja tuen nyt muita "
        "vertaisryhmässä.",
    ),
    (
        "Maria",
        TrainingLevel.TRAINED,
        "mieli-ry",
        [("mielenterveys", "close_one"), ("omaishoito", "own")],
        ["luento", "asiakasraati"],
        ["suomi", "venaja"],
        ["lahti"],
        False,
        [3, 4],
        "Omaisena masennusta sairastavan puolison rinnalla. Puhun omaisten jaksamisesta ja siitä, miten "
        "omaiset otetaan mukaan hoitoon.",
    ),
    (
        "Ville",
        TrainingLevel.DEVELOPER_CLIENT,
        None,
        [("tyottomyys", "own")],
        ["kehittaminen", "asiakasraati"],
        ["suomi", "arabia"],
        ["lahti", "orimattila"],
        True,
        [0],
        "Kuntouttavan työtoiminnan asiakas, kiinnostunut palvelujen kehittämisestä ja työllisyyspalveluista.",
    ),
]


@transaction.atomic
def load() -> int:
    consent = ConsentText.current()
    for index, (name, level, org, experiences, tasks, languages, places, remote, weekdays, bio) in enumerate(EXPERTS):
        email = f"asiantuntija{index + 1:02d}@demo.kokemuspankki.fi"
        user, created = User.objects.get_or_create(email=email, defaults={"first_name": name})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        assign_role(user=user, role=Role.EXPERT)
        defaults = {
            "display_name": name,
            "bio": bio,
            "training_level": level,
            "remote_ok": remote,
            "in_person_ok": True,
            "organisation": Organisation.objects.filter(slug=org).first(),
            "onboarding_step": 6,
            # Varied choices: some share their introduction with all staff or the public.
            "visibility": {
                "bio": ["coordinators", "staff", "public"][index % 3],
                "task_types": "staff",
                "languages": "public",
                "municipalities": "staff",
            },
            "is_public": index % 3 == 2,
        }
        # Onboarded: ready to be booked from the start; a re-run keeps the first time.
        profile, _ = ExpertProfile.objects.update_or_create(
            user=user, defaults=defaults, create_defaults={**defaults, "ready_at": timezone.now()}
        )
        for slug, relation in experiences:
            ProfileExperience.objects.update_or_create(
                profile=profile, area=ExperienceArea.objects.get(slug=slug), defaults={"relation": relation}
            )
        profile.task_types.set(TaskType.objects.filter(slug__in=tasks))
        profile.languages.set(Language.objects.filter(slug__in=languages))
        profile.municipalities.set(Municipality.objects.filter(slug__in=places))
        for weekday in weekdays:
            WeeklyAvailability.objects.get_or_create(profile=profile, weekday=weekday, start=time(9), end=time(16))
        # Consented once, when first loaded: a newer text asks them again (demo.week: two have not answered).
        if consent and profile.consent_version is None:
            give_consent(profile=profile, text=consent)
        refresh_search_document(profile)
    return len(EXPERTS)
