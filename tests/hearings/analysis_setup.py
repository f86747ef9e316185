"""Seven responses worked out by hand, shared by the analysis, themes and exports tests.

| resp. | channel | age   | municipality | when?        | how?          | 1–5 | text |
|-------|---------|-------|--------------|--------------|---------------|-----|------|
| 1     | online  | 18-29 | Lahti        | Aamulla      | Puhelin, Netti| 5   | yes  |
| 2     | online  | 30-44 | Lahti        | Illalla      | Netti         | 4   | yes  |
| 3     | online  | 45-64 | Heinola      | Illalla      | Netti, Paikan | 4   | –    |
| 4     | paper   | 65-74 | Lahti        | Aamulla      | Puhelin       | 3   | yes  |
| 5     | paper   | 75-   | Heinola      | Illalla      | Puhelin       | 2   | yes  |
| 6     | online  | 18-29 | Lahti        | Illalla      | Netti         | 5   | –    |
| 7     | online  | –     | –            | Viikonloppuna| –             | –   | yes  |
"""

from dataclasses import dataclass

from experts.models import Municipality
from tests.factories import AnswerFactory, CampaignFactory, NoteFactory, QuestionFactory, ResponseFactory

TEXTS = {
    1: "Pysäköinti on ongelma terveysaseman pihalla.",
    2: "Pysäköintipaikkoja on liian vähän terveysasemalla.",
    4: "Aukioloajat ovat liian lyhyet.",
    5: "Terveysasemalle on vaikea päästä bussilla, ja pysäköinti maksaa.",
    7: '=HYPERLINK("http://example.com") Iltaisin pitäisi olla auki.',
}


@dataclass
class Setup:
    campaign: object
    when: object
    how: object
    scale: object
    free: object
    responses: dict
    texts: dict  # response number -> its text Answer


def seven_responses() -> Setup:
    campaign = CampaignFactory(channels=["online", "workshop"])
    when = QuestionFactory(
        campaign=campaign, kind="single", text="Milloin?", choices=["Aamulla", "Illalla", "Viikonloppuna"]
    )
    how = QuestionFactory(
        campaign=campaign, kind="multiple", text="Miten?", choices=["Puhelin", "Netti", "Paikan päällä"]
    )
    scale = QuestionFactory(campaign=campaign, kind="likert", text="Kuinka tärkeää?")
    free = QuestionFactory(campaign=campaign, kind="text", text="Mitä muuta?")
    lahti, heinola = Municipality.objects.get(slug="lahti"), Municipality.objects.get(slug="heinola")
    rows = {
        1: ("online", "18-29", lahti, "Aamulla", ["Puhelin", "Netti"], 5),
        2: ("online", "30-44", lahti, "Illalla", ["Netti"], 4),
        3: ("online", "45-64", heinola, "Illalla", ["Netti", "Paikan päällä"], 4),
        4: ("paper", "65-74", lahti, "Aamulla", ["Puhelin"], 3),
        5: ("paper", "75-", heinola, "Illalla", ["Puhelin"], 2),
        6: ("online", "18-29", lahti, "Illalla", ["Netti"], 5),
        7: ("online", "", None, "Viikonloppuna", [], None),
    }
    responses, texts = {}, {}
    for number, (channel, age, municipality, at, ways, value) in rows.items():
        response = ResponseFactory(campaign=campaign, channel=channel, age_group=age, municipality=municipality)
        responses[number] = response
        AnswerFactory(response=response, question=when, choice=when.choices.get(label=at))
        for way in ways:
            AnswerFactory(response=response, question=how, choice=how.choices.get(label=way))
        if value:
            AnswerFactory(response=response, question=scale, value=value)
        if number in TEXTS:
            texts[number] = AnswerFactory(response=response, question=free, text=TEXTS[number])
    NoteFactory(campaign=campaign, channel="workshop", title="Työpaja Lahdessa")
    NoteFactory(
        campaign=campaign, channel="panel", title="Asiakasraadin kokous", text="Raati toivoi ajanvarausta netissä."
    )
    return Setup(campaign, when, how, scale, free, responses, texts)
