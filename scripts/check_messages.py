"""Fail when the Finnish or Swedish message files are incomplete.

CI runs this right after `makemessages`, so a msgid added to a template or to Python code without a
translation fails the build instead of showing up in English on a Finnish page. It imports no Django
and parses the .po files itself (standard library only):

    python scripts/check_messages.py                  checks locale/fi and locale/sv django.po
    python scripts/check_messages.py --languages fi   only Finnish

An entry is a problem when a msgstr (or any msgstr[n] of a plural entry) is empty, when it is marked
fuzzy (msgfmt leaves fuzzy entries out of the .mo, so they would show in English), when its
printf-style placeholders (%(name)s, %s, %d, ...) differ from the msgid's, or when the msgid and the
msgstr disagree about starting or ending with a newline (msgfmt --check rejects that). The header
must not be fuzzy and must name the language, UTF-8 and the plural forms.

The term base, docs/GLOSSARY.md, is checked too: a msgstr must not use a term of its language in the
glossary's "Avoided terms" table (as a word or the start of one: inflected forms count), and a msgstr
must not be left identical to its English msgid when the glossary gives that English term a
translation ("Given" left as *Given* in Swedish).

Exit status: 0 when everything is translated, 1 when something is missing or wrong, 2 when a file
cannot be read.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LANGUAGES = ("fi", "sv")
GLOSSARY = ROOT / "docs" / "GLOSSARY.md"
GLOSSARY_LANGUAGES = {"fi": 0, "sv": 1}  # the columns of the glossary's term tables


@dataclass
class Glossary:
    avoided: dict[str, list[tuple[re.Pattern, str, str]]] = field(default_factory=dict)  # (pattern, term, use)
    translated: dict[str, set[str]] = field(default_factory=dict)  # English terms with a translation


def read_glossary(path: Path) -> Glossary:
    """The avoided terms (section "Avoided terms") and, per language, the English terms that the term
    tables of section "Terms" translate (rows "| fi | sv | en | note |")."""
    glossary = Glossary()
    in_avoided = in_terms = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            in_avoided = "avoided terms" in line.lower()
            in_terms = line.lower().removeprefix("## ").lstrip("0123456789. ").startswith("terms")
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) < 3 or set(cells[0]) <= set("-: "):
            continue
        if in_avoided:
            language, term, use = cells[0], cells[1].lower(), cells[2]
            if language in GLOSSARY_LANGUAGES and term != "avoid":
                pattern = re.compile(r"(?<!\w)" + re.escape(term), re.IGNORECASE)
                glossary.avoided.setdefault(language, []).append((pattern, term, use))
        elif in_terms and len(cells) >= 4:
            for language, column in GLOSSARY_LANGUAGES.items():
                if cells[column] and cells[column] != "—":
                    for english in re.split(r"[;,/]", cells[2]):
                        english = english.strip().strip("*").strip().lower()
                        if english and english not in {"english (msgid)", "english"}:
                            glossary.translated.setdefault(language, set()).add(english)
    return glossary


def glossary_problems(entry: Entry, language: str, glossary: Glossary) -> list[str]:
    problems = []
    for n, text in sorted(entry.msgstr.items()):
        for pattern, term, use in glossary.avoided.get(language, []):
            if pattern.search(text):
                problems.append(f"avoided term {term!r} (use {use!r})")
        if n == 0 and text == entry.msgid and entry.msgid.lower() in glossary.translated.get(language, set()):
            problems.append("same as the English msgid, which the glossary translates")
    return problems


ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')

# A full printf conversion, as Python's %-operator reads it. Used for entries that gettext or
# Django flagged python-format; %% is an escaped percent sign, not a placeholder.
FULL_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<type>[diouxXeEfFgGcrsa%])"
)
# Without the python-format flag a "%" may be a plain percent sign ("50 % of"), so only the
# unambiguous forms count: %(name)s-style and bare %s / %d / %i / %f / %r.
PLAIN_PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\)[#0 +\-]*\d*(?:\.\d+)?(?P<ntype>[a-zA-Z])|(?P<type>[sdifr%]))")
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def label(self) -> str:
        text = self.msgid if self.msgctxt is None else f"[{self.msgctxt}] {self.msgid}"
        return text.replace("\n", "\\n")


class PoSyntaxError(Exception):
    pass


def unquote(literal: str, path: Path, lineno: int) -> str:
    if len(literal) < 2 or not (literal.startswith('"') and literal.endswith('"')):
        raise PoSyntaxError(f"{path}:{lineno}: expected a quoted string, got {literal!r}")
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in ESCAPES:
                out.append(ESCAPES[nxt])
                i += 2
                continue
            octal = re.match(r"[0-7]{1,3}", body[i + 1 :])
            if octal:
                out.append(chr(int(octal.group(), 8)))
                i += 1 + len(octal.group())
                continue
        out.append(char)
        i += 1
    return "".join(out)


def parse_po(path: Path) -> list[Entry]:
    """Read a .po file into entries: comments, flags, msgctxt, msgid(_plural) and msgstr(s)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # the field that a continuation line "..." extends
    seen_msgstr = False

    def start(lineno: int) -> Entry:
        nonlocal current, seen_msgstr, target
        if current is not None:
            entries.append(current)
        current, seen_msgstr, target = Entry(line=lineno), False, None
        return current

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current is not None and seen_msgstr:
                entries.append(current)
                current, target = None, None
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line or line.startswith("|"):  # "#~|": the previous msgid of an obsolete entry
                continue
        elif line.startswith("#"):
            # A comment after a complete entry belongs to the next one.
            entry = start(lineno) if current is None or seen_msgstr else current
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue

        match = KEYWORD.match(line)
        if match:
            keyword, index, literal = match.group(1), match.group(2), match.group(3)
            if keyword in ("msgctxt", "msgid") and (current is None or seen_msgstr):
                entry = start(lineno)
            elif current is None or (keyword == "msgid" and target is not None and target[0] != "msgctxt"):
                raise PoSyntaxError(f"{path}:{lineno}: {keyword} out of place (an entry without msgstr?)")
            else:
                entry = current
            entry.obsolete = entry.obsolete or obsolete
            text = unquote(literal, path, lineno)
            if keyword == "msgctxt":
                entry.msgctxt, target = text, ("msgctxt", 0)
            elif keyword == "msgid":
                entry.msgid, entry.line, target = text, lineno, ("msgid", 0)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = text, ("msgid_plural", 0)
            else:
                n = int(index) if index is not None else 0
                entry.msgstr[n], target, seen_msgstr = text, ("msgstr", n), True
            continue

        if line.startswith('"') and current is not None and target is not None:
            text = unquote(line, path, lineno)
            name, n = target
            if name == "msgstr":
                current.msgstr[n] += text
            elif name == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + text
            else:
                setattr(current, name, (getattr(current, name) or "") + text)
            continue
        raise PoSyntaxError(f"{path}:{lineno}: cannot read line {raw!r}")

    if current is not None:
        entries.append(current)
    return [entry for entry in entries if entry.msgstr or entry.msgid]


def placeholders(text: str, flags: set[str]) -> tuple[Counter[str], list[str]]:
    """Named placeholders (any order) and positional ones (their order matters) in `text`."""
    named: Counter[str] = Counter()
    positional: list[str] = []
    if "python-format" in flags:
        for match in FULL_PLACEHOLDER.finditer(text):
            if match.group("type") == "%":
                continue
            if match.group("name") is not None:
                named[f"%({match.group('name')}){match.group('type')}"] += 1
            else:
                positional.append(f"%{match.group('type')}")
    elif "no-python-format" not in flags:
        for match in PLAIN_PLACEHOLDER.finditer(text):
            if match.group("name") is not None:
                named[f"%({match.group('name')}){match.group('ntype')}"] += 1
            elif match.group("type") != "%":
                positional.append(f"%{match.group('type')}")
    if "python-brace-format" in flags:
        named.update("{" + name + "}" for name in BRACE_PLACEHOLDER.findall(text))
    return named, positional


def same_placeholders(source: str, translation: str, flags: set[str]) -> bool:
    src_named, src_pos = placeholders(source, flags)
    dst_named, dst_pos = placeholders(translation, flags)
    # A named placeholder may appear once or several times in a translation, but none may be
    # dropped or invented; positional ones must match one to one and in order.
    return set(src_named) == set(dst_named) and src_pos == dst_pos


def newline_mismatch(source: str, translation: str) -> bool:
    starts = source.startswith("\n") != translation.startswith("\n")
    ends = source.endswith("\n") != translation.endswith("\n")
    return starts or ends


def header_problems(entries: list[Entry], language: str) -> list[str]:
    header = next((entry for entry in entries if entry.is_header), None)
    if header is None:
        return ["header: missing"]
    problems = []
    if "fuzzy" in header.flags:
        problems.append("header: marked fuzzy")
    fields = dict(
        (key.strip().lower(), value.strip())
        for key, _, value in (line.partition(":") for line in header.msgstr.get(0, "").splitlines())
        if value
    )
    if fields.get("language", "").replace("-", "_").split("_")[0] != language:
        problems.append(f"header: Language is {fields.get('language', '')!r}, expected {language!r}")
    if "charset=utf-8" not in fields.get("content-type", "").lower().replace(" ", ""):
        problems.append("header: Content-Type charset is not UTF-8")
    if not re.search(r"nplurals\s*=\s*\d+\s*;\s*plural\s*=", fields.get("plural-forms", "")):
        problems.append("header: Plural-Forms is missing")
    return problems


def entry_problems(entry: Entry) -> list[str]:
    problems = []
    if "fuzzy" in entry.flags:
        problems.append("fuzzy")
    forms = entry.msgstr or {0: ""}
    if any(not text for text in forms.values()):
        problems.append("untranslated")
        return problems
    for n, text in sorted(forms.items()):
        if entry.msgid_plural is None:
            sources = [entry.msgid]
        elif n == 0:
            # The singular form may leave out the count ("One answer") or keep it.
            sources = [entry.msgid, entry.msgid_plural]
        else:
            sources = [entry.msgid_plural]
        label = "msgstr" if entry.msgid_plural is None else f"msgstr[{n}]"
        if not any(same_placeholders(source, text, entry.flags) for source in sources):
            problems.append(f"placeholders differ in {label}")
        if all(newline_mismatch(source, text) for source in sources):
            problems.append(f"leading/trailing newline differs in {label}")
    return problems


def check_language(
    locale_dir: Path, language: str, glossary: Glossary | None = None
) -> tuple[int, int, list[str]] | None:
    path = locale_dir / language / "LC_MESSAGES" / "django.po"
    try:
        entries = [entry for entry in parse_po(path) if not entry.obsolete]
    except FileNotFoundError:
        print(f"{path}: missing", file=sys.stderr)
        return None
    except (PoSyntaxError, UnicodeDecodeError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return None
    messages = [entry for entry in entries if not entry.is_header]
    report = [f"{path.relative_to(locale_dir.parent)}: {problem}" for problem in header_problems(entries, language)]
    translated = 0
    for entry in messages:
        problems = entry_problems(entry)
        if glossary is not None:
            problems += glossary_problems(entry, language, glossary)
        if "untranslated" not in problems and "fuzzy" not in problems:
            translated += 1
        if problems:
            report.append(f"{path.relative_to(locale_dir.parent)}:{entry.line}: {', '.join(problems)}: {entry.label()}")
    return translated, len(messages), report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locale-dir", type=Path, default=ROOT / "locale")
    parser.add_argument("--languages", nargs="+", default=list(DEFAULT_LANGUAGES))
    parser.add_argument("--glossary", type=Path, default=GLOSSARY)
    args = parser.parse_args(argv)
    try:
        glossary = read_glossary(args.glossary)
    except OSError as exc:
        print(f"{args.glossary}: {exc}", file=sys.stderr)
        return 2

    summary, failed, unreadable = [], False, False
    for language in args.languages:
        result = check_language(args.locale_dir.resolve(), language, glossary)
        if result is None:
            unreadable = True
            summary.append(f"{language} unreadable")
            continue
        translated, total, report = result
        for line in report:
            print(line)
        failed = failed or bool(report)
        summary.append(f"{language} {translated}/{total} translated")
    print("messages: " + ", ".join(summary))
    if unreadable:
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
