"""The two feedback forms of the Pirkanmaa pilot (seeds/002), which a new installation starts with.

Participants filled one after every session: learning (mood, motivation) and training (content,
inspiration, use of time, trainers) on 1–5 stars. Staff filled one after the whole training. Admin
keeps the forms after that; editing one that has answers makes a new version (services.editable_version).
"""

# (key, section, question, low label, high label, "I cannot say" offered): each text in fi, sv, en.
LEARNING = ("Oppiminen", "Lärande", "Learning")
TRAINING = ("Valmennus", "Utbildning", "Training")
AGREE = (
    ("Täysin eri mieltä", "Helt av annan åsikt", "Strongly disagree"),
    ("Täysin samaa mieltä", "Helt av samma åsikt", "Strongly agree"),
)

PARTICIPANT = {
    "name": (
        "Osallistujan palaute valmennuskerrasta",
        "Deltagarens respons på utbildningstillfället",
        "Participant feedback on a session",
    ),
    "description": (
        "Osallistujat täyttävät tämän jokaisen kerran jälkeen.",
        "Deltagarna fyller i den här efter varje tillfälle.",
        "Participants fill this in after every session.",
    ),
    "intro": (
        "Vastaa nimettömästi. Vastauksistasi ei näe, kuka vastasi. Vastaaminen vie noin minuutin.",
        "Svara anonymt. Av svaren syns inte vem som svarade. Det tar ungefär en minut.",
        "Answer anonymously. Nobody can see who answered. It takes about a minute.",
    ),
    "kind": "participant",
    "items": [
        (
            "mood",
            LEARNING,
            ("Millainen fiilis sinulla oli tänään?", "Hur kändes det i dag?", "How did you feel today?"),
            ("Huono", "Dålig", "Bad"),
            ("Erinomainen", "Utmärkt", "Excellent"),
            False,
        ),
        (
            "motivation",
            LEARNING,
            (
                "Kuinka motivoitunut olet jatkamaan valmennusta?",
                "Hur motiverad är du att fortsätta utbildningen?",
                "How motivated are you to go on with the training?",
            ),
            ("En lainkaan", "Inte alls", "Not at all"),
            ("Erittäin", "Mycket", "Very"),
            False,
        ),
        (
            "content",
            TRAINING,
            (
                "Kuinka hyödyllinen kerran sisältö oli sinulle?",
                "Hur nyttigt var innehållet för dig?",
                "How useful was the session's content to you?",
            ),
            ("Ei lainkaan", "Inte alls", "Not at all"),
            ("Erittäin hyödyllinen", "Mycket nyttigt", "Very useful"),
            False,
        ),
        (
            "inspiration",
            TRAINING,
            ("Kuinka innostava kerta oli?", "Hur inspirerande var tillfället?", "How inspiring was the session?"),
            ("Ei lainkaan", "Inte alls", "Not at all"),
            ("Erittäin innostava", "Mycket inspirerande", "Very inspiring"),
            False,
        ),
        (
            "time",
            TRAINING,
            (
                "Miten aika riitti ja sitä käytettiin?",
                "Hur väl räckte och användes tiden?",
                "How well was the time used?",
            ),
            ("Huonosti", "Dåligt", "Poorly"),
            ("Erinomaisesti", "Utmärkt", "Excellently"),
            False,
        ),
        (
            "trainers",
            TRAINING,
            ("Miten valmentajat onnistuivat?", "Hur lyckades utbildarna?", "How did the trainers do?"),
            ("Huonosti", "Dåligt", "Poorly"),
            ("Erinomaisesti", "Utmärkt", "Excellently"),
            True,
        ),
    ],
    "texts": [("comment", ("Mitä muuta haluat sanoa?", "Vill du säga något mer?", "Anything else you want to say?"))],
    "choices": [],
}

STAFF = {
    "name": (
        "Henkilökunnan arvio valmennuksesta",
        "Personalens bedömning av utbildningen",
        "Staff assessment of the training",
    ),
    "description": (
        "Henkilökunta täyttää tämän koko valmennuksen jälkeen.",
        "Personalen fyller i den här efter hela utbildningen.",
        "Staff fill this in after the whole training.",
    ),
    "intro": (
        "Arvioi valmennusta kokonaisuutena. Vastaukset ovat nimettömiä.",
        "Bedöm utbildningen som helhet. Svaren är anonyma.",
        "Assess the training as a whole. The answers are anonymous.",
    ),
    "kind": "staff",
    "items": [
        (
            "goals",
            TRAINING,
            ("Valmennus saavutti tavoitteensa.", "Utbildningen nådde sina mål.", "The training reached its goals."),
            *AGREE,
            True,
        ),
        (
            "benefit",
            TRAINING,
            (
                "Osallistujat hyötyivät valmennuksesta.",
                "Deltagarna hade nytta av utbildningen.",
                "The participants benefited from the training.",
            ),
            *AGREE,
            True,
        ),
        (
            "cooperation",
            TRAINING,
            (
                "Yhteistyö valmentajien kanssa sujui hyvin.",
                "Samarbetet med utbildarna fungerade väl.",
                "Working with the trainers went well.",
            ),
            *AGREE,
            True,
        ),
    ],
    "choices": [
        (
            "again",
            (
                "Järjestäisittekö valmennuksen uudelleen?",
                "Skulle ni ordna utbildningen igen?",
                "Would you run the training again?",
            ),
            [("Kyllä", "Ja", "Yes"), ("Ehkä", "Kanske", "Maybe"), ("Ei", "Nej", "No")],
        ),
    ],
    "texts": [("improve", ("Mitä kehittäisit?", "Vad skulle du utveckla?", "What would you improve?"))],
}

LANGUAGES = ("fi", "sv", "en")


def columns(name: str, texts: tuple[str, str, str]) -> dict[str, str]:
    """The fi/sv/en columns of a translated field, and the field itself (modeltranslation's default)."""
    return {name: texts[0], **{f"{name}_{code}": text for code, text in zip(LANGUAGES, texts, strict=True)}}


def seed_forms() -> None:
    """The pilot's two forms, where there are no forms yet."""
    from .models import FormTemplate, FormVersion, Item, ItemChoice

    if FormTemplate.objects.exists():
        return
    for spec in (PARTICIPANT, STAFF):
        template = FormTemplate.objects.create(
            kind=spec["kind"], **columns("name", spec["name"]), **columns("description", spec["description"])
        )
        version = FormVersion.objects.create(template=template, number=1, **columns("intro", spec["intro"]))
        order = 0
        for key, section, text, low, high, dont_know in spec["items"]:
            order += 1
            Item.objects.create(
                version=version,
                order=order,
                key=key,
                kind="scale",
                allow_dont_know=dont_know,
                **columns("section", section),
                **columns("text", text),
                **columns("low_label", low),
                **columns("high_label", high),
            )
        for key, text, options in spec["choices"]:
            order += 1
            item = Item.objects.create(version=version, order=order, key=key, kind="choice", **columns("text", text))
            for n, labels in enumerate(options):
                ItemChoice.objects.create(item=item, order=n, **columns("label", labels))
        for key, text in spec["texts"]:
            order += 1
            Item.objects.create(version=version, order=order, key=key, kind="text", **columns("text", text))
