"""The region brief as a PDF of at most two A4 pages (fpdf2, DejaVu Sans from matplotlib's fonts).

The font files ship inside matplotlib, so ä, ö and å print (and extract) correctly on any
machine without system fonts. The two-page limit is enforced: when the content does not fit,
the layout is compacted step by step (smaller type, fewer sentences with a "… and n more" line);
if even the most compact layout needs a third page, BriefTooLong is raised instead of printing it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableBordersLayout, XPos, YPos

from report.content import BriefContent, ScoreRow
from report.static_charts import RADAR_SIZE, BriefCharts, brief_charts
from report.texts import rt

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"
MAX_PAGES = 2
MARGIN = 14.0
INK = (26, 26, 26)
MUTED = (90, 90, 90)
GOOD = (0, 114, 178)  # ui/charts.py GOOD: change in the good direction
BAD = (179, 71, 0)  # ui/charts.py BAD: change in the bad direction
RULE = (0, 114, 178)
HEAD_FILL = (232, 240, 247)
OVERALL_FILL = (245, 245, 245)


class BriefTooLong(RuntimeError):
    """Raised when a brief does not fit on two A4 pages even in the most compact layout."""


@dataclass(frozen=True)
class Layout:
    """One compaction step: type scale, sentences shown per kind (None = all), trend height."""

    scale: float
    max_sentences: int | None
    trends_height: float


LAYOUTS = (Layout(1.0, None, 92.0), Layout(0.94, 6, 84.0), Layout(0.88, 4, 76.0),
           Layout(0.82, 3, 68.0))


def check_fonts() -> None:
    """Raise FileNotFoundError naming the font files when matplotlib's DejaVu fonts are missing."""
    missing = [str(p) for p in (REGULAR_FONT, BOLD_FONT) if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"The brief's fonts are missing: {', '.join(missing)} "
                                "(they ship with matplotlib; reinstall it).")


def _colour(good: bool | None) -> tuple[int, int, int]:
    """Return the text colour of a change: blue when good, dark orange when bad, else ink."""
    return GOOD if good is True else BAD if good is False else INK


class _Brief(FPDF):
    """FPDF with the brief's fonts, margins and footer."""

    def __init__(self, content: BriefContent, layout: Layout) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.content = content
        self.layout = layout
        self.add_font(FAMILY, "", str(REGULAR_FONT))
        self.add_font(FAMILY, "B", str(BOLD_FONT))
        self.set_margins(MARGIN, 12, MARGIN)
        self.set_auto_page_break(True, margin=13)
        self.set_title(content.doc_title)
        self.set_lang(content.lang)
        self.set_creator("Tilannekuva")
        self.set_author("Tilannekuva")
        self.set_subject(content.kicker)

    def size(self, points: float) -> float:
        """Return a font size scaled by the layout."""
        return points * self.layout.scale

    def font(self, points: float, bold: bool = False, colour: tuple[int, int, int] = INK
             ) -> None:
        """Set the brief font, size (scaled) and colour."""
        self.set_font(FAMILY, "B" if bold else "", self.size(points))
        self.set_text_color(*colour)

    def footer(self) -> None:
        """Print the title, the generation line and 'page n/N' at the bottom of every page."""
        self.set_y(-10)
        self.font(6.5, colour=MUTED)
        self.cell(self.epw * 0.8, 4, f"{self.content.doc_title} · {self.content.generated_text}",
                  align=Align.L)
        self.cell(self.epw * 0.2, 4, rt("brief.page", self.content.lang, page=self.page_no(),
                                        pages="{nb}"), align=Align.R)

    def heading(self, text: str, size: float = 11) -> None:
        """Print a section heading with a little space above it."""
        self.ln(2.2 * self.layout.scale)
        self.font(size, bold=True)
        self.multi_cell(0, self.size(size) * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(0.8)

    def para(self, text: str, size: float = 8, colour: tuple[int, int, int] = INK,
             bold: bool = False, width: float = 0) -> None:
        """Print a wrapped paragraph."""
        if not text:
            return
        self.font(size, bold=bold, colour=colour)
        self.multi_cell(width, self.size(size) * 0.46, text, align=Align.L,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rule(self) -> None:
        """Draw a thin blue line across the page."""
        self.set_draw_color(*RULE)
        self.set_line_width(0.5)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_line_width(0.2)


def _table_style(pdf: _Brief) -> dict:
    """Return the keyword arguments shared by the brief's tables."""
    return dict(align="LEFT", borders_layout=TableBordersLayout.HORIZONTAL_LINES,
                headings_style=FontFace(emphasis="B", fill_color=HEAD_FILL,
                                        size_pt=pdf.size(6.6)),
                line_height=pdf.size(7.6) * 0.45, padding=(0.7, 1.0, 0.7, 1.0),
                v_align="MIDDLE")


def _header(pdf: _Brief, c: BriefContent) -> None:
    """Print the kicker, the region name and the data-date line."""
    pdf.para(c.kicker, 7.5, MUTED)
    pdf.ln(0.5)
    pdf.font(22, bold=True)
    pdf.multi_cell(0, pdf.size(22) * 0.45, c.region_name, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    pdf.ln(0.8)
    pdf.para(c.subtitle, 7.5, MUTED)
    pdf.ln(1.2)
    pdf.rule()


def _score_cells(row: ScoreRow) -> list[tuple[str, tuple[int, int, int]]]:
    """Return the (text, colour) cells of one score row."""
    return [(row.label, INK), (row.score_text, INK), (row.rank_text, INK),
            (row.interval_text, INK), (row.change_1y_text, _colour(row.change_1y_good)),
            (row.change_5y_text, _colour(row.change_5y_good))]


def _scores(pdf: _Brief, c: BriefContent, charts: BriefCharts) -> None:
    """Print the scores table beside the radar, then the note (and a plain 'no data' line)."""
    pdf.heading(c.labels["scores_title"])
    top = pdf.get_y()
    radar_w = 71.0
    radar_x = pdf.w - pdf.r_margin - radar_w
    pdf.image(io.BytesIO(charts.radar), x=radar_x, y=top, w=radar_w)
    radar_bottom = top + radar_w * RADAR_SIZE[1] / RADAR_SIZE[0]
    lab = c.labels
    widths = (32, 12, 15, 18.5, 16, 16)  # the longest heading and cell texts fit unbroken
    pdf.font(7.8)
    with pdf.table(col_widths=widths, width=sum(widths),
                   text_align=("LEFT", "RIGHT", "RIGHT", "CENTER", "RIGHT", "RIGHT"),
                   **_table_style(pdf)) as table:
        table.row([lab["col_dimension"], lab["col_score"], lab["col_rank"], lab["col_interval"],
                   lab["col_change_1y"], lab["col_change_5y"]])
        for i, row in enumerate(c.scores):
            overall = i == 0
            cells = table.row()
            for text, colour in _score_cells(row):
                cells.cell(text, style=FontFace(
                    family=FAMILY, emphasis="B" if overall else "", color=colour,
                    size_pt=pdf.size(8.6 if overall else 7.8),
                    fill_color=OVERALL_FILL if overall else None))
    pdf.ln(1.5)
    pdf.para(c.scores_note, 6.5, MUTED, width=sum(widths))
    if c.no_scores_text:
        pdf.ln(1)
        pdf.para(c.no_scores_text, 8, BAD, bold=True, width=sum(widths))
    pdf.set_y(max(pdf.get_y(), radar_bottom))
    pdf.set_x(radar_x)
    pdf.font(6.3, colour=MUTED)
    pdf.multi_cell(radar_w, pdf.size(6.3) * 0.45, c.radar.caption, align=Align.C,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _limited(items: tuple[str, ...], limit: int | None, c: BriefContent) -> list[str]:
    """Return at most limit sentences, with a '… and n more' line when some were left out."""
    if limit is None or len(items) <= limit:
        return list(items)
    return [*items[:limit], rt("brief.sw_more", c.lang, n=len(items) - limit)]


def _strengths(pdf: _Brief, c: BriefContent) -> None:
    """Print the strengths and weaknesses as sentences, with the rule that chose them."""
    pdf.heading(c.labels["sw_title"])
    for heading, items, symbol, colour in (
            (c.labels["strengths"], c.strengths, "▲", GOOD),
            (c.labels["weaknesses"], c.weaknesses, "▼", BAD)):
        pdf.para(heading, 8.5, bold=True)
        shown = _limited(items, pdf.layout.max_sentences, c)
        if not shown:
            pdf.para(c.sw_empty_text, 7.8, MUTED)
        for text in shown:
            pdf.font(7.8, colour=colour)
            pdf.cell(4, pdf.size(7.8) * 0.46, symbol)
            pdf.font(7.8)
            pdf.multi_cell(0, pdf.size(7.8) * 0.46, text, align=Align.L, new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
        pdf.ln(0.8)
    pdf.para(c.sw_rule, 6.5, MUTED)


def _peers(pdf: _Brief, c: BriefContent) -> None:
    """Print the region, its peers and the country side by side."""
    pdf.heading(c.labels["peers_title"])
    n = len(c.peers.columns) - 1
    first = 44.0
    widths = (first, *([(pdf.epw - first) / n] * n))
    pdf.font(7.6)
    with pdf.table(col_widths=widths, text_align=("LEFT", *(["RIGHT"] * n)),
                   **_table_style(pdf)) as table:
        table.row(list(c.peers.columns))
        for i, cells in enumerate(c.peers.rows):
            style = FontFace(family=FAMILY, emphasis="B" if i == 0 else "", color=INK,
                             size_pt=pdf.size(7.6), fill_color=OVERALL_FILL if i == 0 else None)
            table.row(list(cells), style=style)
    pdf.ln(1.2)
    pdf.para(c.peers_note, 6.5, MUTED)


def _key_indicators(pdf: _Brief, c: BriefContent) -> None:
    """Print the key indicators table: value, year, change, country value."""
    pdf.heading(c.labels["key_title"])
    lab = c.labels
    widths = (66, 18, 42, 13, 24, 19)
    pdf.font(7.4)
    with pdf.table(col_widths=widths, width=pdf.epw,
                   text_align=("LEFT", "RIGHT", "LEFT", "CENTER", "RIGHT", "RIGHT"),
                   **_table_style(pdf)) as table:
        table.row([lab["col_indicator"], lab["col_value"], lab["col_unit"], lab["col_year"],
                   lab["col_change"], lab["col_country"]])
        for row in c.key_rows:
            cells = table.row()
            for text, colour in ((row.label, INK), (row.value_text, INK), (row.unit, MUTED),
                                 (row.year_text, INK),
                                 (row.change_text, _colour(row.change_good)),
                                 (row.country_text, INK)):
                cells.cell(text, style=FontFace(family=FAMILY, emphasis="", color=colour,
                                                size_pt=pdf.size(7.4)))
    pdf.ln(1.2)
    pdf.para(c.key_note, 6.5, MUTED)


def _trends(pdf: _Brief, c: BriefContent, charts: BriefCharts) -> None:
    """Print the small trend charts across the page with their caption."""
    pdf.heading(c.labels["trends_title"])
    if charts.trends is None:
        pdf.para(c.labels["trends_none"], 8, MUTED)
        return
    height = pdf.layout.trends_height
    pdf.image(io.BytesIO(charts.trends), x=pdf.l_margin, h=height, keep_aspect_ratio=True,
              w=pdf.epw)
    pdf.para(c.trend_caption, 6.5, MUTED)


def _sources(pdf: _Brief, c: BriefContent) -> None:
    """Print the sources with licences, the licence note, the method and the missing-mark note."""
    pdf.heading(c.labels["sources_title"], size=9.5)
    for line in c.sources:
        pdf.para(line, 6.3)
    pdf.ln(0.6)
    for text in (c.licence_note, c.method_text, c.missing_note):
        pdf.para(text, 6.3, MUTED)


def _render(c: BriefContent, charts: BriefCharts, layout: Layout) -> _Brief:
    """Lay the brief out with one compaction step and return the document (not yet output)."""
    pdf = _Brief(c, layout)
    pdf.add_page()
    _header(pdf, c)
    _scores(pdf, c, charts)
    _strengths(pdf, c)
    _peers(pdf, c)
    pdf.add_page()
    _key_indicators(pdf, c)
    _trends(pdf, c, charts)
    _sources(pdf, c)
    return pdf


def pdf_bytes(content: BriefContent, charts: BriefCharts | None = None) -> bytes:
    """Return the brief as PDF bytes, at most two A4 pages (raise BriefTooLong otherwise)."""
    check_fonts()
    charts = charts or brief_charts(content)
    pages = 0
    for layout in LAYOUTS:
        pdf = _render(content, charts, layout)
        pages = pdf.pages_count
        if pages <= MAX_PAGES:
            return bytes(pdf.output())
    raise BriefTooLong(f"The brief of {content.area_code} ({content.lang}) needs {pages} pages "
                       f"even in the most compact layout; at most {MAX_PAGES} are allowed.")
