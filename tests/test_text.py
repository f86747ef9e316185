"""kokemuspankki.text: the Finnish and Swedish word analysis behind the expert search (no database)."""

import pytest

from kokemuspankki import text


@pytest.mark.parametrize(
    "word, folded",
    [("Hämeenlinna", "hameenlinna"), ("Borgå", "borga"), ("ÖVERTORNEÅ", "overtornea"), ("Säde-Åsa", "sade-asa")],
)
def test_fold_lowers_case_and_drops_accents(word, folded):
    assert text.fold(word) == folded


def test_words_keep_the_text_as_written_and_split_at_punctuation():
    assert text.words("Säde-Åsa asuu Lahdessa (v. 2019), ja_hän: Päihteet!") == [
        "Säde",
        "Åsa",
        "asuu",
        "Lahdessa",
        "v",
        "2019",
        "ja",
        "hän",
        "Päihteet",
    ]


@pytest.mark.parametrize(
    "word, lang, lemma",
    [
        ("päihteet", "fi", "päihde"),
        ("Lahdessa", "fi", "lahti"),
        ("kivun", "fi", "kipu"),
        ("riippuvuudesta", "fi", "riippuvuus"),
        ("Orimattilassa", "fi", "orimattila"),
        ("beroendet", "sv", "beroende"),
        ("missbruket", "sv", "missbruk"),
        ("anhöriga", "sv", "anhörig"),
    ],
)
def test_base_forms_come_from_the_dictionaries(word, lang, lemma):
    assert text.base_form(word, lang) == lemma


def test_a_word_the_dictionary_does_not_know_has_no_base_form():
    assert text.base_form("xyzzyqw", "fi") is None


def test_the_dictionary_correction_keeps_tyo_a_word_of_its_own():
    # simplemma's Finnish dictionary gives "sinä" for "työ": a stop word, so the word would vanish.
    assert text.CORRECTIONS["fi"]["työ"] == "työ"
    assert text.base_form("työ", "fi") == "työ"
    assert text.terms("työ") == {"tyo"}
    assert "tyo" in text.terms("työtä")


@pytest.mark.parametrize(
    "word, parts",
    [
        ("rintasyöpään", ("rinta", "syöpä")),
        ("päihdekuntoutuksessa", ("päihde", "kuntoutus")),
        ("alkoholiriippuvuudesta", ("alkoholi", "riippuvuus")),
        ("mielenterveydestä", ("mieli", "terveys")),
        ("päihdetyö", ("päihde", "työ")),
        ("masennusryhmä", ("masennus", "ryhmä")),
    ],
)
def test_compound_parts_are_base_forms(word, parts):
    assert text.compound_parts(word, "fi") == parts


def test_swedish_compounds_drop_the_linking_s():
    assert text.compound_parts("missbruksproblem", "sv") == ("missbruk", "problem")


@pytest.mark.parametrize("word", ["Hämeenlinna", "hämeenlinnassa", "Savonlinna", "masennus", "syöpä"])
def test_names_and_simple_words_are_not_split(word):
    assert text.compound_parts(word, "fi") == ()


def test_an_unsplit_name_does_not_meet_another_town():
    assert text.terms("Hämeenlinnassa") == {"hameenlinna", "hameenlinnassa"}
    assert not text.terms("Hämeenlinnassa") & text.terms("Savonlinnassa")


@pytest.mark.parametrize(
    "one, other, stem",
    [
        ("kuntoutus", "kuntoutuja", "kuntout"),
        ("työtön", "työttömyys", "työttöm"),
        ("psykoosi", "psykoottinen", "psykoo"),
        ("asunnoton", "asunnottomuus", "asunnottom"),
        ("riippuvuus", "riippuvainen", "riippuv"),
        ("kehitysvamma", "kehitysvammainen", "kehitysvamma"),
    ],
)
def test_a_derivation_family_shares_a_stem(one, other, stem):
    assert stem in text.derivation_stems(one)
    assert stem in text.derivation_stems(other)


def test_work_itself_is_not_the_stem_of_unemployment():
    # "työttömyys" would otherwise find everyone who mentions work ("töitä").
    assert text.terms("työttömyys").isdisjoint(text.terms("töitä"))


def test_a_word_without_a_derivation_ending_is_its_own_stem():
    assert text.derivation_stem("syöpä") == "syöpä"


def test_inflected_forms_of_a_family_meet_in_their_terms():
    assert "kuntout" in text.terms("kuntoutujana") & text.terms("kuntoutuksessa")
    assert "tyottom" in text.terms("työttömänä") & text.terms("työttömyydestä")
    assert "psykoo" in text.terms("psykoottisen") & text.terms("psykoosista")


def test_terms_are_the_folded_word_its_base_forms_stems_and_parts():
    assert text.terms("Lahdessa") == {"lahdessa", "lahti"}
    assert text.terms("päihteet") == {"paihteet", "paihde"}
    assert text.terms("rintasyöpään") == {"rintasyopaan", "rintasyopa", "rinta", "syopa"}
    assert text.terms("beroendet") == {"beroendet", "beroende"}


@pytest.mark.parametrize("word", ["ja", "olen", "minä", "sekä", "och", "jag", "är", "2019", "ab"])
def test_stop_words_digits_and_short_words_have_no_terms(word):
    assert text.terms(word) == frozenset()


def test_analyse_drops_stop_words_and_keeps_the_words_as_written():
    words = text.analyse("Olen ollut masentunut ja minä olen myös omainen. Jag är anhörig.")
    assert [word.text for word in words] == ["masentunut", "omainen", "anhörig"]
    assert words[2].terms == {"anhorig"}


def test_all_terms_are_distinct_and_sorted():
    assert text.all_terms(["Päihteet ja päihde", "Lahdessa"]) == ["lahdessa", "lahti", "paihde", "paihteet"]


def test_a_query_compound_asks_for_its_specific_parts_only():
    # "masennusryhmä" is about masennus: ryhmä alone would find every group.
    assert text.query_clauses("masennusryhmä") == {("masennus",), ("masennusryhma",)}
    assert not any("ryhma" in clause for clause in text.query_clauses("masennusryhmä"))
    assert text.query_clauses("päihdetyö") == {("paihde",), ("paihdetyo",)}


def test_a_query_compound_of_specific_parts_asks_for_all_of_them():
    # "rintasyöpä" must not find every "rinta": both parts together, or the word itself.
    assert text.query_clauses("rintasyöpä") == {("rinta", "syopa"), ("rintasyopa",)}


def test_a_simple_query_word_asks_for_any_of_its_forms():
    assert text.query_clauses("Lahdessa") == {("lahdessa",), ("lahti",)}


def test_matching_words_are_returned_as_written():
    found = text.matching_words(
        "Kerron Päihteistä ja alkoholista. Asun Lahdessa, en Heinolassa.",
        text.terms("päihde") | text.terms("lahti"),
    )
    assert list(found) == ["Päihteistä", "Lahdessa"]


def test_matching_words_of_nothing_wanted_is_empty():
    assert list(text.matching_words("Kerron päihteistä.", frozenset())) == []


@pytest.mark.parametrize("word, known", [("syötävä", True), ("rintasyöpään", True), ("masenus", False)])
def test_a_word_the_dictionaries_know_is_spelt_right(word, known):
    assert text.is_known(word) is known


@pytest.mark.parametrize(
    "word, term",
    [("masennuksestani", "masennus"), ("lapsuudessani", "lapsuus"), ("peliriippuvuudestani", "riippuvuus")],
)
def test_a_possessive_suffix_does_not_hide_the_base_form(word, term):
    assert term in text.terms(word)


def test_a_very_long_word_is_not_split():
    # Every cut of 200 letters of nonsense would be looked up (and its left sides again).
    assert text.compound_parts("a" * 200) == ()
    assert text.compound_parts("kissa" * 8 + "koira") == ()
