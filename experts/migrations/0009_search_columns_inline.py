"""Keep the search columns in the profile's row (STORAGE MAIN) instead of apart in the TOAST table.

A search document with its stored word forms is ~2 KB, and PostgreSQL moves a row's large values
out of the row once it passes ~2 KB: every profile a search condition read then cost a lookup in the
TOAST table's index and one or more page reads more. The sequential scan that a capped count of a
broad word uses read ~3 pages a row ("skitsofernia" at 50,000 profiles: 52 ms → 21 ms; a free-text
search with facets and a date: 29 ms → 16 ms; make bench, README). MAIN keeps a value in the row
(compressed where that helps) unless the row would pass a whole page (~8 KB).
"""

from django.db import migrations

COLUMNS = ("search_document", "heading_document", "search_text")


def alter(storage: str) -> str:
    columns = ", ".join(f'ALTER COLUMN "{column}" SET STORAGE {storage}' for column in COLUMNS)
    return f'ALTER TABLE "experts_expertprofile" {columns}'


# SET STORAGE applies to values written after it: write the stored ones again (a new value of the
# same content; an unchanged value would keep its place in the TOAST table).
REWRITE = (
    "UPDATE \"experts_expertprofile\" SET search_document = search_document || ''::tsvector, "
    "heading_document = heading_document || ''::tsvector, search_text = search_text || '' "
    "WHERE search_document IS NOT NULL"
)


class Migration(migrations.Migration):
    dependencies = [("experts", "0008_search_words")]

    operations = [
        migrations.RunSQL(sql=[alter("MAIN"), REWRITE], reverse_sql=[alter("EXTENDED")]),
    ]
