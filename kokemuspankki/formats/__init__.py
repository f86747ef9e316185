"""Date, time and number formats as Finland writes them (FORMAT_MODULE_PATH; GLOSSARY.md, "Numbers,
money, dates, times"). Each module changes only what Django's own locale gets wrong for us; the rest
comes from Django's (Finnish needs no module of its own: 24.11.2026, 9.05)."""
