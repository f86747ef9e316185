"""Demo hearings in Päijät-Häme (seeds/000): the loop from topic to decision, closed once.

- "Terveysasemien aukioloajat ja ajanvaraus", closed some months ago with its outcome published:
  questions of every kind, 150 online and 20 paper responses with a plausible spread, two workshops'
  notes, themes on the free-text answers, and findings linked to the decisions they went into (one
  not adopted, with its reasons). Those who asked to be told were told and their addresses deleted,
  so none are left.
- "Ikäihmisten kotihoidon kehittäminen", open now and closing in ten days: some answers, a summary
  in plain language, Swedish texts, and three addresses waiting for its outcome.
- "Päijät-Hämeen ikäihmisten asiakasraati": two experts of the demo bank and three residents, a
  year of monthly meetings; the held ones have an output on a campaign and their expert members
  booked and paid through bookings, the next one booked and confirmed.
- A few topics in the backlog, one turned into the open campaign.

Written with the ORM as demo.trainings does (no messages for the past). load() rebuilds it all
around today each time it runs, with the same figures (a seeded random).
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from bookings.eligibility import booking_range
from bookings.models import Assignment, AssignmentStatus, Booking, BookingStatus, Tariff, TariffKind
from experts.models import ExpertProfile, Municipality, TaskType
from hearings.models import (
    AgeGroup,
    Answer,
    Campaign,
    Channel,
    ContactRequest,
    Decision,
    DecisionStatus,
    Finding,
    Note,
    Panel,
    PanelMeeting,
    PanelMember,
    Priority,
    Question,
    QuestionKind,
    Response,
    Theme,
    Topic,
    TopicStatus,
)
from notifications.models import Notification

from .accounts import DEMO_USERS

COORDINATOR_EMAIL = DEMO_USERS[0][0]
CLOSED_SLUG = "terveysasemien-aukioloajat"
OPEN_SLUG = "kotihoidon-kehittaminen"
PANEL = "Päijät-Hämeen ikäihmisten asiakasraati"
# Maria (omaishoito, offers client panels) and Linnea of the demo bank (demo.expert_bank).
EXPERT_MEMBERS = ["asiantuntija09@demo.kokemuspankki.fi", "asiantuntija05@demo.kokemuspankki.fi"]
RESIDENTS = [
    ("Raili Nieminen", "raili.nieminen@example.fi", "040 712 3344"),
    ("Erkki Lahtinen", "", "044 581 2290"),
    ("Gunnel Sjöberg", "gunnel.sjoberg@example.fi", ""),
]
TOPICS = [
    # title, proposer, decision, priority, status, campaign slug
    (
        "Terveysasemien aukioloajat ja ajanvaraus",
        "Perusterveydenhuolto",
        "Terveysasemien palveluajat 2027",
        Priority.HIGH,
        TopicStatus.DONE,
        CLOSED_SLUG,
    ),
    (
        "Kotihoidon käyntiajat ja hoitajien vaihtuvuus",
        "Päijät-Hämeen ikäihmisten asiakasraati",
        "Kotihoidon palvelulupaus 2027",
        Priority.HIGH,
        TopicStatus.IN_CAMPAIGN,
        OPEN_SLUG,
    ),
    (
        "Suun terveydenhuollon ajanvaraus ja jonot",
        "Vanhusneuvosto",
        "Suun terveydenhuollon palveluverkko",
        Priority.NORMAL,
        TopicStatus.ACCEPTED,
        None,
    ),
    (
        "Perhekeskusten aukiolo iltaisin",
        "Lapsiperheiden asukasryhmä, Heinola",
        "",
        Priority.LOW,
        TopicStatus.PROPOSED,
        None,
    ),
]
AGE_WEIGHTS = [
    (AgeGroup.UNDER_18, 2),
    (AgeGroup.FROM_18, 12),
    (AgeGroup.FROM_30, 22),
    (AgeGroup.FROM_45, 28),
    (AgeGroup.FROM_65, 22),
    (AgeGroup.FROM_75, 14),
]
# Where answers come from, roughly by population (Lahti the most).
MUNICIPALITY_WEIGHTS = {
    "lahti": 40,
    "hollola": 10,
    "heinola": 9,
    "orimattila": 7,
    "asikkala": 4,
    "karkola": 2,
    "iitti": 3,
    "padasjoki": 2,
    "sysma": 2,
    "hartola": 1,
}
THEMES = ["Puhelinjonot", "Iltavastaanotot", "Sähköinen asiointi", "Kulkeminen ja etäisyys"]
# (text, themes by index into THEMES)
COMMENTS = [
    ("Puhelimessa jonottaa aamulla puoli tuntia ja sitten ajat on jo jaettu.", [0]),
    ("Takaisinsoitto toimii hyvin, kunhan se soittaa samana päivänä.", [0]),
    ("Olen töissä kahdeksasta neljään. Iltavastaanotto edes kerran viikossa auttaisi.", [1]),
    ("Ilta-aikoja tarvitaan, lapsen kanssa on vaikea tulla keskellä päivää.", [1]),
    ("Omaolo on kätevä, mutta kaikki eivät osaa käyttää sitä.", [2]),
    ("Äidilleni pitää voida varata aika käymällä paikan päällä, hänellä ei ole älypuhelinta.", [2]),
    ("Chatissa sain nopeasti apua ja ajan samalle viikolle.", [2]),
    ("Sysmästä on pitkä matka Lahteen, jos oma asema on kiinni.", [3]),
    ("Bussi kulkee terveysasemalle vain kahdesti päivässä.", [3]),
    ("Jonotus puhelimessa on raskasta, kun on kipeä.", [0]),
    ("Lauantaisin voisi olla edes muutama tunti auki.", [1]),
    ("Hyvä palvelu kun sinne asti pääsee.", []),
    ("Toivoisin, että samaa lääkäriä voisi tavata useammin.", []),
    ("Etävastaanotto videolla sopisi minulle hyvin iltaisin.", [1, 2]),
    ("Pienen kunnan terveysasemaa ei saa sulkea, muuten matka on liian pitkä.", [3]),
]
HOME_CARE_COMMENTS = [
    ("Joka kerta tulee eri hoitaja, eikä kukaan tunne äitiä.", [0]),
    ("Hoitajat ovat ystävällisiä, mutta kiire näkyy.", []),
    ("Toivoisin, että käyntiaika kerrottaisiin etukäteen.", []),
    ("Samat tutut hoitajat toisivat turvaa.", [0]),
    ("Iltakäynti on liian aikaisin, isä ei halua mennä nukkumaan kuudelta.", []),
]
PANEL_OUTPUTS = [
    "Raati kävi läpi kotihoidon käyntiaikoja. Toiveena, että käyntiaika kerrotaan etukäteen ja "
    "hoitaja soittaa, jos hän myöhästyy yli puoli tuntia.",
    "Raati kommentoi terveysasemien ajanvarausta: puhelinjonot ovat ikäihmisille vaikein kohta, "
    "takaisinsoittoa pidettiin hyvänä ratkaisuna. Paikan päällä asioinnin on säilyttävä.",
    "Raati toivoi, että kotihoidon asiakkaat tapaisivat mahdollisimman usein samoja hoitajia.",
    "Raatilaiset kertoivat kokemuksiaan omaishoitajan jaksamisesta ja lyhytaikaisesta hoidosta.",
]


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def _remove() -> None:
    """The demo campaigns (their questions, answers, notes, themes, findings and addresses go with
    them), the panel with its meetings' assignments and bookings, and the topics."""
    panel = Panel.objects.filter(name_fi=PANEL).first()
    if panel is not None:
        for meeting in panel.meetings.all():
            for assignment in Assignment.objects.for_purpose(meeting):
                for booking in assignment.bookings.all():
                    Notification.objects.for_target(booking).delete()
                assignment.delete()
        panel.delete()
    Campaign.objects.filter(slug__in=[CLOSED_SLUG, OPEN_SLUG]).delete()
    Topic.objects.filter(title__in=[row[0] for row in TOPICS]).delete()


def _question(campaign, order, kind, fi, sv, choices=(), low=("", ""), high=("", ""), required=False) -> Question:
    question = Question.objects.create(
        campaign=campaign,
        order=order,
        kind=kind,
        text=fi,
        text_fi=fi,
        text_sv=sv,
        required=required,
        low_label_fi=low[0],
        low_label_sv=low[1],
        high_label_fi=high[0],
        high_label_sv=high[1],
    )
    for position, (label_fi, label_sv) in enumerate(choices, start=1):
        question.choices.create(order=position, label=label_fi, label_fi=label_fi, label_sv=label_sv)
    return question


def _closed_campaign(owner: User, today) -> Campaign:
    opens = _at(today - timedelta(days=150), 8)
    return Campaign.objects.create(
        slug=CLOSED_SLUG,
        title="Terveysasemien aukioloajat ja ajanvaraus",
        title_fi="Terveysasemien aukioloajat ja ajanvaraus",
        title_sv="Hälsostationernas öppettider och tidsbokning",
        summary="Milloin sinulle sopii asioida terveysasemalla, ja miten varaat ajan mieluiten?",
        summary_fi="Milloin sinulle sopii asioida terveysasemalla, ja miten varaat ajan mieluiten?",
        summary_sv="När passar det dig att besöka hälsostationen, och hur bokar du helst en tid?",
        background_fi=(
            "Hyvinvointialue päättää terveysasemien palveluajoista vuodelle 2027. Ennen päätöstä "
            "haluamme kuulla, milloin asukkaat tarvitsevat vastaanottoa ja mikä ajanvarauksessa toimii."
        ),
        plain_summary_fi="Kerro, mihin aikaan haluat käydä terveysasemalla. Kerro myös, miten varaat ajan.",
        responsible_unit="Perusterveydenhuolto",
        target_groups="Kaikki alueen asukkaat",
        opens_at=opens,
        closes_at=opens + timedelta(days=35),
        channels=[Channel.ONLINE, Channel.WORKSHOP, Channel.PANEL, Channel.PAPER],
        languages=["fi", "sv"],
        is_published=True,
        owner=owner,
        heard_summary_fi=(
            "Saimme 170 vastausta verkossa ja paperilla, kahden työpajan muistiinpanot ja asiakasraadin "
            "näkemykset. Puhelinjonot olivat selvästi suurin huoli: aamun ruuhka vie ajat ennen kuin "
            "moni pääsee läpi. Työssäkäyvät ja lapsiperheet toivoivat iltavastaanottoja, ja iäkkäät "
            "vastaajat muistuttivat, että ajan on voitava varata myös käymällä paikan päällä."
        ),
        heard_summary_sv=(
            "Vi fick 170 svar på nätet och på papper, anteckningar från två workshoppar och klientrådets "
            "synpunkter. Telefonköerna var den största oron. Många önskade kvällsmottagning, och äldre "
            "påminde om att man också ska kunna boka tid på plats."
        ),
        did_summary_fi=(
            "Hyvinvointialueen hallitus päätti takaisinsoittopalvelusta kaikille terveysasemille ja "
            "iltavastaanotoista Lahdessa ja Heinolassa. Lauantaiaukioloa ei voitu toteuttaa; perustelut "
            "ovat alla."
        ),
        did_summary_sv=(
            "Välfärdsområdets styrelse beslutade om återuppringning på alla hälsostationer och "
            "kvällsmottagning i Lahtis och Heinola. Öppet på lördagar kunde inte genomföras."
        ),
    )


def _closed_questions(campaign: Campaign) -> list[Question]:
    return [
        _question(
            campaign,
            1,
            QuestionKind.SINGLE,
            "Mihin aikaan asioit mieluiten terveysasemalla?",
            "Vilken tid besöker du helst hälsostationen?",
            [
                ("Aamulla ennen kello 10", "På morgonen före klockan 10"),
                ("Päivällä kello 10–14", "Mitt på dagen klockan 10–14"),
                ("Iltapäivällä kello 14–17", "På eftermiddagen klockan 14–17"),
                ("Illalla kello 17 jälkeen", "På kvällen efter klockan 17"),
            ],
            required=True,
        ),
        _question(
            campaign,
            2,
            QuestionKind.MULTIPLE,
            "Miten varaat ajan mieluiten?",
            "Hur bokar du helst en tid?",
            [
                ("Puhelimella", "Per telefon"),
                ("Chatissa tai verkossa (Omaolo)", "I chatten eller på nätet (Omaolo)"),
                ("Käymällä paikan päällä", "Genom att besöka stationen"),
                ("Takaisinsoittopalvelulla", "Med återuppringning"),
            ],
        ),
        _question(
            campaign,
            3,
            QuestionKind.LIKERT,
            "Kuinka helppoa ajan saaminen terveysasemalle on nyt?",
            "Hur lätt är det nu att få en tid på hälsostationen?",
            low=("Erittäin vaikeaa", "Mycket svårt"),
            high=("Erittäin helppoa", "Mycket lätt"),
        ),
        _question(
            campaign,
            4,
            QuestionKind.LIKERT,
            "Kuinka tärkeää sinulle on, että terveysasema on auki iltaisin?",
            "Hur viktigt är det för dig att hälsostationen har öppet på kvällar?",
            low=("Ei lainkaan tärkeää", "Inte alls viktigt"),
            high=("Erittäin tärkeää", "Mycket viktigt"),
        ),
        _question(
            campaign,
            5,
            QuestionKind.TEXT,
            "Mitä muuta haluat sanoa aukioloajoista tai ajanvarauksesta?",
            "Vad mer vill du säga om öppettider eller tidsbokning?",
        ),
    ]


def _weighted(rng: random.Random, weights) -> object:
    items = list(weights.items()) if isinstance(weights, dict) else list(weights)
    return rng.choices([item for item, _w in items], weights=[w for _item, w in items])[0]


def _responses(campaign, questions, themes, rng, *, count, channel, days, language_sv=0.06, comments=COMMENTS) -> int:
    """`count` responses over `days` from the campaign's opening, each answering every question
    (a text answer from some); the free-text answers tagged with their themes."""
    municipalities = {m.slug: m for m in Municipality.objects.filter(slug__in=MUNICIPALITY_WEIGHTS)}
    opened = timezone.localdate(campaign.opens_at)
    responses = Response.objects.bulk_create(
        Response(
            campaign=campaign,
            channel=channel,
            answered_on=opened + timedelta(days=min(int(rng.expovariate(1 / 6)), days)),
            language="sv" if rng.random() < language_sv else "fi",
            age_group=_weighted(rng, AGE_WEIGHTS) if rng.random() < 0.9 else "",
            municipality=municipalities.get(_weighted(rng, MUNICIPALITY_WEIGHTS)) if rng.random() < 0.92 else None,
        )
        for _n in range(count)
    )
    answers, tags = [], []
    for response in responses:
        for question in questions:
            answers.extend(_answers_to(question, response, rng, tags, comments))
    Answer.objects.bulk_create(answers)
    through = Answer.themes.through
    through.objects.bulk_create(
        through(answer_id=answer.pk, theme_id=themes[index].pk) for answer, indexes in tags for index in indexes
    )
    return len(responses)


def _answers_to(question, response, rng, tags, comments) -> list[Answer]:
    choices = list(question.choices.all())
    if question.kind == QuestionKind.SINGLE:
        # Mornings and evenings wanted most, middays least.
        return [Answer(response=response, question=question, choice=rng.choices(choices, [30, 14, 22, 34])[0])]
    if question.kind == QuestionKind.MULTIPLE:
        picked = [
            choice for choice, share in zip(choices, [0.7, 0.45, 0.25, 0.35], strict=True) if rng.random() < share
        ]
        return [Answer(response=response, question=question, choice=choice) for choice in picked or choices[:1]]
    if question.kind == QuestionKind.LIKERT:
        weights = [22, 30, 26, 16, 6] if question.order % 2 else [4, 8, 18, 30, 40]
        return [Answer(response=response, question=question, value=rng.choices(range(1, 6), weights)[0])]
    if rng.random() < 0.4:
        text, indexes = rng.choice(comments)
        answer = Answer(response=response, question=question, text=text)
        tags.append((answer, indexes))
        return [answer]
    return []


def _outcome(campaign: Campaign) -> None:
    decided = timezone.localdate(campaign.closes_at) + timedelta(days=40)
    rows = [
        (
            "Puhelinjonot ovat ajanvarauksen suurin ongelma, erityisesti aamuisin.",
            "Telefonköerna är det största problemet vid tidsbokningen, särskilt på morgonen.",
            [
                (
                    "Hyvinvointialueen hallitus",
                    decided,
                    "§ 87",
                    DecisionStatus.ADOPTED,
                    "",
                )
            ],
        ),
        (
            "Työssäkäyvät ja lapsiperheet toivovat iltavastaanottoja ainakin kerran viikossa.",
            "Förvärvsarbetande och barnfamiljer önskar kvällsmottagning minst en gång i veckan.",
            [("Hyvinvointialueen hallitus", decided, "§ 88", DecisionStatus.ADOPTED, "")],
        ),
        (
            "Pienten kuntien asukkaat toivovat terveysasemille lauantaiaukioloa.",
            "Invånare i små kommuner önskar att hälsostationerna har öppet på lördagar.",
            [
                (
                    "Hyvinvointialueen hallitus",
                    decided,
                    "§ 89",
                    DecisionStatus.NOT_ADOPTED,
                    "Lauantaivuoroihin ei riitä lääkäreitä ilman, että arkipäivien vastaanottoja vähennetään. "
                    "Lauantaisin tarjotaan sen sijaan etävastaanotto kello 9–15.",
                )
            ],
        ),
        (
            "Ajan on voitava varata myös käymällä paikan päällä.",
            "Man ska också kunna boka tid genom att besöka stationen.",
            [("Sosiaali- ja terveysjaosto", None, "", DecisionStatus.CONSIDERING, "")],
        ),
    ]
    for order, (fi, sv, decisions) in enumerate(rows, start=1):
        finding = Finding.objects.create(campaign=campaign, order=order, text=fi, text_fi=fi, text_sv=sv)
        for body, day, reference, status, reasons in decisions:
            Decision.objects.create(
                finding=finding,
                body=body,
                decided_on=day,
                reference=reference,
                url=f"https://paijatha.fi/paatoksenteko/poytakirjat/{reference.strip('§ ')}" if reference else "",
                status=status,
                reasons=reasons,
            )
    Campaign.objects.filter(pk=campaign.pk).update(outcome_published_at=_at(decided + timedelta(days=7), 10))


def _workshops(campaign: Campaign, themes: list[Theme], owner: User) -> None:
    rows = [
        (
            "Työpaja Heinolan kirjastossa",
            "Osallistujat kertoivat pitkistä puhelinjonoista ja toivoivat takaisinsoittoa. Työssäkäyvät "
            "toivoivat iltavastaanottoa kerran viikossa.",
            14,
            [0, 1],
        ),
        (
            "Työpaja Sysmän palvelupisteessä",
            "Matka Lahteen on pitkä. Oman terveysaseman aukiolo ja sähköinen asiointi omaisen avulla nousivat esiin.",
            9,
            [2, 3],
        ),
    ]
    for day, (title, text, participants, indexes) in enumerate(rows, start=1):
        note = Note.objects.create(
            campaign=campaign,
            channel=Channel.WORKSHOP,
            title=title,
            text=text,
            held_on=timezone.localdate(campaign.opens_at) + timedelta(days=7 * day),
            participants=participants,
            entered_by=owner,
        )
        note.themes.set([themes[index] for index in indexes])


def _open_campaign(owner: User, today, rng) -> Campaign:
    campaign = Campaign.objects.create(
        slug=OPEN_SLUG,
        title="Ikäihmisten kotihoidon kehittäminen",
        title_fi="Ikäihmisten kotihoidon kehittäminen",
        title_sv="Utveckling av hemvården för äldre",
        summary="Miten kotihoito toimii sinulle tai läheisellesi? Mitä pitäisi parantaa?",
        summary_fi="Miten kotihoito toimii sinulle tai läheisellesi? Mitä pitäisi parantaa?",
        summary_sv="Hur fungerar hemvården för dig eller din närstående? Vad borde förbättras?",
        background_fi=(
            "Kotihoidon palvelulupaus uudistetaan vuodelle 2027. Kysymme kotihoidon asiakkailta, heidän "
            "läheisiltään ja omaishoitajilta, mikä kotihoidossa toimii ja mikä ei."
        ),
        background_sv="Hemvårdens servicelöfte förnyas för år 2027. Vi frågar klienter och närstående.",
        plain_summary_fi=(
            "Saatko apua kotiin? Kerro meille, miten kotihoito toimii. Vastaaminen vie noin 5 minuuttia."
        ),
        plain_summary_sv="Får du hjälp hemma? Berätta hur hemvården fungerar. Det tar cirka 5 minuter.",
        responsible_unit="Ikääntyneiden palvelut",
        target_groups="Kotihoidon asiakkaat, läheiset ja omaishoitajat",
        opens_at=_at(today - timedelta(days=14), 8),
        closes_at=_at(today + timedelta(days=10), 16),
        channels=[Channel.ONLINE, Channel.PANEL, Channel.PAPER],
        languages=["fi", "sv"],
        is_published=True,
        owner=owner,
    )
    questions = [
        _question(
            campaign,
            1,
            QuestionKind.LIKERT,
            "Kuinka tyytyväinen olet kotihoidon käynteihin?",
            "Hur nöjd är du med hemvårdens besök?",
            low=("Erittäin tyytymätön", "Mycket missnöjd"),
            high=("Erittäin tyytyväinen", "Mycket nöjd"),
            required=True,
        ),
        _question(
            campaign,
            2,
            QuestionKind.SINGLE,
            "Tiedätkö etukäteen, mihin aikaan hoitaja tulee?",
            "Vet du i förväg när vårdaren kommer?",
            [("Aina", "Alltid"), ("Yleensä", "Oftast"), ("Harvoin", "Sällan"), ("En koskaan", "Aldrig")],
        ),
        _question(
            campaign,
            3,
            QuestionKind.TEXT,
            "Mitä kotihoidossa pitäisi parantaa?",
            "Vad borde förbättras i hemvården?",
        ),
    ]
    theme = Theme.objects.create(campaign=campaign, name="Hoitajien vaihtuvuus", order=1)
    _responses(
        campaign,
        questions,
        [theme],
        rng,
        count=34,
        channel=Channel.ONLINE,
        days=13,
        language_sv=0.12,
        comments=HOME_CARE_COMMENTS,
    )
    for email, language in [
        ("sointu.heikkinen@example.fi", "fi"),
        ("bengt.holm@example.fi", "sv"),
        ("marja.lehto@example.fi", "fi"),
    ]:
        ContactRequest.objects.create(campaign=campaign, email=email, language=language)
    return campaign


def _panel(coordinator: User, today) -> Panel:
    panel = Panel.objects.create(
        name=PANEL,
        name_fi=PANEL,
        name_sv="Klientrådet för äldre i Päijänne-Tavastland",
        description_fi=(
            "Ikäihmisistä, heidän läheisistään ja kokemusasiantuntijoista koottu raati, joka kokoontuu "
            "kerran kuukaudessa ja kommentoi ikääntyneiden palveluja ja niistä tehtäviä kuulemisia."
        ),
        unit="Ikääntyneiden palvelut",
        coordinator=coordinator,
    )
    # Two-year terms that began before the first demo meeting.
    term_starts, term_ends = today - timedelta(days=300), today + timedelta(days=430)
    for profile in ExpertProfile.objects.filter(user__email__in=EXPERT_MEMBERS).order_by("pk"):
        PanelMember.objects.create(panel=panel, expert=profile, term_starts=term_starts, term_ends=term_ends)
    for name, email, phone in RESIDENTS:
        PanelMember.objects.create(
            panel=panel,
            name=name,
            email=email,
            phone=phone,
            contact_consent=True,
            term_starts=term_starts,
            term_ends=term_ends,
        )
    return panel


def _first_wednesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(2 - first.weekday()) % 7)


def _meetings(panel: Panel, today, closed: Campaign, open_: Campaign, coordinator: User, rng) -> int:
    """Monthly meetings on the first Wednesday at 13–15: nine held, three ahead."""
    experts = list(ExpertProfile.objects.filter(user__email__in=EXPERT_MEMBERS).order_by("pk"))
    year, month = today.year, today.month
    months = [
        ((year * 12 + month - 1 + shift) // 12, (year * 12 + month - 1 + shift) % 12 + 1) for shift in range(-8, 4)
    ]
    booked_ahead = False
    for number, (y, m) in enumerate(months):
        starts = _at(_first_wednesday(y, m), 13)
        meeting = PanelMeeting.objects.create(
            panel=panel,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Lahden pääkirjasto, kokoushuone Kirjasali, Kirkkokatu 31, Lahti",
            agenda="1. Kuulumiset\n2. Ajankohtaiset kuulemiset\n3. Raadin näkemykset\n4. Seuraava kokous",
        )
        held = meeting.ends_at <= timezone.now()
        if held:
            campaign = open_ if meeting.starts_at >= open_.opens_at else closed
            Note.objects.create(
                campaign=campaign,
                channel=Channel.PANEL,
                title=f"Asiakasraadin kokous {timezone.localdate(starts):%d.%m.%Y}",
                text=PANEL_OUTPUTS[number % len(PANEL_OUTPUTS)],
                held_on=timezone.localdate(starts),
                participants=4 + rng.randint(0, 1),
                meeting=meeting,
                entered_by=coordinator,
            )
        # Held meetings were booked and paid; of those ahead, the next one is booked and confirmed.
        if held or not booked_ahead:
            _book(meeting, experts, coordinator, held=held)
            booked_ahead = not held
    return len(months)


def _book(meeting: PanelMeeting, experts, coordinator: User, *, held: bool) -> None:
    """The expert members' booking, written directly as demo.trainings does (no invitations for the
    past): completed with the tariff's fee when held, confirmed when ahead."""
    assignment = Assignment.objects.create(
        title=f"Asiakasraati: {meeting}",
        description=meeting.agenda,
        task_type=TaskType.objects.get(slug="asiakasraati"),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        address=meeting.place,
        unit="Ikääntyneiden palvelut",
        contact_person=coordinator,
        tariff=Tariff.objects.filter(kind=TariffKind.HOURLY, is_active=True).order_by("order", "pk").first(),
        experts_needed=len(experts),
        status=AssignmentStatus.DONE if held else AssignmentStatus.FILLED,
        created_by=coordinator,
        purpose=meeting,
    )
    for profile in experts:
        try:
            # A demo expert with another demo assignment at the same time (the exclusion
            # constraint) is left off this meeting rather than failing the load.
            with transaction.atomic():
                Booking.objects.create(
                    assignment=assignment,
                    expert=profile,
                    status=BookingStatus.COMPLETED if held else BookingStatus.CONFIRMED,
                    during=booking_range(assignment),
                    hours=assignment.hours if held else None,
                    fee_computed=assignment.expected_fee() if held else None,
                    fee=assignment.expected_fee() if held else None,
                    completed_at=assignment.ends_at if held else None,
                    confirmed_at=meeting.starts_at - timedelta(days=14),
                )
        except IntegrityError:
            continue


def _topics(coordinator: User, campaigns: dict[str, Campaign]) -> None:
    for title, proposer, decision, priority, status, slug in TOPICS:
        Topic.objects.create(
            title=title,
            proposer=proposer,
            proposed_by=coordinator,
            decision=decision,
            priority=priority,
            status=status,
            campaign=campaigns.get(slug),
        )


@transaction.atomic
def load() -> int:
    """Rebuild the demo hearings around today. Returns how many demo campaigns exist."""
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    _remove()
    rng = random.Random(2026)  # noqa: S311 - the same demo figures every time, not a secret
    today = timezone.localdate()

    closed = _closed_campaign(coordinator, today)
    questions = _closed_questions(closed)
    themes = [Theme.objects.create(campaign=closed, name=name, order=order) for order, name in enumerate(THEMES)]
    _responses(closed, questions, themes, rng, count=150, channel=Channel.ONLINE, days=34)
    _responses(closed, questions, themes, rng, count=20, channel=Channel.PAPER, days=30, language_sv=0.0)
    _workshops(closed, themes, coordinator)
    _outcome(closed)

    open_ = _open_campaign(coordinator, today, rng)
    _topics(coordinator, {CLOSED_SLUG: closed, OPEN_SLUG: open_})
    panel = _panel(coordinator, today)
    _meetings(panel, today, closed, open_, coordinator, rng)
    return Campaign.objects.filter(slug__in=[CLOSED_SLUG, OPEN_SLUG]).count()
