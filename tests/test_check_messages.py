"""scripts/check_messages.py: the catalogues are complete and use the term base (docs/GLOSSARY.md);
a planted avoided term or an English word left untranslated fails the check that CI runs."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import check_messages  # noqa: E402

HEADER = """msgid ""
msgstr ""
"Language: sv\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


def catalogue(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "sv" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + entries, encoding="utf-8")
    return tmp_path


def run(tmp_path, capsys, entries: str) -> tuple[int, str]:
    locale = catalogue(tmp_path, entries)
    status = check_messages.main(["--locale-dir", str(locale), "--languages", "sv"])
    return status, capsys.readouterr().out


def test_the_projects_catalogues_pass(capsys):
    assert check_messages.main([]) == 0
    assert "fi" in capsys.readouterr().out


def test_a_clean_catalogue_passes(tmp_path, capsys):
    status, out = run(tmp_path, capsys, 'msgid "check-in"\nmsgstr "avstämning"\n')
    assert status == 0, out


@pytest.mark.parametrize("msgstr", ["Lägesrapport", "Skicka en lägesrapporten", "Din utbildningsnivå"])
def test_a_planted_avoided_term_fails_also_inflected(tmp_path, capsys, msgstr):
    status, out = run(tmp_path, capsys, f'msgid "check-in"\nmsgstr "{msgstr}"\n')
    assert status == 1
    assert "avoided term" in out


def test_a_term_inside_another_word_is_not_flagged(tmp_path, capsys):
    # "feedback" is avoided in Swedish, but not as the end of a longer word.
    status, out = run(tmp_path, capsys, 'msgid "x"\nmsgstr "Telefeedbacken"\n')
    assert status == 0, out


def test_an_english_term_left_untranslated_fails(tmp_path, capsys):
    status, out = run(tmp_path, capsys, 'msgid "coordinator"\nmsgstr "coordinator"\n')
    assert status == 1
    assert "same as the English msgid" in out


def test_a_word_the_glossary_does_not_translate_may_stay_english(tmp_path, capsys):
    status, out = run(tmp_path, capsys, 'msgid "OK"\nmsgstr "OK"\n')
    assert status == 0, out
