"""The plain-text side of the expert search: the words of a query and how far apart two words are.

TextQuery and corrections() in models/search.py use these; nothing here touches
the database.
"""

import re

# Quotes, "-word" and "or": the parts of websearch_to_tsquery's syntax that a word list cannot express.
WEBSEARCH_SYNTAX = re.compile(r'"|(?:^|\s)-|\bor\b', re.IGNORECASE)


def search_terms(text: str) -> tuple[list[str], list[str]]:
    """(words, excluded words) of a free-text search: the words of three letters or more, and the
    ones excluded with websearch's "-word"; at most eight of each, lower case, letters and digits
    only (so that each is safe inside to_tsquery's syntax)."""
    text = text.lower()
    excluded = re.findall(r"(?:^|\s)-([^\W_]+)", text)
    words = re.findall(r"[^\W_]{3,}", re.sub(r"(?:^|\s)-\S+", " ", text))
    return words[:8], excluded[:8]


def allowed_edits(word: str) -> int:
    """How many edits still make a misspelling of a word this long rather than another word."""
    return 1 if len(word) < 7 else 2


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swapped neighbours."""
    before, previous = [], list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, before[j - 2] + 1)
            current.append(value)
        before, previous = previous, current
    return previous[-1]
