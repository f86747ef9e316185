"""A checked-in evaluation set for the coordinators' free-text search in Finnish and Swedish.

Each case is one expert profile (an introduction as an expert would write it, and optionally list
entries by the slugs of experts/seed.py), one query a coordinator might type, and whether that query
should find that profile. test_search_evaluation.py creates every profile in one database and runs
every query through ExpertFilter: recall over the cases that should be found, and a list of the
precision violations (cases that must not be found but are).

Keep hard cases in the set when the search misses them: the figures are the point. A case is about
its own profile only; other cases' profiles may match its query too.
"""

from typing import NamedTuple

INFLECTION = "inflection"
GRADATION = "consonant gradation"
COMPOUND = "compound"
DERIVATION = "derivation"
ACCENTS = "accents"
SWEDISH = "Swedish"
TYPO = "typo"
SYNONYM = "synonym"
PLACE = "place name"
PRECISION = "precision"

CATEGORIES = [INFLECTION, GRADATION, COMPOUND, DERIVATION, ACCENTS, SWEDISH, TYPO, SYNONYM, PLACE, PRECISION]


class Case(NamedTuple):
    # The profile's display name too, which the search reads as well: a number, so that it holds no
    # word of any query ("syopa" in a name would find the profile for "syöpä"). What the case is
    # about is in the comment beside it.
    id: str
    bio: str
    query: str
    expected_found: bool
    category: str
    # ExpertProfileFactory's list arguments: experiences=[("masennus", "own")], task_types=[...],
    # languages=[...], municipalities=[...] (slugs of experts/seed.py).
    lists: dict | None = None


CASES = [
    # --- Inflection: the stored word and the query word are forms of one word ---
    Case(
        "infl-01",  # kuntoutujana
        "Olen ollut kuntoutujana psykiatrisella osastolla ja kerron nyt, mikä minua auttoi.",
        "kuntoutuja",
        True,
        INFLECTION,
    ),
    Case(
        "infl-02",  # lapsuudessa
        "Lapsuudessa kotimme arkea varjosti isän juominen, ja kerron siitä nuorille.",
        "lapsuus",
        True,
        INFLECTION,
    ),
    Case(
        "infl-03",  # lapsuudessani
        "Lapsuudessani muutimme usein, ja koulukiusaaminen seurasi minua paikasta toiseen.",
        "lapsuus",
        True,
        INFLECTION,
    ),
    Case(
        "infl-04",  # kehitysvammaisen
        "Olen kehitysvammaisen nuoren äiti ja puhun perheen arjesta ja palveluiden hakemisesta.",
        "kehitysvamma",
        True,
        INFLECTION,
    ),
    Case(
        "infl-05",  # riippuvuudesta
        "Kerron riippuvuudesta toipumisesta, retkahduksista ja siitä, mikä lopulta kantoi.",
        "riippuvuus",
        True,
        INFLECTION,
    ),
    Case(
        "infl-06",  # paihteita
        "Käytin päihteitä viisitoista vuotta, ja nyt olen ollut raittiina kuusi vuotta.",
        "päihde",
        True,
        INFLECTION,
    ),
    Case(
        "infl-07",  # omaisena
        "Toimin omaisena veljeni tukena hänen sairastuttuaan skitsofreniaan.",
        "omainen",
        True,
        INFLECTION,
    ),
    Case(
        "infl-08",  # syopaan
        "Sairastuin syöpään 42-vuotiaana, kesken ruuhkavuosien.",
        "syöpä",
        True,
        INFLECTION,
    ),
    Case(
        "infl-09",  # masennuksesta
        "Kirjoitan blogia masennuksesta ja puhun mielelläni opiskelijoille.",
        "masennus",
        True,
        INFLECTION,
    ),
    Case(
        "infl-10",  # query-paihteista
        "Päihde- ja mielenterveyspalvelut ovat minulle tuttuja asiakkaan näkökulmasta.",
        "päihteistä",
        True,
        INFLECTION,
    ),
    Case(
        "infl-11",  # query-omaishoitajana
        "Olin omaishoitaja puolisolleni kahdeksan vuotta ennen hänen kuolemaansa.",
        "omaishoitajana",
        True,
        INFLECTION,
    ),
    Case(
        "infl-12",  # masennuksestani
        "Kerron masennuksestani avoimesti, jotta muiden olisi helpompi hakea apua.",
        "masennus",
        True,
        INFLECTION,
    ),
    # --- Consonant gradation: the stem changes between forms (t/d, k/-, p/v, k/j, mp/mm) ---
    Case(
        "grad-01",  # kivun
        "Elän kroonisen kivun kanssa ja tiedän, miltä tuntuu, kun kukaan ei usko.",
        "kipu",
        True,
        GRADATION,
    ),
    Case(
        "grad-02",  # hoidossa
        "Olin pitkään psykiatrisessa hoidossa ja kerron, mikä siellä auttoi.",
        "hoito",
        True,
        GRADATION,
    ),
    Case(
        "grad-03",  # aidin
        "Puhun äidin näkökulmasta siitä, kun lapsi sairastuu vakavasti.",
        "äiti",
        True,
        GRADATION,
    ),
    Case(
        "grad-04",  # peloista
        "Kerron sosiaalisten tilanteiden peloista ja niiden kanssa elämisestä.",
        "pelko",
        True,
        GRADATION,
    ),
    Case(
        "grad-05",  # sairaudesta
        "Kerron harvinaisesta sairaudesta ja pitkästä matkasta diagnoosiin.",
        "sairaus",
        True,
        GRADATION,
    ),
    Case(
        "grad-06",  # pojan
        "Olen pojan kautta tutustunut lastensuojeluun ja sijaishuoltoon.",
        "poika",
        True,
        GRADATION,
    ),
    Case(
        "grad-07",  # selan
        "Selän leikkauksen jälkeen opettelin kävelemään uudelleen.",
        "selkä",
        True,
        GRADATION,
    ),
    Case(
        "grad-08",  # query-paihteet
        "Minulla on kokemusta päihderiippuvuudesta ja päihde-ehtoisesta rikollisuudesta.",
        "päihteet",
        True,
        GRADATION,
    ),
    # --- Compounds: a stored compound found by its part, and a query compound with a generic part ---
    Case(
        "comp-01",  # rintasyopaan
        "Sairastuin rintasyöpään kolme vuotta sitten, ja hoidot ovat nyt takana.",
        "syöpä",
        True,
        COMPOUND,
    ),
    Case(
        "comp-02",  # paihdekuntoutuksessa
        "Olin päihdekuntoutuksessa Hollolassa vuonna 2019.",
        "kuntoutus",
        True,
        COMPOUND,
    ),
    Case(
        "comp-03",  # alkoholiriippuvuudesta
        "Toivuin alkoholiriippuvuudesta vertaisten tuella.",
        "riippuvuus",
        True,
        COMPOUND,
    ),
    Case(
        "comp-04",  # mielenterveyskuntoutujana
        "Olen toiminut mielenterveyskuntoutujana päivätoiminnassa ja kehittäjäasiakkaana.",
        "mielenterveys",
        True,
        COMPOUND,
    ),
    Case(
        "comp-05",  # vertaistukiryhmassa
        "Vedän vertaistukiryhmää omaishoitajille kerran kuukaudessa.",
        "vertaistuki",
        True,
        COMPOUND,
    ),
    Case(
        "comp-06",  # peliriippuvuudestani
        "Kerron peliriippuvuudestani ja veloista, joihin se minut ajoi.",
        "peliriippuvuus",
        True,
        COMPOUND,
    ),
    Case(
        "comp-07",  # query-masennusryhma
        "Sairastin masennusta kolme vuotta ja toivuin terapian avulla.",
        "masennusryhmä",
        True,
        COMPOUND,
    ),
    Case(
        "comp-08",  # query-paihdetyo
        "Minulla on omaa kokemusta päihteistä ja niistä toipumisesta.",
        "päihdetyö",
        True,
        COMPOUND,
    ),
    Case(
        "comp-09",  # query-mielenterveysongelma
        "Kerron avoimesti mielenterveydestä ja sen vaihteluista työelämässä.",
        "mielenterveysongelma",
        True,
        COMPOUND,
    ),
    Case(
        "comp-10",  # query-alkoholiongelma
        "Puhun alkoholista ja sen vaikutuksista koko perheeseen.",
        "alkoholiongelma",
        True,
        COMPOUND,
    ),
    Case(
        "comp-11",  # query-syopakokemus
        "Syövän jälkeen palasin töihin ja kerron paluun vaikeuksista.",
        "syöpäkokemus",
        True,
        COMPOUND,
    ),
    Case(
        "comp-12",  # query-missbruksproblem
        "Jag har egen erfarenhet av missbruk och av att bli nykter.",
        "missbruksproblem",
        True,
        COMPOUND,
    ),
    # --- Derivation: a noun, its agent and its adjective ---
    Case(
        "der-01",  # kuntoutuja-kuntoutus
        "Olen mielenterveyskuntoutuja ja kokemusasiantuntija.",
        "kuntoutus",
        True,
        DERIVATION,
    ),
    Case(
        "der-02",  # kuntoutus-kuntoutuja
        "Kävin pitkän kuntoutuksen aivoinfarktin jälkeen.",
        "kuntoutuja",
        True,
        DERIVATION,
    ),
    Case(
        "der-03",  # tyottomana-tyottomyys
        "Olin työttömänä kuusi vuotta ennen kuin pääsin kuntouttavaan työtoimintaan.",
        "työttömyys",
        True,
        DERIVATION,
    ),
    Case(
        "der-04",  # tyottomyys-tyoton
        "Pitkä työttömyys opetti minulle, miten palvelut näyttävät asiakkaan silmin.",
        "työtön",
        True,
        DERIVATION,
    ),
    Case(
        "der-05",  # psykoottisen-psykoosi
        "Sain psykoottisen jakson opiskeluaikana ja toivuin siitä.",
        "psykoosi",
        True,
        DERIVATION,
    ),
    Case(
        "der-06",  # psykoosiin-psykoottinen
        "Sairastuin psykoosiin 22-vuotiaana, ja siitä alkoi pitkä toipuminen.",
        "psykoottinen",
        True,
        DERIVATION,
    ),
    Case(
        "der-07",  # kehitysvamma-kehitysvammainen
        "Veljelläni on kehitysvamma, ja olen ollut hänen edunvalvojansa kymmenen vuotta.",
        "kehitysvammainen",
        True,
        DERIVATION,
    ),
    Case(
        "der-08",  # asunnottomana-asunnottomuus
        "Olin asunnottomana kaksi talvea ja kerron, miten sain kodin.",
        "asunnottomuus",
        True,
        DERIVATION,
    ),
    Case(
        "der-09",  # riippuvainen-riippuvuus
        "Olin vuosia riippuvainen rauhoittavista lääkkeistä.",
        "riippuvuus",
        True,
        DERIVATION,
    ),
    Case(
        "der-10",  # vammaisuudesta-vammainen
        "Puhun vammaisuudesta ja esteettömyydestä arjessa.",
        "vammainen",
        True,
        DERIVATION,
    ),
    Case(
        "der-11",  # liikuntavammainen-vamma
        "Olen liikuntavammainen ja liikun pyörätuolilla.",
        "vamma",
        True,
        DERIVATION,
    ),
    # --- Accents: the query typed without the dots ---
    Case(
        "acc-01",  # hameenlinna
        "Asun Hämeenlinnassa ja voin tulla Lahteen junalla.",
        "hameenlinna",
        True,
        ACCENTS,
    ),
    Case(
        "acc-02",  # paihteet
        "Kerron päihteiden käytöstä ja toipumisesta vertaisryhmän avulla.",
        "paihteet",
        True,
        ACCENTS,
    ),
    Case(
        "acc-03",  # syopa
        "Sairastuin syöpään nuorena aikuisena.",
        "syopa",
        True,
        ACCENTS,
    ),
    Case(
        "acc-04",  # karkola
        "Asun Kärkölässä ja pääsen helposti Lahteen ja Hollolaan.",
        "karkola",
        True,
        ACCENTS,
    ),
    Case(
        "acc-05",  # sydaninfarkti
        "Sain sydäninfarktin 50-vuotiaana kesken työpäivän.",
        "sydaninfarkti",
        True,
        ACCENTS,
    ),
    Case(
        "acc-06",  # anhorig
        "Jag är anhörig till en person med psykisk ohälsa.",
        "anhorig",
        True,
        ACCENTS,
    ),
    # --- Swedish: base forms and inflected forms ---
    Case(
        "sv-01",  # beroendet
        "Jag berättar om hur jag tog mig ur beroendet med stöd av kamrater.",
        "beroende",
        True,
        SWEDISH,
    ),
    Case(
        "sv-02",  # missbruket
        "Missbruket tog tio år av mitt liv, men i dag är jag nykter.",
        "missbruk",
        True,
        SWEDISH,
    ),
    Case(
        "sv-03",  # anhoriga
        "Jag leder en stödgrupp för anhöriga i Lahtis.",
        "anhörig",
        True,
        SWEDISH,
    ),
    Case(
        "sv-04",  # depressionen
        "Efter depressionen började jag studera igen.",
        "depression",
        True,
        SWEDISH,
    ),
    Case(
        "sv-05",  # query-anhoriga
        "Jag är anhörig och har vårdat min mamma i åtta år.",
        "anhöriga",
        True,
        SWEDISH,
    ),
    Case(
        "sv-06",  # psykosen
        "Jag insjuknade i en psykos som tjugoåring.",
        "psykosen",
        True,
        SWEDISH,
    ),
    Case(
        "sv-07",  # brostcancer
        "Jag fick bröstcancer för fem år sedan och föreläser om rehabiliteringen.",
        "cancer",
        True,
        SWEDISH,
    ),
    # --- Typos in introductions: the query misspelt, the word in an introduction only ---
    Case(
        "typo-01",  # masenus
        "Kerron masennuksesta ja siitä toipumisesta.",
        "masenus",
        True,
        TYPO,
    ),
    Case(
        "typo-02",  # skitsofernia
        "Sairastuin skitsofreniaan parikymppisenä, ja nyt voin hyvin.",
        "skitsofernia",
        True,
        TYPO,
    ),
    Case(
        "typo-03",  # riipuvuus
        "Kerron riippuvuuden synnystä ja siitä irti pääsemisestä.",
        "riipuvuus",
        True,
        TYPO,
    ),
    Case(
        "typo-04",  # riippuvus
        "Riippuvuus vei minulta työn ja kodin, mutta sain molemmat takaisin.",
        "riippuvus",
        True,
        TYPO,
    ),
    Case(
        "typo-05",  # alkohli
        "Isäni joi alkoholia, ja kerron lapsen näkökulmasta.",
        "alkohli",
        True,
        TYPO,
    ),
    Case(
        "typo-06",  # kaksisuntainen
        "Minulla on kaksisuuntainen mielialahäiriö, joka on nyt hyvässä tasapainossa.",
        "kaksisuntainen",
        True,
        TYPO,
    ),
    Case(
        "typo-07",  # omaishoitja
        "Olin omaishoitajana äidilleni viisi vuotta.",
        "omaishoitja",
        True,
        TYPO,
    ),
    Case(
        "typo-08",  # psykosi
        "Kerron psykoosista toipumisesta ja lääkityksestä.",
        "psykosi",
        True,
        TYPO,
    ),
    # --- Synonyms: the admin-kept lists' related words and names in other languages ---
    Case(
        "syn-01",  # masentunut
        "",
        "masentunut",
        True,
        SYNONYM,
        {"experiences": [("masennus", "own")]},
    ),
    Case(
        "syn-02",  # masentunut-bio
        "Olin masentunut vuosia ennen kuin hain apua.",
        "masennus",
        True,
        SYNONYM,
    ),
    Case(
        "syn-03",  # alkoholi
        "Kerron omista kokemuksistani päihteistä ja niistä irti pääsemisestä.",
        "alkoholi",
        True,
        SYNONYM,
    ),
    Case(
        "syn-04",  # bipolaarinen
        "",
        "bipolaarinen",
        True,
        SYNONYM,
        {"experiences": [("kaksisuuntainen", "own")]},
    ),
    Case(
        "syn-05",  # bipolaarinen-bio
        "Sairastan kaksisuuntaista mielialahäiriötä ja käyn töissä.",
        "bipolaarinen",
        True,
        SYNONYM,
    ),
    Case(
        "syn-06",  # omaishoitaja
        "",
        "omaishoitaja",
        True,
        SYNONYM,
        {"experiences": [("omaishoito", "close_one")]},
    ),
    Case(
        "syn-07",  # depression-sv
        "Sairastin masennusta nuorena ja kerron siitä kouluissa.",
        "depression",
        True,
        SYNONYM,
    ),
    Case(
        "syn-08",  # missbruk-fi
        "Kerron päihteistä ja raitistumisesta.",
        "missbruk",
        True,
        SYNONYM,
    ),
    Case(
        "syn-09",  # psykoosi
        "",
        "psykoosi",
        True,
        SYNONYM,
        {"experiences": [("skitsofrenia", "own")]},
    ),
    Case(
        "syn-10",  # vertaistuki
        "",
        "vertaistuki",
        True,
        SYNONYM,
        {"task_types": ["vertaisryhma"]},
    ),
    Case(
        "syn-11",  # tyoton
        "",
        "työtön",
        True,
        SYNONYM,
        {"experiences": [("tyottomyys", "own")]},
    ),
    # --- Place names: inflected in the text or in the query, and list entries ---
    Case(
        "place-01",  # lahdessa
        "Asun Lahdessa ja liikun julkisilla kulkuneuvoilla.",
        "Lahti",
        True,
        PLACE,
    ),
    Case(
        "place-02",  # query-lahdessa
        "",
        "Lahdessa",
        True,
        PLACE,
        {"municipalities": ["lahti"]},
    ),
    Case(
        "place-03",  # orimattilassa
        "Asun Orimattilassa ja teen keikkoja koko Päijät-Hämeessä.",
        "Orimattila",
        True,
        PLACE,
    ),
    Case(
        "place-04",  # hameenlinnassa
        "Kävin koulut Hämeenlinnassa ja muutin sitten Heinolaan.",
        "Hämeenlinna",
        True,
        PLACE,
    ),
    Case(
        "place-05",  # query-hameenlinnassa
        "Hämeenlinna on kotikaupunkini, mutta tulen mielelläni Lahteen.",
        "Hämeenlinnassa",
        True,
        PLACE,
    ),
    Case(
        "place-06",  # query-heinolassa
        "",
        "heinolassa",
        True,
        PLACE,
        {"municipalities": ["heinola"]},
    ),
    Case(
        "place-07",  # lahtis
        "",
        "Lahtis",
        True,
        PLACE,
        {"municipalities": ["lahti"]},
    ),
    Case(
        "place-08",  # sysmassa
        "Mökkimme on Sysmässä, ja kesäisin olen siellä.",
        "sysmä",
        True,
        PLACE,
    ),
    # --- Precision: these must NOT be found ---
    Case(
        "prec-01",  # syopa-syotava
        "Ruoka ja kaikki syötävä pelottivat minua pitkään.",
        "syöpä",
        False,
        PRECISION,
    ),
    Case(
        "prec-02",  # hameenlinna-savonlinna
        "Asun Savonlinnassa ja teen etätöitä.",
        "hämeenlinna",
        False,
        PRECISION,
    ),
    Case(
        "prec-03",  # rintasyopa-rinta
        "Minulla oli pitkään kipuja rintakehässä, ja syyksi paljastui stressi.",
        "rintasyöpä",
        False,
        PRECISION,
    ),
    Case(
        "prec-04",  # kuntoutus-kunto
        "Pidän kunnostani huolta juoksemalla ja hiihtämällä.",
        "kuntoutus",
        False,
        PRECISION,
    ),
    Case(
        "prec-05",  # lapsuus-lapset
        "Minulla on kolme lasta, ja puhun vanhemmuudesta.",
        "lapsuus",
        False,
        PRECISION,
    ),
    Case(
        "prec-06",  # psykoosi-psykologi
        "Kävin psykologilla uupumuksen takia.",
        "psykoosi",
        False,
        PRECISION,
    ),
    Case(
        "prec-07",  # omaishoito-omakotitalo
        "Asun omakotitalossa Hollolassa koirani kanssa.",
        "omaishoito",
        False,
        PRECISION,
    ),
    Case(
        "prec-08",  # tyottomyys-toita
        "Teen töitä sairaalan keittiössä ja laulan kuorossa.",
        "työttömyys",
        False,
        PRECISION,
    ),
    Case(
        "prec-09",  # kuulo-kuulun
        "Kuulun A-kiltaan ja Mieli ry:hyn.",
        "kuulo",
        False,
        PRECISION,
    ),
    Case(
        "prec-10",  # missbruk-pappersbruket
        "Jag arbetade trettio år på pappersbruket och missade nästan aldrig ett skift.",
        "missbruk",
        False,
        PRECISION,
    ),
    Case(
        "prec-11",  # masennus-masto
        "Työskentelin sähköasentajana ja kiipeilin mastoissa.",
        "masennus",
        False,
        PRECISION,
    ),
    Case(
        "prec-12",  # alkoholi-peliriippuvuus: a synonym (riippuvuus) is not a part of another compound
        "Toivuin peliriippuvuudesta vertaisryhmän avulla.",
        "alkoholi",
        False,
        PRECISION,
    ),
    Case(
        "prec-13",  # hameenlinna-hämeen: a stored word the query merely begins with is no typo of it
        "Asun Kanta-Hämeen maaseudulla.",
        "hameenlinna",
        False,
        PRECISION,
    ),
]
