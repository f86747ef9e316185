"""Real content for trainings, in fi/sv/en: the Pirkanmaa pilot's programme "Kasvava
kokemusasiantuntijuus" (seeds/002), an onboarding checklist of new experts, and two guides of the staff
toolkit written for Päijät-Häme (seeds/000). Each function is idempotent: what exists (by slug or
name) is left as an admin may have edited it, and only what is missing is created.

The demo data calls these; no migration does: programmes, onboarding steps and guides are each
county's own content.
"""

from decimal import Decimal
from pathlib import Path

from django.db import transaction

LANGUAGES = ("fi", "sv", "en")


def columns(name: str, texts: tuple[str, str, str]) -> dict[str, str]:
    """The fi/sv/en columns of a translated field, and the field itself (modeltranslation's default)."""
    return {name: texts[0], **{f"{name}_{code}": text for code, text in zip(LANGUAGES, texts, strict=True)}}


def lines(*items: tuple[str, str, str]) -> tuple[str, str, str]:
    """One text a language of several lines (a programme's goals and requirements are one a line)."""
    return tuple("\n".join(item[i] for item in items) for i in range(3))  # type: ignore[return-value]


# --- The programme -------------------------------------------------------------------------------

PROGRAMME_SLUG = "kasvava-kokemusasiantuntijuus"

PROGRAMME = {
    "name": ("Kasvava kokemusasiantuntijuus", "Växande erfarenhetsexpertis", "Growing experience expertise"),
    "summary": (
        "Valmennus sosiaalisen kuntoutuksen ja kuntouttavan työtoiminnan asiakkaille, jotka haluavat "
        "käyttää omaa kokemustaan muiden hyväksi. Valmentajina toimivat koulutetut kokemusasiantuntijat. "
        "Osallistujat antavat palautetta jokaisen valmennuskerran jälkeen. Malli pilotoitiin Pälkäneellä "
        "hyvinvointialueen, kunnan ja järjestön yhteistyönä.",
        "En utbildning för klienter inom social rehabilitering och arbetsverksamhet i rehabiliteringssyfte "
        "som vill använda sin egen erfarenhet till nytta för andra. Utbildarna är utbildade "
        "erfarenhetsexperter. Deltagarna ger respons efter varje utbildningstillfälle. Modellen prövades i "
        "Pälkäne i samarbete mellan välfärdsområdet, kommunen och en organisation.",
        "A training for clients of social rehabilitation and rehabilitative work activity who want to use "
        "their own experience to help others. The trainers are trained experience experts. Participants "
        "give feedback after every session. The model was piloted in Pälkäne by the wellbeing services "
        "county, the municipality and a non-governmental organisation together.",
    ),
    "learning_goals": lines(
        (
            "Tunnistan oman kokemukseni voimavarana ja osaan kertoa, mitä muut voivat siitä oppia.",
            "Jag känner igen min egen erfarenhet som en resurs och kan berätta vad andra kan lära sig av den.",
            "I see my own experience as a resource and can tell what others can learn from it.",
        ),
        (
            "Tunnen hyvinvointialueen palveluympäristöt: terveydenhuollon, sosiaalipalvelut, "
            "työllisyyspalvelut ja jatkokoulutuksen.",
            "Jag känner till välfärdsområdets tjänstemiljöer: hälso- och sjukvården, socialtjänsterna, "
            "sysselsättningstjänsterna och fortsatta studier.",
            "I know the county's service environments: health care, social services, employment services "
            "and further education.",
        ),
        (
            "Osaan kertoa tarinani turvallisesti: valitsen itse, mitä kerron, kenelle ja miksi.",
            "Jag kan berätta min historia på ett tryggt sätt: jag väljer själv vad jag berättar, för vem och varför.",
            "I can tell my story safely: I choose what I tell, to whom and why.",
        ),
        (
            "Ymmärrän, mitä asiakaslähtöisyys ja osallistuminen tarkoittavat palveluiden kehittämisessä.",
            "Jag förstår vad klientorientering och delaktighet betyder när tjänster utvecklas.",
            "I understand what client-centredness and participation mean in developing services.",
        ),
        (
            "Tiedän, mitä kokemusasiantuntija tekee ja millainen polku kokemusasiantuntijaksi on.",
            "Jag vet vad en erfarenhetsexpert gör och hur vägen till erfarenhetsexpert ser ut.",
            "I know what an experience expert does and what the path to becoming one looks like.",
        ),
    ),
    "competence_requirements": lines(
        (
            "Kertoo omasta kokemuksestaan rajatusti ja tavoitteellisesti ja huolehtii samalla omasta jaksamisestaan.",
            "Berättar om sin erfarenhet avgränsat och målinriktat och tar samtidigt hand om sitt eget välmående.",
            "Tells of their own experience in a focused way, with a purpose, while looking after their own wellbeing.",
        ),
        (
            "Noudattaa vaitiolovelvollisuutta ja kunnioittaa muiden osallistujien ja asiakkaiden yksityisyyttä.",
            "Iakttar tystnadsplikten och respekterar andra deltagares och klienters integritet.",
            "Keeps confidentiality and respects the privacy of other participants and clients.",
        ),
        (
            "Osaa kuvata hyvinvointialueen keskeiset palvelut ja asiakkaiden osallistumisen kanavat.",
            "Kan beskriva välfärdsområdets centrala tjänster och klienternas kanaler för delaktighet.",
            "Can describe the county's main services and the channels through which clients take part.",
        ),
        (
            "Toimii ryhmässä ja antaa ja ottaa vastaan palautetta rakentavasti.",
            "Arbetar i grupp och ger och tar emot respons på ett konstruktivt sätt.",
            "Works in a group and gives and receives feedback constructively.",
        ),
        (
            "Tietää, mistä saa tukea ja jälkipuinnin kokemusasiantuntijan tehtävissä.",
            "Vet var man får stöd och eftersamtal i uppdrag som erfarenhetsexpert.",
            "Knows where to find support and a debrief in an experience expert's assignments.",
        ),
    ),
}

# (name, contents and goals, hours, required for completion), in the order they are held.
MODULES = [
    (
        ("Kokemusasiantuntijuus tutuksi", "Vad är erfarenhetsexpertis?", "Introducing experience expertise"),
        (
            "Mitä kokemustieto on ja miten se täydentää ammattilaisten tietoa. Kokemusasiantuntijan "
            "tehtävät hyvinvointialueella. Ryhmän pelisäännöt ja valmennuksen tavoitteet.",
            "Vad erfarenhetskunskap är och hur den kompletterar de professionellas kunskap. "
            "Erfarenhetsexpertens uppgifter i välfärdsområdet. Gruppens spelregler och utbildningens mål.",
            "What experiential knowledge is and how it complements professionals' knowledge. An experience "
            "expert's tasks in the county. The group's ground rules and the training's goals.",
        ),
        Decimal("3.0"),
        True,
    ),
    (
        ("Oma tarina voimavarana", "Den egna historien som resurs", "Your own story as a resource"),
        (
            "Oman elämänkaaren ja toipumisen tarkastelu. Mikä kokemuksessani voi auttaa muita? "
            "Vahvuuksien tunnistaminen yhdessä ryhmän kanssa.",
            "Att se på sitt eget liv och sin återhämtning. Vad i min erfarenhet kan hjälpa andra? "
            "Att känna igen sina styrkor tillsammans med gruppen.",
            "Looking at your own life and recovery. What in my experience can help others? Recognising "
            "strengths together with the group.",
        ),
        Decimal("3.0"),
        True,
    ),
    (
        (
            "Hyvinvointialueen palveluympäristöt",
            "Välfärdsområdets tjänstemiljöer",
            "The county's service environments",
        ),
        (
            "Terveydenhuolto, sosiaalipalvelut, työllisyyspalvelut ja jatkokoulutus kokemusasiantuntijan "
            "silmin. Koulutettujen kokemusasiantuntijoiden puheenvuorot eri toimintaympäristöistä.",
            "Hälso- och sjukvård, socialtjänster, sysselsättningstjänster och fortsatta studier ur "
            "erfarenhetsexpertens synvinkel. Utbildade erfarenhetsexperter berättar om olika miljöer.",
            "Health care, social services, employment services and further education through an experience "
            "expert's eyes. Trained experience experts speak about working in each.",
        ),
        Decimal("3.0"),
        True,
    ),
    (
        ("Turvallinen tarinankerronta", "Att berätta tryggt", "Safe story-telling"),
        (
            "Tarinan rajaaminen kuulijan ja tilanteen mukaan. Mitä jätän kertomatta? Vaitiolo, toisten "
            "yksityisyys ja oma jaksaminen ennen esiintymistä ja sen jälkeen.",
            "Att avgränsa berättelsen efter publik och situation. Vad lämnar jag osagt? Tystnadsplikt, "
            "andras integritet och det egna välmåendet före och efter ett framträdande.",
            "Shaping the story for the audience and the occasion. What do I leave out? Confidentiality, "
            "other people's privacy and your own wellbeing before and after speaking.",
        ),
        Decimal("3.0"),
        True,
    ),
    (
        (
            "Asiakaslähtöisyys ja osallistuminen",
            "Klientorientering och delaktighet",
            "Client-centred participation",
        ),
        (
            "Miten asiakkaat osallistuvat palveluiden suunnitteluun ja kehittämiseen: asiakasraadit, "
            "kehittäjäasiakkaat ja kuulemiset. Hyvinvointialuelain 29 §.",
            "Hur klienter deltar i planeringen och utvecklingen av tjänster: klientråd, utvecklarklienter "
            "och höranden. 29 § i lagen om välfärdsområden.",
            "How clients take part in planning and developing services: client panels, developer clients "
            "and hearings. Section 29 of the Wellbeing Services Counties Act.",
        ),
        Decimal("3.0"),
        True,
    ),
    (
        ("Vuorovaikutus ja esiintyminen", "Kommunikation och att framträda", "Speaking and interaction"),
        (
            "Puheenvuoron valmistelu ja harjoittelu ryhmässä. Kysymyksiin vastaaminen ja palautteen "
            "antaminen ja vastaanottaminen.",
            "Att förbereda och öva ett anförande i gruppen. Att svara på frågor samt att ge och ta emot respons.",
            "Preparing and rehearsing a talk in the group. Answering questions, giving and receiving feedback.",
        ),
        Decimal("3.0"),
        False,
    ),
    (
        ("Polku kokemusasiantuntijaksi", "Vägen till erfarenhetsexpert", "The path to becoming an expert"),
        (
            "Kokemusasiantuntijakoulutukset, kokemuspankki, toimeksiannot, palkkiot ja ansaintarajat. "
            "Mistä saa tukea? Valmennuksen päätös ja todistukset.",
            "Erfarenhetsexpertutbildningar, erfarenhetsbanken, uppdrag, arvoden och inkomstgränser. "
            "Var får man stöd? Utbildningens avslutning och intygen.",
            "Experience-expert training, the expert bank, assignments, fees and earnings limits. Where to "
            "find support. Closing the training and the certificates.",
        ),
        Decimal("3.0"),
        True,
    ),
]


@transaction.atomic
def seed_programme():
    """The pilot's programme with its modules, its sessions' feedback form the seeded participant
    form (feedback/seed.py). Returns the programme."""
    from feedback.models import FormKind, FormTemplate

    from .models import Module, Programme

    form = FormTemplate.objects.filter(kind=FormKind.PARTICIPANT, is_active=True).order_by("pk").first()
    fields: dict = {}
    for key in ("name", "summary", "learning_goals", "competence_requirements"):
        fields.update(columns(key, PROGRAMME[key]))
    programme, _created = Programme.objects.get_or_create(
        slug=PROGRAMME_SLUG, defaults={**fields, "feedback_template": form, "completion_attendance": 80}
    )
    for order, (name, goals, hours, required) in enumerate(MODULES, start=1):
        Module.objects.get_or_create(
            programme=programme,
            order=order,
            defaults={**columns("name", name), **columns("goals", goals), "hours": hours, "is_required": required},
        )
    return programme


# --- Onboarding of new experts -------------------------------------------------------------------

# (name, description, days from joining until overdue, required before the expert is booked)
ONBOARDING_STEPS = [
    (
        ("Salassapitositoumus", "Förbindelse om tystnadsplikt", "Confidentiality agreement"),
        (
            "Kokemusasiantuntija allekirjoittaa salassapitositoumuksen: asiakkaiden ja työntekijöiden "
            "asiat, jotka hän kuulee tehtävissään, jäävät hänen tietoonsa.",
            "Erfarenhetsexperten undertecknar en förbindelse om tystnadsplikt: det hen får veta om klienter "
            "och anställda i sina uppdrag stannar hos hen.",
            "The expert signs a confidentiality agreement: what they learn about clients and staff in their "
            "assignments stays with them.",
        ),
        7,
        True,
    ),
    (
        (
            "Perehdytyskeskustelu koordinaattorin kanssa",
            "Introduktionssamtal med koordinatorn",
            "Orientation discussion with the coordinator",
        ),
        (
            "Käydään läpi, millaisia tehtäviä kokemusasiantuntija haluaa ja jaksaa tehdä, miten "
            "toimeksiannot tulevat, mistä saa tukea ja miten jälkipuinti järjestetään.",
            "Vi går igenom vilka uppdrag erfarenhetsexperten vill och orkar ta, hur uppdragen kommer, var "
            "man får stöd och hur eftersamtal ordnas.",
            "We go through which assignments the expert wants and has the energy for, how assignments come, "
            "where to find support and how debriefs are arranged.",
        ),
        14,
        True,
    ),
    (
        (
            "Verokortti ja palkkiotiedot palkanmaksuun",
            "Skattekort och uppgifter för arvodet till löneutbetalningen",
            "Tax card and fee details to the payroll",
        ),
        (
            "Kokemusasiantuntija toimittaa verokortin ja tilinumeron palkanmaksuun. Jos hän saa eläkettä "
            "tai etuutta, koordinaattori kertoo ansaintarajoista.",
            "Erfarenhetsexperten lämnar skattekort och kontonummer till löneutbetalningen. Om hen får "
            "pension eller förmåner berättar koordinatorn om inkomstgränserna.",
            "The expert gives their tax card and bank account to the payroll. If they receive a pension or "
            "benefit, the coordinator explains the earnings limits.",
        ),
        14,
        True,
    ),
    (
        (
            "Kokemusasiantuntijan eettiset ohjeet luettu",
            "Etiska riktlinjer för erfarenhetsexperter lästa",
            "Read the expert's ethical guidelines",
        ),
        (
            "Kokemusasiantuntija lukee hyvinvointialueen eettiset ohjeet ja keskustelee niistä koordinaattorin kanssa.",
            "Erfarenhetsexperten läser välfärdsområdets etiska riktlinjer och diskuterar dem med koordinatorn.",
            "The expert reads the county's ethical guidelines and talks them over with the coordinator.",
        ),
        30,
        True,
    ),
    (
        (
            "Ensimmäinen toimeksianto mentorin kanssa",
            "Första uppdraget med en mentor",
            "First assignment with a mentor",
        ),
        (
            "Ensimmäinen tehtävä tehdään kokeneen kokemusasiantuntijan kanssa, ja sen jälkeen pidetään "
            "jälkipuinti. Tämä tehdään vasta, kun kokemusasiantuntija on valmis varattavaksi.",
            "Det första uppdraget görs tillsammans med en erfaren erfarenhetsexpert, och efteråt hålls ett "
            "eftersamtal. Det görs först när erfarenhetsexperten kan bokas.",
            "The first assignment is done with an experienced expert, followed by a debrief. It comes once "
            "the expert is ready to be booked.",
        ),
        90,
        False,
    ),
]


@transaction.atomic
def seed_onboarding_steps() -> list:
    """The onboarding checklist, each step by its Finnish name. Returns the steps."""
    from .models import OnboardingStep

    steps = []
    for order, (name, description, due_days, required) in enumerate(ONBOARDING_STEPS, start=1):
        step, _created = OnboardingStep.objects.get_or_create(
            name_fi=name[0],
            defaults={
                **columns("name", name),
                **columns("description", description),
                "order": order * 10,
                "due_days": due_days,
                "required": required,
            },
        )
        steps.append(step)
    return steps


# --- The staff toolkit ---------------------------------------------------------------------------

GUIDE_TEXTS = Path(__file__).resolve().parent / "seed_guides"


def guide_texts(slug: str) -> tuple[str, str, str]:
    """A guide's body in fi, sv and en: HTML files in seed_guides/, easier to edit than Python strings."""
    return tuple((GUIDE_TEXTS / f"{slug}.{code}.html").read_text().strip() for code in LANGUAGES)  # type: ignore[return-value]


CLIENT_PANEL = {
    "slug": "nain-jarjestat-asiakasraadin",
    "title": ("Näin järjestät asiakasraadin", "Så ordnar du ett klientråd", "How to run a client panel"),
    "summary": (
        "Asiakasraati kehittää yhtä palvelua yhdessä työntekijöiden kanssa. Näin suunnittelet, kokoat ja "
        "vedät raadin ja kerrot, mitä sen ehdotuksista seurasi.",
        "Ett klientråd utvecklar en tjänst tillsammans med de anställda. Så planerar, samlar och leder du "
        "rådet och berättar vad som blev av dess förslag.",
        "A client panel develops one service together with staff. How to plan, gather and lead a panel, "
        "and tell it what came of its proposals.",
    ),
    "body": guide_texts("nain-jarjestat-asiakasraadin"),
}

ORDERING = {
    "slug": "nain-tilaat-kokemusasiantuntijan",
    "title": (
        "Näin tilaat kokemusasiantuntijan",
        "Så beställer du en erfarenhetsexpert",
        "How to order an experience expert",
    ),
    "summary": (
        "Milloin tilaus tehdään, mitä siinä kerrotaan, mitä kokemusasiantuntijalle maksetaan ja miten "
        "huolehdit hänen jaksamisestaan ja palautteesta.",
        "När beställningen görs, vad den ska innehålla, vad erfarenhetsexperten får i arvode och hur du "
        "tar hand om hens välmående och responsen.",
        "When to order, what to tell, what the expert is paid, and how to look after their wellbeing and the feedback.",
    ),
    "body": guide_texts("nain-tilaat-kokemusasiantuntijan"),
}

GUIDES = [CLIENT_PANEL, ORDERING]


@transaction.atomic
def seed_guides() -> list:
    """The toolkit's two guides, by slug. Returns the guides."""
    from .models import Guide

    guides = []
    for spec in GUIDES:
        guide, _created = Guide.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                **columns("title", spec["title"]),
                **columns("summary", spec["summary"]),
                **columns("body", spec["body"]),
            },
        )
        guides.append(guide)
    return guides
