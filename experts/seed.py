"""The starting data of a Finnish county (Päijät-Häme): taxonomies and the first consent text.

Used by the data migration, and after every migrate or flush when the lists are empty (a flush between
transactional tests empties them; a real installation keeps whatever admins have edited).
"""

from django.utils import timezone

# slug, fi, sv, en
EXPERIENCE_AREAS = [
    ("mielenterveys", "Mielenterveys", "Psykisk hälsa", "Mental health"),
    ("masennus", "Masennus", "Depression", "Depression"),
    ("kaksisuuntainen", "Kaksisuuntainen mielialahäiriö", "Bipolär sjukdom", "Bipolar disorder"),
    ("skitsofrenia", "Skitsofrenia", "Schizofreni", "Schizophrenia"),
    ("paihteet", "Päihteet", "Rusmedel", "Substance use"),
    ("peliriippuvuus", "Peliriippuvuus", "Spelberoende", "Gambling addiction"),
    ("syopa", "Syöpä", "Cancer", "Cancer"),
    ("neurologiset", "Neurologiset sairaudet", "Neurologiska sjukdomar", "Neurological conditions"),
    ("vammaisuus", "Vammaisuus", "Funktionsnedsättning", "Disability"),
    ("lastensuojelu", "Lastensuojelu", "Barnskydd", "Child welfare"),
    ("asunnottomuus", "Asunnottomuus", "Hemlöshet", "Homelessness"),
    ("tyottomyys", "Pitkäaikaistyöttömyys", "Långtidsarbetslöshet", "Long-term unemployment"),
    ("omaishoito", "Omaishoito", "Närståendevård", "Family caregiving"),
]
TASK_TYPES = [
    ("vastaanotto", "Vastaanottotoiminta", "Erfarenhetsmottagning", "Reception duty"),
    ("vertaisryhma", "Vertaisryhmä", "Kamratstödsgrupp", "Peer group"),
    ("luento", "Luento tai puheenvuoro", "Föreläsning eller anförande", "Lecture or talk"),
    ("kehittaminen", "Kehittämistyö", "Utvecklingsarbete", "Development work"),
    ("johtoryhma", "Johtoryhmän jäsen", "Medlem i ledningsgrupp", "Management group member"),
    ("hanketyo", "Hanketyö", "Projektarbete", "Project work"),
    ("asiakasraati", "Asiakasraati", "Klientråd", "Client panel"),
    ("koulutus", "Koulutus", "Utbildning", "Training"),
    ("media", "Media", "Media", "Media"),
]
LANGUAGES = [
    ("suomi", "Suomi", "Finska", "Finnish"),
    ("ruotsi", "Ruotsi", "Svenska", "Swedish"),
    ("englanti", "Englanti", "Engelska", "English"),
    ("viittomakieli", "Suomalainen viittomakieli", "Finskt teckenspråk", "Finnish Sign Language"),
    (
        "viittomakieli-sv",
        "Suomenruotsalainen viittomakieli",
        "Finlandssvenskt teckenspråk",
        "Finland-Swedish Sign Language",
    ),
    ("selkokieli", "Selkokieli", "Lätt språk", "Plain language"),
    ("venaja", "Venäjä", "Ryska", "Russian"),
    ("arabia", "Arabia", "Arabiska", "Arabic"),
]
MUNICIPALITIES = [
    ("asikkala", "Asikkala", "Asikkala", "Asikkala"),
    ("hartola", "Hartola", "Gustav Adolfs", "Hartola"),
    ("heinola", "Heinola", "Heinola", "Heinola"),
    ("hollola", "Hollola", "Hollola", "Hollola"),
    ("iitti", "Iitti", "Itis", "Iitti"),
    ("karkola", "Kärkölä", "Kärkölä", "Kärkölä"),
    ("lahti", "Lahti", "Lahtis", "Lahti"),
    ("orimattila", "Orimattila", "Orimattila", "Orimattila"),
    ("padasjoki", "Padasjoki", "Padasjoki", "Padasjoki"),
    ("sysma", "Sysmä", "Sysmä", "Sysmä"),
]
ORGANISATIONS = [
    (
        "hyvinvointialue",
        "Päijät-Hämeen hyvinvointialue",
        "Päijänne-Tavastlands välfärdsområde",
        "Päijät-Häme Wellbeing Services County",
    ),
    ("mieli-ry", "Mieli ry", "Mieli Psykisk Hälsa Finland rf", "Mieli Mental Health Finland"),
    ("miete-ry", "Miete ry", "Miete rf", "Miete ry"),
    ("syopayhdistys", "Syöpäyhdistys", "Cancerföreningen", "Cancer Society"),
    ("a-kilta", "A-kilta ry", "A-kilta rf", "A-kilta ry"),
]
CONSENT = {
    "fi": (
        "Annan suostumukseni siihen, että hyvinvointialue käsittelee profiiliini kirjaamiani terveyttä ja "
        "sosiaalihuoltoa koskevia tietoja (kokemusalueet, aiheet joista en puhu, omat avun ja saavutettavuuden "
        "tarpeet) kokemusasiantuntijoiden löytämiseksi ja tehtäviin varaamiseksi. Tiedot näkyvät vain niille, "
        "joille olen ne profiilissani valinnut. Voin perua suostumukseni milloin tahansa, jolloin profiilini "
        "poistuu hausta heti."
    ),
    "sv": (
        "Jag samtycker till att välfärdsområdet behandlar de uppgifter om hälsa och socialvård som jag har "
        "angett i min profil (erfarenhetsområden, ämnen jag inte talar om, mina egna behov av hjälp och "
        "tillgänglighet) för att erfarenhetsexperter ska kunna hittas och bokas för uppdrag. Uppgifterna visas "
        "endast för dem som jag har valt i min profil. Jag kan när som helst återkalla mitt samtycke, och då "
        "försvinner min profil genast från sökningen."
    ),
    "en": (
        "I consent to the wellbeing services county processing the health and social-care related details I "
        "have entered in my profile (experience areas, topics I will not speak about, my own assistance and "
        "accessibility needs) so that experience experts can be found and booked for assignments. The details "
        "are shown only to those I have chosen in my profile. I can withdraw my consent at any time, and my "
        "profile then leaves the search at once."
    ),
}

# Words that also find an item (Taxonomy.related_words): synonyms, everyday words, related words in
# Finnish, Swedish and English, for the search. Admins keep them in Django admin.
RELATED_WORDS = {
    "ExperienceArea": {
        "mielenterveys": "mielenterveysongelma, mielenterveyskuntoutuja, psyykkinen sairaus, mielen sairaus, "
        "psykiatria, ahdistus, ahdistuneisuus, paniikkihäiriö, psykisk ohälsa, ångest, mental illness, anxiety",
        "masennus": "masentunut, depressio, masennustila, alakulo, nedstämdhet, deprimerad, depressed",
        "kaksisuuntainen": "bipolaarinen, bipolaarihäiriö, bipolaari, maaninen, mania, bipolär, bipolar",
        "skitsofrenia": "psykoosi, psykoottinen, skitsoaffektiivinen, harhaluulo, psykos, psychosis",
        "paihteet": "päihde, alkoholi, huume, huumeet, riippuvuus, päihderiippuvuus, alkoholismi, "
        "päihdeongelma, raittius, alkohol, droger, beroende, missbruk, substance abuse, alcohol, drugs",
        "peliriippuvuus": "rahapeliongelma, rahapeli, pelaaminen, uhkapeli, pelihaitta, spelproblem, "
        "spelmissbruk, gambling",
        "syopa": "syöpähoito, kemoterapia, sädehoito, leukemia, kasvain, tumör, tumour",
        "neurologiset": "MS-tauti, epilepsia, Parkinsonin tauti, aivoinfarkti, aivovamma, aivoverenkiertohäiriö, "
        "stroke, epilepsi",
        "vammaisuus": "vamma, vammainen, kehitysvamma, liikuntavamma, näkövamma, kuulovamma, "
        "funktionshinder, handikapp",
        "lastensuojelu": "sijaishuolto, sijaisperhe, huostaanotto, lastenkoti, jälkihuolto, placering, "
        "fosterfamilj, foster care",
        "asunnottomuus": "asunnoton, kodittomuus, koditon, bostadslös, hemlös, homeless",
        "tyottomyys": "työttömyys, työtön, työllisyys, arbetslös, unemployed",
        "omaishoito": "omaishoitaja, omainen, läheinen, närstående, anhörig, anhörigvårdare, carer",
    },
    "TaskType": {
        "vastaanotto": "päivystys, vastaanottovuoro",
        "vertaisryhma": "vertaistuki, vertaistukiryhmä, tukiryhmä, kamratstöd, kamratgrupp, stödgrupp, peer support",
        "luento": "puhuja, esitelmä, alustus, puheenvuoro, föredrag, talare, speaker",
        "kehittaminen": "palvelumuotoilu, kehittäjäasiakas, tjänstedesign, co-design",
        "koulutus": "opetus, valmennus, kouluttaja, undervisning, teaching",
        "asiakasraati": "asiakasneuvosto, raati, kundråd, kundpanel, client council",
    },
}

# Each list's model and rows, in the order the seed creates them.
TAXONOMIES = [
    ("ExperienceArea", EXPERIENCE_AREAS),
    ("TaskType", TASK_TYPES),
    ("Language", LANGUAGES),
    ("Municipality", MUNICIPALITIES),
    ("Organisation", ORGANISATIONS),
]


def seed(get_model) -> None:
    """Create the lists and consent v1 where they are missing. `get_model(name)` returns the model
    (the migration's historical one or the real one)."""
    for model_name, rows in TAXONOMIES:
        model = get_model(model_name)
        if model.objects.exists():
            continue
        # Migration 0002's historical models have no related_words yet (0008 fills them there).
        has_related = any(field.name == "related_words" for field in model._meta.get_fields())
        related = RELATED_WORDS.get(model_name, {}) if has_related else {}
        for order, (slug, fi, sv, en) in enumerate(rows):
            extra = {"related_words": related.get(slug, "")} if has_related else {}
            model.objects.create(slug=slug, name=fi, name_fi=fi, name_sv=sv, name_en=en, order=order, **extra)
    consent_text = get_model("ConsentText")
    if not consent_text.objects.exists():
        consent_text.objects.create(
            version=1,
            text=CONSENT["fi"],
            text_fi=CONSENT["fi"],
            text_sv=CONSENT["sv"],
            text_en=CONSENT["en"],
            published_at=timezone.now(),
        )


def seed_related_words(get_model) -> None:
    """Fill RELATED_WORDS into seeded items that have none (the data migration of an existing
    installation; an admin's own words are kept)."""
    for model_name, words in RELATED_WORDS.items():
        model = get_model(model_name)
        for slug, related in words.items():
            model.objects.filter(slug=slug, related_words="").update(related_words=related)


# The wording of the first seed, as a language review found it (2026-12) and as it reads now:
# (model, slug, column, then, now). reword_seed() changes a row only while it still says `then`, so an
# admin's own wording stays. The old words remain search words of their items (RELATED_WORDS).
REWORDED = [
    ("ExperienceArea", "paihteet", "name_sv", "Missbruk", "Rusmedel"),
    ("TaskType", "vastaanotto", "name_sv", "Mottagningsverksamhet", "Erfarenhetsmottagning"),
    ("TaskType", "vertaisryhma", "name_sv", "Kamratgrupp", "Kamratstödsgrupp"),
    ("TaskType", "asiakasraati", "name_sv", "Kundpanel", "Klientråd"),
    ("Language", "selkokieli", "name_sv", "Lättläst språk", "Lätt språk"),
    (
        "Organisation",
        "hyvinvointialue",
        "name_sv",
        "Välfärdsområdet Päijänne-Tavastland",
        "Päijänne-Tavastlands välfärdsområde",
    ),
    ("Organisation", "mieli-ry", "name_sv", "Mieli rf", "Mieli Psykisk Hälsa Finland rf"),
    (
        "TaskType",
        "asiakasraati",
        "related_words",
        "asiakasneuvosto, raati, kundråd, client council",
        "asiakasneuvosto, raati, kundråd, kundpanel, client council",
    ),
    (
        "TaskType",
        "vertaisryhma",
        "related_words",
        "vertaistuki, vertaistukiryhmä, tukiryhmä, kamratstöd, stödgrupp, peer support",
        "vertaistuki, vertaistukiryhmä, tukiryhmä, kamratstöd, kamratgrupp, stödgrupp, peer support",
    ),
]


def reword_seed(get_model) -> None:
    """The review's wording for seeded rows nobody has edited, and the languages added to the seed
    since (Finland-Swedish Sign Language) where a list lacks them."""
    for model_name, slug, column, then, now in REWORDED:
        get_model(model_name).objects.filter(slug=slug, **{column: then}).update(**{column: now})
    language = get_model("Language")
    present = set(language.objects.values_list("slug", flat=True))
    if not present:
        return  # an empty list is seeded whole by seed()
    for order, (slug, fi, sv, en) in enumerate(LANGUAGES):
        if slug not in present:
            language.objects.create(slug=slug, name=fi, name_fi=fi, name_sv=sv, name_en=en, order=order)
