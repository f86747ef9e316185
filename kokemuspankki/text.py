"""Text analysis for Finnish and Swedish: the words of a text as search and word counts need them.

Shared by the project and importing no app: the expert search uses it now, the hearings' word
frequencies and theme suggestions next. What it does to a word:

- tokenise: letters and digits, the original kept for display (`words()`);
- fold case and accents for matching (`fold()`: "Hämeenlinna" and "hameenlinna" meet);
- base forms from simplemma's Finnish and Swedish dictionaries ("päihteet" → päihde, "Lahdessa" →
  Lahti, "beroendet" → beroende), looked up in a MARISA trie kept on disk and memory-mapped: the
  plain dictionaries take ~6 s and ~400 MB in every process, the trie ~10 ms and ~35 MB;
- compound parts by splitting a word where both sides are words ("rintasyöpään" → rinta, syöpä;
  "vertaistukiryhmä" → vertainen, tuki, ryhmä), with the base form of the last part;
- a derivation stem, so that a noun meets its agent and adjective ("kuntoutus" / "kuntoutuja",
  "työtön" / "työttömyys", "psykoosi" / "psykoottinen", "kehitysvamma" / "kehitysvammainen");
- stop words dropped (`STOP_WORDS`).

`terms(word)` is every form of one word that the search stores and asks for; `analyse(text)` does it
for a text. Only dictionary lookups: simplemma's guessing strategies turn an unknown compound into
one of its parts ("masennusryhmä" → masennus), which is this module's job, done with the parts kept.
"""

import fcntl
import functools
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

LANGUAGES = ("fi", "sv")
# A term shorter than this matches too much to be worth storing or asking for.
MIN_LENGTH = 3
# Both sides of a compound split are at least this long ("mas" + "ennus" is not "masennus").
MIN_PART = 4
# Longer "words" are not split: real compounds are shorter ("mielenterveyskuntoutujien" is 25), and a
# split tries every cut (200 letters of nonsense took ~200 ms).
MAX_COMPOUND = 40

WORD = re.compile(r"[^\W_]+")

STOP_WORDS = frozenset(
    # Finnish: pronouns, auxiliaries and particles that every introduction has.
    "ja sekä tai vai että kun kuin jos niin myös mutta vaan eli koska jotta vaikka ole olen olet on "
    "olemme olette ovat oli olin olit olimme olivat ollut olla ei en et emme ette eivät minä mä sinä hän "
    "me te he se ne tämä tuo nämä nuo joka jotka mikä mitkä kuka ketkä minun minua minulla minulle "
    "minulta minusta minuun sen siitä sitä siinä siihen niitä niiden hänen häntä heidän meidän teidän "
    "kanssa mukaan myös vielä jo nyt sitten kanssa kautta ennen jälkeen aikana asti saakka noin yli alle "
    "kaikki kaikkea muita muiden muut muu paljon vähän hyvin erittäin eri omaa oma omat omia omien "
    "voi voin voit voimme voivat osaan haluan halua "
    # Swedish
    "och eller att som det den de dem är var vara varit har hade ha jag du han hon vi ni man mig dig "
    "sig oss er min mitt mina din ditt dina sin sitt sina med för från till av på om i en ett inte "
    "men också så när där här kan kunde vill ska skulle har hos under över efter".split()
)

# Endings that derive one word from another, replaced by what the family shares: the lemma
# "kuntoutus" and the lemma "kuntoutuja" both give "kuntout". Longest first; the first that fits wins.
DERIVATIONS = [
    ("ttomuus", "ttom"),
    ("ttömyys", "ttöm"),
    ("oottinen", "oo"),
    ("ööttinen", "öö"),
    ("isuus", ""),
    ("isyys", ""),
    ("llinen", ""),
    ("minen", ""),
    ("ainen", ""),
    ("äinen", ""),
    ("inen", ""),
    ("oosi", "oo"),
    ("öösi", "öö"),
    ("uja", ""),
    ("yjä", ""),
    ("ton", "ttom"),
    ("tön", "ttöm"),
    ("uus", ""),
    ("yys", ""),
    ("us", ""),
    ("ys", ""),
]

# The last part of a compound that says little alone: "masennusryhmä" is about masennus, not about
# every group. These parts are stored but a query does not match them alone.
GENERIC_PARTS = frozenset(
    "ryhmä työ toiminta palvelu palvelut ongelma asia asiat tausta kokemus tieto taito osa paikka "
    "keskus yhdistys hoito tuki kurssi koulutus tilanne aika henkilö ihminen grupp arbete verksamhet "
    "problem tjänst".split()
)


def fold(word: str) -> str:
    """Lower case without accents: "Hämeenlinna" → "hameenlinna", "Borgå" → "borga"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of a text as written (letters and digits; hyphens and punctuation split)."""
    return WORD.findall(text)


# --- The dictionaries ----------------------------------------------------------------------------


def lexicon_dir() -> Path:
    """Where the tries live: $KP_LEXICON_DIR, else simplemma's own cache directory for its version."""
    from platformdirs import user_cache_dir
    from simplemma.__metadata__ import __version__

    configured = os.environ.get("KP_LEXICON_DIR")
    return Path(configured) if configured else Path(user_cache_dir("simplemma")) / "marisa_trie" / __version__


def prepare_lexicon() -> list[str]:
    """Build the tries that are missing (~20 s and ~700 MB once per machine and simplemma version),
    each written to a temporary name and moved into place, under a lock so that two processes do not
    build the same one. Returns the languages built. `manage.py migrate` calls this (experts.apps)."""
    from simplemma.strategies.dictionaries import TrieDictionaryFactory

    directory = lexicon_dir()
    if all((directory / f"{lang}.dic").exists() for lang in LANGUAGES):
        return []  # the usual case; the directory may be read-only (the production image)
    directory.mkdir(parents=True, exist_ok=True)
    built = []
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for lang in LANGUAGES:
            if (directory / f"{lang}.dic").exists():
                continue
            with tempfile.TemporaryDirectory(dir=directory) as scratch:
                TrieDictionaryFactory(disk_cache_dir=scratch).get_dictionary(lang)
                os.replace(Path(scratch) / f"{lang}.dic", directory / f"{lang}.dic")
            built.append(lang)
    return built


@functools.cache
def _lookup():
    from simplemma.strategies import DictionaryLookupStrategy
    from simplemma.strategies.dictionaries import TrieDictionaryFactory

    prepare_lexicon()
    return DictionaryLookupStrategy(TrieDictionaryFactory(disk_cache_dir=str(lexicon_dir())))


# Entries of simplemma's dictionaries that are wrong ("työ" → sinä), by language.
CORRECTIONS = {"fi": {"työ": "työ"}}


def base_form(word: str, lang: str) -> str | None:
    """The dictionary's base form of `word` in `lang`, lower case, or None for a word it does not know."""
    lemma = CORRECTIONS.get(lang, {}).get(word) or _lookup().get_lemma(word, lang)
    return lemma.lower() if lemma else None


def is_name(word: str) -> bool:
    """Whether the dictionary knows `word` as a proper name ("Hämeenlinna", "Lahdessa"): names are not
    split into parts (hame + linna would find Savonlinna)."""
    return any((lemma := _lookup().get_lemma(word, lang)) and lemma[:1].isupper() for lang in LANGUAGES)


# --- One word ------------------------------------------------------------------------------------


def derivation_stems(lemma: str) -> tuple[str, ...]:
    """What a derived word shares with its family ("kuntoutuja" → "kuntout", "työttömyys" and "työtön"
    → "työttöm"), or the lemma itself when no ending fits. An adjective in -ainen/-äinen gives two,
    for a noun in -a ("kehitysvammainen" → "kehitysvamma") and a verb stem ("riippuvainen" →
    "riippuv", as "riippuvuus")."""
    for ending, replacement in DERIVATIONS:
        if lemma.endswith(ending) and len(lemma) - len(ending) + len(replacement) >= MIN_PART:
            stem = lemma[: -len(ending)] + replacement
            return (stem, lemma[:-4]) if ending in ("ainen", "äinen") else (stem,)
    return (lemma,)


def derivation_stem(lemma: str) -> str:
    """The first of derivation_stems()."""
    return derivation_stems(lemma)[0]


# Finnish possessive suffixes: "masennuksestani" is masennuksesta + -ni, which the dictionary lacks.
POSSESSIVES = ("mme", "nne", "nsa", "nsä", "ni", "si")


def base_forms(word: str) -> set[str]:
    """The base forms of a lower-case word in Finnish and Swedish (of its core(): "lapsuudessani" →
    lapsuus)."""
    core = _core(word)
    return {lemma for lang in LANGUAGES if (lemma := base_form(core, lang))}


@functools.lru_cache(maxsize=200_000)
def _core(word: str) -> str:
    """A lower-case word without a Finnish possessive suffix when only that form is known, as a word
    or a compound ("masennuksestani" → masennuksesta, "peliriippuvuudestani" → peliriippuvuudesta)."""
    if any(base_form(word, lang) for lang in LANGUAGES):
        return word
    for suffix in POSSESSIVES:
        stripped = word[: -len(suffix)]
        if word.endswith(suffix) and len(stripped) >= MIN_PART:
            if base_form(stripped, "fi") or compound_parts(stripped, "fi"):
                return stripped
    return word


def _modifier_forms(part: str, lang: str) -> list[str]:
    """Base forms of the first part of a compound, which Finnish writes in a stem of its own:
    "vertais-" (vertainen), "mielen-" (mieli), "lasten-" (lapsi); Swedish adds a linking s."""
    forms = [base_form(part, lang)]
    if lang == "fi" and part.endswith("is"):
        forms.append(base_form(part[:-2] + "inen", lang))
    if lang == "sv" and part.endswith("s") and len(part) > MIN_PART:
        forms.append(base_form(part[:-1], lang))
    return [form for form in forms if form]


@functools.lru_cache(maxsize=200_000)
def compound_parts(word: str, lang: str = "fi") -> tuple[str, ...]:
    """The base forms of a compound's parts ("rintasyöpään" → rinta, syöpä), () if it is not one.

    Splits where the right side is a known word (its base form taken) and the left side is a known
    word or itself a compound; the longest right side that works wins ("vertaistukiryhmä" →
    vertainen, tukiryhmä). Both sides are MIN_PART letters or more, but for a generic last part
    ("päihdetyö"). A word the dictionary knows is split only where its base form is the left side
    and the right side's base form ("psykoosiin" is not psyko + osa, "kuntoutujana" not kuntoutu +
    jana), and in Swedish only after a left side in its base form or with a linking s ("missbruk" is not
    missa + bruk). Names are not split (is_name)."""
    word = word.lower()
    if len(word) > MAX_COMPOUND or is_name(word):
        return ()
    whole = base_form(word, lang)
    for cut in range(MIN_PART, len(word) - 2):
        head = base_form(word[cut:], lang)
        if not head or is_name(word[cut:]):
            continue
        if len(word) - cut < MIN_PART and head not in GENERIC_PARTS:
            continue
        left = word[:cut]
        if whole and whole != left + head:
            continue
        modifiers = _modifier_forms(left, lang)
        if lang == "sv":
            modifiers = [form for form in modifiers if form in (left, left[:-1])]
        if modifiers:
            return (modifiers[0], head)
        inner = compound_parts(left, lang)
        if inner:
            return (*inner, head)
    return ()


def parts_of(word: str) -> tuple[str, ...]:
    """The compound parts of a lower-case word (of its core()), in the first language that splits it."""
    core = _core(word)
    for lang in LANGUAGES:
        parts = compound_parts(core, lang)
        if parts:
            return parts
    return ()


class Word(NamedTuple):
    """One word of a text: as written, and every term the search stores for it (folded)."""

    text: str
    terms: frozenset[str]


@functools.lru_cache(maxsize=200_000)
def _forms(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the word's own forms, its compound parts' forms), folded: see terms()."""
    lower = word.lower()
    if len(lower) < MIN_LENGTH or lower in STOP_WORDS or lower.isdigit():
        return frozenset(), frozenset()
    lemmas = base_forms(lower)
    parts = parts_of(lower)
    if parts and not lemmas:
        core = _core(lower)
        # An unknown compound: its base form is the modifiers as written and the head's base form.
        modifier = core[: len(core) - _written_head_length(core, parts[-1])]
        lemmas.add(modifier + parts[-1])
    own = {lower, *lemmas} | {stem for lemma in lemmas for stem in derivation_stems(lemma)}
    of_parts = set(parts) | {stem for part in parts for stem in derivation_stems(part)}
    return _kept(own), _kept(of_parts - own)


def _kept(found: set[str]) -> frozenset[str]:
    return frozenset(fold(term) for term in found if len(term) >= MIN_LENGTH and term not in STOP_WORDS)


def is_known(word: str) -> bool:
    """Whether the dictionaries know `word`, or its parts as a compound: such a word is spelt right,
    and a search does not read it as a typo of a stored word ("syötävä" is not "syöpä")."""
    lower = word.lower()
    return bool(base_forms(lower) or parts_of(lower))


@functools.lru_cache(maxsize=200_000)
def terms(word: str) -> frozenset[str]:
    """Every form of `word` that search stores and matches, folded: the word itself, its base forms
    in Finnish and Swedish, a compound's base form and parts, and derivation stems. Empty for stop
    words and words shorter than MIN_LENGTH."""
    own, of_parts = _forms(word)
    return own | of_parts


def _written_head_length(word: str, head: str) -> int:
    """How many letters at the end of `word` are the inflected last part whose base form is `head`."""
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        if head in (base_form(word[cut:], "fi"), base_form(word[cut:], "sv")):
            return len(word) - cut
    return len(head)


# A query word's alternatives: each a group of terms that must all be found (most are one term).
Clause = tuple[str, ...]


@functools.lru_cache(maxsize=20_000)
def query_clauses(word: str) -> frozenset[Clause]:
    """What a query word asks for: any of its own forms, or all the parts of a compound that are not
    generic. "masennusryhmä" finds masennus (ryhmä says little), "päihdekuntoutuja" finds päihde and
    kuntoutuja together, and "rintasyöpä" does not find every "rinta"."""
    own, _of_parts = _forms(word)
    clauses = {(term,) for term in own}
    specific = tuple(sorted({fold(part) for part in parts_of(word.lower())} - _generic_folded()))
    if specific:
        clauses.add(specific)
    return frozenset(clauses)


@functools.cache
def _generic_folded() -> frozenset[str]:
    return frozenset(fold(term) for part in GENERIC_PARTS for term in (part, *derivation_stems(part)))


def analyse(text: str) -> list[Word]:
    """The words of `text` with their terms, stop words and short words left out."""
    return [Word(word, found) for word in words(text) if (found := terms(word))]


def all_terms(texts: Iterable[str]) -> list[str]:
    """The distinct terms of some texts, sorted."""
    return sorted({term for text in texts for word in analyse(text) for term in word.terms})


def own_terms(word: str) -> frozenset[str]:
    """A word's own forms (itself, its base forms and their stems), without its compound parts: what
    a synonym matches ("alkoholi" asks for riippuvuus, and "peliriippuvuus" is not that)."""
    return _forms(word)[0]


def stored_terms(text: str) -> tuple[str, str]:
    """(own forms, compound parts not among them) of a text's words, each as one space-separated
    string in sorted order: what the search stores for it, the parts with a weight of their own."""
    own: set[str] = set()
    parts: set[str] = set()
    for word in words(text):
        word_own, word_parts = _forms(word)
        own |= word_own
        parts |= word_parts
    return " ".join(sorted(own)), " ".join(sorted(parts - own))


def matching_words(text: str, wanted: frozenset[str], wanted_own: frozenset[str] = frozenset()) -> Iterator[str]:
    """The words of `text`, as written, that have any of the `wanted` terms, or of the `wanted_own`
    terms among their own forms (own_terms()): the search card's "found: päihteet". Cheap on a page of
    cards: a cached lookup and a set test a word."""
    for word in words(text):
        if not terms(word).isdisjoint(wanted) or not own_terms(word).isdisjoint(wanted_own):
            yield word
