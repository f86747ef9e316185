"""Results as CSV and XLSX, the QR code, and the trend chart: each from feedback.results' objects, so the
anonymity rule that hid a figure on the page hides it here too."""

import io
from decimal import Decimal

import segno
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kokemuspankki.spreadsheets import csv_bytes, defuse, xlsx_value

from .models import ItemKind
from .results import RoundResults, TrendPoint

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def results_rows(results: RoundResults) -> list[list]:
    """One table: a row per item (n, mean, people per star, "I cannot say"), then the choices and the
    texts of the items that show. A hidden round or item says so instead of giving figures."""
    header = [_("Question"), _("Section"), _("Answered"), _("Mean"), "1", "2", "3", "4", "5", _("I cannot say")]
    rows: list[list] = [[results.round.title], [_("Answers"), results.answers], header]
    if not results.shown:
        rows.append([_("Results show when at least %(n)d have answered.") % {"n": results.threshold}])
        return rows
    for result in results.items:
        item = result.item
        if not result.shown:
            rows.append([item.text, item.section, _("hidden: fewer than %(n)d answered") % {"n": results.threshold}])
        elif item.kind == ItemKind.SCALE:
            rows.append([item.text, item.section, result.n, result.mean, *result.distribution, result.dont_know])
        elif item.kind == ItemKind.CHOICE:
            rows.append([item.text, item.section, result.n])
            rows += [["", label, count] for label, count in result.choices]
        else:
            rows.append([item.text, item.section, result.n])
            rows += [["", text] for text in result.texts]
    for section in results.sections():
        rows.append([_("Average"), section.name, section.n, section.mean])
    return rows


def results_csv(results: RoundResults) -> bytes:
    def cell(value):
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return defuse(str(value))

    return csv_bytes([[cell(value) for value in row] for row in results_rows(results)])


def results_xlsx(results: RoundResults) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    for row in results_rows(results):
        sheet.append([xlsx_value(defuse(value)) if isinstance(value, str) else value for value in row])
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["B"].width = 24
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def qr_svg(link: str, *, title: str, standalone: bool = False) -> SafeString | bytes:
    """The link as a QR code: inline SVG for the poster (sized by CSS), or an SVG file."""
    code = segno.make(link, error="m", micro=False)
    if standalone:
        buffer = io.BytesIO()
        code.save(buffer, kind="svg", scale=10, title=title)
        return buffer.getvalue()
    return mark_safe(code.svg_inline(scale=1, omitsize=True, title=title, svgclass="qr"))  # noqa: S308 - segno's SVG


CHART_WIDTH, CHART_HEIGHT, MARGIN = 640, 260, 36


def trend_chart(keys: list[tuple[str, str]], points: list[TrendPoint]) -> SafeString:
    """A line per question over the series' rounds, 1–5 on the y axis; hidden means are gaps. The page
    shows the same figures as a table, which is what a screen reader reads (the chart is aria-hidden)."""
    if not points:
        return SafeString("")
    step = (CHART_WIDTH - 2 * MARGIN) / max(len(points) - 1, 1)

    def y(value: Decimal) -> float:
        return MARGIN + (5 - float(value)) / 4 * (CHART_HEIGHT - 2 * MARGIN)

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/><text x="{}" y="{}" class="axis">{}</text>',
        ((MARGIN, CHART_WIDTH - MARGIN, y(v), y(v), MARGIN - 8, y(v) + 4, v) for v in range(1, 6)),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="axis" text-anchor="middle">{}</text>',
        ((MARGIN + i * step, CHART_HEIGHT - 8, i + 1) for i in range(len(points))),
    )
    lines = []
    for index, (key, _text) in enumerate(keys):
        segments, current = [], []
        for i, point in enumerate(points):
            value = point.means.get(key)
            if value is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append((MARGIN + i * step, y(value)))
        if current:
            segments.append(current)
        for segment in segments:
            path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in segment)
            lines.append(format_html('<polyline points="{}" class="series series-{}"/>', path, index % 8))
            lines += [
                format_html(
                    '<circle cx="{}" cy="{}" r="4" class="series series-{}"/>', f"{x:.1f}", f"{yy:.1f}", index % 8
                )
                for x, yy in segment
            ]
    return format_html(
        '<svg class="trend-chart" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">{}{}{}</svg>',
        CHART_WIDTH,
        CHART_HEIGHT,
        grid,
        labels,
        mark_safe("".join(lines)),  # noqa: S308 - each part made by format_html above
    )
