"""The region brief as a PDF: the picture on two A4 pages, the ALKE sections on two more.

(fpdf2, DejaVu Sans from matplotlib's fonts.)

It lays out a RegionPicture (presentation/region.py), the view-model the region page shows too.
The font files ship inside matplotlib, so ä, ö and å print (and extract) correctly on any
machine without system fonts. The two-page limit is enforced: when the content does not fit,
the layout is compacted step by step (smaller type, fewer sentences with a "… and n more" line);
if even the most compact layout needs a third page for the picture (or a fifth in all, a sixth
with the region's own text), BriefTooLong is raised instead of printing it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableBordersLayout, XPos, YPos

from presentation.alke import AlkePicture
from presentation.alke_charts import FAST_SIZE, AlkeCharts, alke_charts
from presentation.display import Cell, Table
from presentation.i18n import t
from presentation.palette import BAD, GOOD, HIGHLIGHT, INK, MUTED, rgb
from presentation.region import RegionPicture
from presentation.static_charts import RADAR_SIZE, BriefCharts, brief_charts

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"
MAX_PAGES = 2
# The ALKE sections follow each other from a third page on and take two pages (fast picture,
# alerts, industry structure, EU twins, the region's own assessment or how to add one); a
# region's own text one more page.
ALKE_PAGES = 2
KEEP_WITH_HEADING = 40.0  # mm of a section kept on the page of its heading
ASSESSMENT_PAGES = 1
FAST_CHART_WIDTH = 150.0
MARGIN = 14.0
TONE_COLOURS = {"": rgb(INK), "strong": rgb(INK), "good": rgb(GOOD), "bad": rgb(BAD),
                "muted": rgb(MUTED)}
RULE = rgb(HIGHLIGHT)
MARKUP = ("**", "__", "--")  # fpdf2's cell Markdown markers: such text is printed plain
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


def _cell_style(value: Cell, markdown: bool) -> tuple[str, tuple[int, int, int]]:
    """Return (text, colour) of a display cell: strong spans bold (with markdown), one colour.

    A cell whose spans all share one tone takes that tone's colour; a mixed cell is ink (the
    print tables keep a value and its change in separate cells).
    """
    tones = {s.tone for s in value}
    colour = TONE_COLOURS[tones.pop()] if len(tones) == 1 else TONE_COLOURS[""]
    text = " ".join(f"**{s.text}**" if markdown and s.tone == "strong" else s.text
                    for s in value)
    return text, colour


class _Brief(FPDF):
    """FPDF with the brief's fonts, margins and footer."""

    def __init__(self, content: RegionPicture, layout: Layout) -> None:
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

    def font(self, points: float, bold: bool = False,
             colour: tuple[int, int, int] = TONE_COLOURS[""]) -> None:
        """Set the brief font, size (scaled) and colour."""
        self.set_font(FAMILY, "B" if bold else "", self.size(points))
        self.set_text_color(*colour)

    def footer(self) -> None:
        """Print the title, the generation line and 'page n/N' at the bottom of every page."""
        self.set_y(-10)
        self.font(6.5, colour=rgb(MUTED))
        self.cell(self.epw * 0.8, 4, f"{self.content.doc_title} · {self.content.generated_text}",
                  align=Align.L)
        self.cell(self.epw * 0.2, 4, t("brief.page", self.content.lang, page=self.page_no(),
                                       pages="{nb}"), align=Align.R)

    def heading(self, text: str, size: float = 11, keep: float = 0) -> None:
        """Print a section heading with a little space above it.

        keep: millimetres of the section that must fit below the heading on the same page;
        when they would not, the heading starts the next page (never alone at a page's foot).
        """
        if keep and self.will_page_break(keep):
            self.add_page()
        self.ln(2.2 * self.layout.scale)
        self.font(size, bold=True)
        self.multi_cell(0, self.size(size) * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(0.8)

    def para(self, text: str, size: float = 8,
             colour: tuple[int, int, int] = TONE_COLOURS[""], bold: bool = False,
             width: float = 0) -> None:
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


def _header(pdf: _Brief, c: RegionPicture) -> None:
    """Print the kicker, the region name, the data-date line, the ages and the notices."""
    pdf.para(c.kicker, 7.5, rgb(MUTED))
    pdf.ln(0.5)
    pdf.font(22, bold=True)
    pdf.multi_cell(0, pdf.size(22) * 0.45, c.region_name, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    pdf.ln(0.8)
    pdf.para(c.subtitle, 7.5, rgb(MUTED))
    pdf.para(c.ages_text, 8, bold=True)
    for notice in c.notices:
        pdf.para(notice, 7.8, rgb(BAD), bold=True)
    pdf.ln(1.2)
    pdf.rule()


def _table(pdf: _Brief, table: Table, widths: tuple[float, ...], size: float,
           width: float | None = None) -> None:
    """Print a display table: headings, then rows (a first cell all strong = a shaded row)."""
    pdf.font(size)
    align = tuple("RIGHT" if table.alignment(i) == "right" else "LEFT"
                  for i in range(len(table.columns)))
    texts = [*table.columns, *(s.text for row in table.rows for c in row for s in c)]
    markdown = not any(marker in text for text in texts for marker in MARKUP)
    with pdf.table(col_widths=widths, width=width or sum(widths), text_align=align,
                   markdown=markdown, **_table_style(pdf)) as out:
        out.row(list(table.columns))
        for row in table.rows:
            emphasised = bool(row[0]) and all(s.tone == "strong" for s in row[0])
            cells = out.row()
            for value in row:
                text, colour = _cell_style(value, markdown and not emphasised)
                style = FontFace(family=FAMILY, emphasis="B" if emphasised else "",
                                 color=colour, size_pt=pdf.size(size + (0.6 if emphasised
                                                                         else 0)),
                                 fill_color=OVERALL_FILL if emphasised else None)
                cells.cell(text, style=style)


def _scores(pdf: _Brief, c: RegionPicture) -> None:
    """Print the scores table across the page, then its note (and a plain 'no data' line)."""
    pdf.heading(c.labels["scores_title"])
    _table(pdf, c.scores_table, (40, 15, 17, 19, 36, 36, 19), 7.4, width=pdf.epw)
    pdf.ln(1.2)
    for note in c.card_notes:
        pdf.para(note, 7.2, rgb(BAD))
    pdf.para(c.scores_note, 6.3, rgb(MUTED))
    if c.no_scores_text:
        pdf.ln(1)
        pdf.para(c.no_scores_text, 8, rgb(BAD), bold=True)


RADAR_WIDTH = 64.0


def _limited(items: tuple[str, ...], limit: int | None, c: RegionPicture) -> list[str]:
    """Return at most limit sentences, with a '… and n more' line when some were left out."""
    if limit is None or len(items) <= limit:
        return list(items)
    return [*items[:limit], t("brief.sw_more", c.lang, n=len(items) - limit)]


def _strengths(pdf: _Brief, c: RegionPicture, charts: BriefCharts) -> None:
    """Print the strengths, weaknesses and best/worst ranks beside the radar, then the rule."""
    pdf.heading(c.labels["sw_title"])
    top = pdf.get_y()
    radar_x = pdf.w - pdf.r_margin - RADAR_WIDTH
    pdf.image(io.BytesIO(charts.radar), x=radar_x, y=top, w=RADAR_WIDTH)
    radar_bottom = top + RADAR_WIDTH * RADAR_SIZE[1] / RADAR_SIZE[0]
    pdf.set_y(radar_bottom)
    pdf.set_x(radar_x)
    pdf.font(6.3, colour=rgb(MUTED))
    pdf.multi_cell(RADAR_WIDTH, pdf.size(6.3) * 0.45, c.radar.caption, align=Align.C,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    radar_bottom = pdf.get_y()
    pdf.set_y(top)
    pdf.set_right_margin(MARGIN + RADAR_WIDTH + 4)
    for heading, items, empty, symbol, colour in (
            (c.labels["strengths"], c.strengths, c.strengths_empty, "▲", rgb(GOOD)),
            (c.labels["weaknesses"], c.weaknesses, c.weaknesses_empty, "▼", rgb(BAD))):
        pdf.para(heading, 8.5, bold=True)
        shown = _limited(items, pdf.layout.max_sentences, c)
        if not shown:
            pdf.para(empty, 7.8, rgb(MUTED))
        for text in shown:
            pdf.font(7.8, colour=colour)
            pdf.cell(4, pdf.size(7.8) * 0.46, symbol)
            pdf.font(7.8)
            pdf.multi_cell(0, pdf.size(7.8) * 0.46, text, align=Align.L, new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
        pdf.ln(0.8)
    if c.extremes:
        pdf.para(c.labels["extremes"], 8.5, bold=True)
        for text in c.extremes:
            pdf.para(text, 7.8)
        pdf.ln(0.8)
    pdf.para(c.sw_rule, 6.5, rgb(MUTED))
    pdf.set_right_margin(MARGIN)
    pdf.set_y(max(pdf.get_y(), radar_bottom))


def _peers(pdf: _Brief, c: RegionPicture) -> None:
    """Print the region, its peers and the country side by side."""
    pdf.heading(c.labels["peers_title"])
    _table(pdf, c.peers, (34, 26, pdf.epw - 34 - 26 - 20, 20), 7.2, width=pdf.epw)
    pdf.ln(1.2)
    pdf.para(c.peers_note, 6.5, rgb(MUTED))


def _key_indicators(pdf: _Brief, c: RegionPicture) -> None:
    """Print the key indicators table: value, unit, year, change, country value."""
    pdf.heading(c.labels["key_title"])
    _table(pdf, c.key_table_print, (60, 16, 30, 20, 38, 18), 7.2, width=pdf.epw)
    pdf.ln(1.2)
    pdf.para(c.key_note, 6.5, rgb(MUTED))


def _trends(pdf: _Brief, c: RegionPicture, charts: BriefCharts) -> None:
    """Print the small trend charts across the page with their caption."""
    pdf.heading(c.labels["trends_title"])
    if charts.trends is None:
        pdf.para(c.labels["trends_none"], 8, rgb(MUTED))
        return
    height = pdf.layout.trends_height
    pdf.image(io.BytesIO(charts.trends), x=pdf.l_margin, h=height, keep_aspect_ratio=True,
              w=pdf.epw)
    pdf.para(c.trend_caption, 6.5, rgb(MUTED))


def _sources(pdf: _Brief, c: RegionPicture) -> None:
    """Print the sources with licences, the licence note, the method and the missing-mark note."""
    pdf.heading(c.labels["sources_title"], size=9.5)
    for line in c.sources:
        pdf.para(line, 6.3)
    pdf.ln(0.6)
    for text in (c.licence_note, c.method_text, c.missing_note):
        pdf.para(text, 6.3, rgb(MUTED))


def _alert_lines(pdf: _Brief, items: tuple, limit: int | None) -> None:
    """Print alert episodes: a coloured mark, when and what moved, then why it counts."""
    shown = items if limit is None else items[:limit]
    for item in shown:
        pdf.font(7.4, colour=TONE_COLOURS[item.tone])
        pdf.cell(3.5, pdf.size(7.4) * 0.46, "●")
        pdf.font(7.4)
        pdf.multi_cell(0, pdf.size(7.4) * 0.46, f"{item.span} · {item.text}", align=Align.L,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(pdf.l_margin + 3.5)
        pdf.font(6.3, colour=rgb(MUTED))
        pdf.multi_cell(0, pdf.size(6.3) * 0.46, item.rule, align=Align.L,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.6)


def _alke(pdf: _Brief, a: AlkePicture, images: AlkeCharts) -> None:
    """Print the fast picture and the alerts on their own page."""
    f = a.fast
    pdf.heading(f.title, keep=KEEP_WITH_HEADING)
    pdf.para(f.month_text, 8.5, bold=True)
    pdf.para(f.intro, 6.8, rgb(MUTED))
    pdf.ln(0.8)
    if f.table is not None:
        widths = (52, 24, 28, 24, 28, 26) if len(f.table.columns) == 6 else (70, 36, 36, 40)
        _table(pdf, f.table, widths, 7.0, width=pdf.epw)
        pdf.ln(1.0)
    for note in f.notes:
        pdf.para(note, 6.5, rgb(MUTED))
    if images.fast is not None and f.chart is not None:
        height = FAST_CHART_WIDTH * FAST_SIZE[1] / FAST_SIZE[0] * pdf.layout.scale
        pdf.image(io.BytesIO(images.fast), x=pdf.l_margin, h=height, keep_aspect_ratio=True,
                  w=pdf.epw)
        pdf.para(f.chart.caption, 6.3, rgb(MUTED))
    pdf.para(f.source, 6.3, rgb(MUTED))
    v = a.alerts
    pdf.heading(v.title, keep=KEEP_WITH_HEADING)
    pdf.para(v.intro, 6.8, rgb(MUTED))
    pdf.para(v.recent_title, 8, bold=True)
    if v.recent:
        _alert_lines(pdf, v.recent, pdf.layout.max_sentences)
    else:
        pdf.para(v.recent_empty, 7.6)
    for note in v.notes:
        pdf.para(note, 6.5, rgb(MUTED))
    if v.earlier:
        pdf.ln(0.8)
        pdf.para(v.earlier_title, 8, bold=True)
        _alert_lines(pdf, v.earlier, pdf.layout.max_sentences)
    pdf.para(v.method, 6.3, rgb(MUTED))


def _industry(pdf: _Brief, a: AlkePicture, images: AlkeCharts) -> None:
    """Print the industry structure: the chart, the largest industries, diversity and growth."""
    v = a.industry
    pdf.heading(v.title, keep=KEEP_WITH_HEADING)
    pdf.para(v.intro, 6.8, rgb(MUTED))
    if v.table_print is None:
        pdf.para(v.source, 6.3, rgb(MUTED))
        return
    if images.industry is not None and v.chart is not None:
        width = 150.0 * pdf.layout.scale
        pdf.image(io.BytesIO(images.industry), x=pdf.l_margin, w=width)
        pdf.para(v.chart.caption, 6.3, rgb(MUTED))
    pdf.ln(1.0)
    _table(pdf, v.table_print, (86, 24, 22, 24, 26), 7.0, width=pdf.epw)
    pdf.ln(1.0)
    for note in v.notes:
        pdf.para(note, 6.6, rgb(MUTED))
    for growth in v.growth:
        pdf.ln(0.6)
        pdf.para(growth.title, 7.8, bold=True)
        for line in growth.lines:
            pdf.para(f"– {line}", 7.0)
    pdf.para(v.source, 6.3, rgb(MUTED))


def _twins(pdf: _Brief, a: AlkePicture) -> None:
    """Print the EU twins and the region against them."""
    v = a.twins
    pdf.heading(v.title, keep=KEEP_WITH_HEADING)
    pdf.para(v.intro, 6.8, rgb(MUTED))
    pdf.ln(0.8)
    if v.twins is not None:
        _table(pdf, v.twins, (12, 90, 20, 24), 7.0, width=146)
        pdf.ln(1.0)
    if v.compare is not None:
        pdf.para(v.compare_title, 8, bold=True)
        _table(pdf, v.compare, (70, 14, 24, 24, 30, 20), 7.0, width=pdf.epw)
        pdf.ln(1.0)
    for note in v.notes:
        pdf.para(note, 6.5, rgb(MUTED))


def _assessment(pdf: _Brief, a: AlkePicture) -> None:
    """Print the region's own text, marked as the region's (plain text), or how to add one."""
    v = a.assessment
    pdf.heading(v.title, keep=KEEP_WITH_HEADING)
    if not v.present:
        pdf.para(v.missing, 8)
        pdf.para(v.how, 6.8, rgb(MUTED))
        return
    pdf.para(v.marker, 7.2, rgb(MUTED))
    pdf.rule()
    for section in v.sections:
        pdf.ln(1.0)
        pdf.para(section.heading, 8.5, bold=True)
        for kind, text in section.blocks:
            pdf.para(f"– {text}" if kind == "item" else text, 7.8)


def _render(c: RegionPicture, charts: BriefCharts, layout: Layout,
            alke: AlkePicture | None = None, images: AlkeCharts | None = None) -> _Brief:
    """Lay the brief out with one compaction step and return the document (not yet output)."""
    pdf = _Brief(c, layout)
    pdf.add_page()
    _header(pdf, c)
    _scores(pdf, c)
    _strengths(pdf, c, charts)
    _peers(pdf, c)
    pdf.add_page()
    _key_indicators(pdf, c)
    _trends(pdf, c, charts)
    _sources(pdf, c)
    pdf.annual_pages = pdf.pages_count
    if alke is not None:
        pdf.add_page()
        images = images or alke_charts(alke)
        _alke(pdf, alke, images)
        _industry(pdf, alke, images)
        _twins(pdf, alke)
        if alke.assessment.present:
            pdf.add_page()
        _assessment(pdf, alke)
    return pdf


def page_limit(alke: AlkePicture | None) -> int:
    """Return the most pages a brief may have: two, plus the ALKE page and the region's text."""
    if alke is None:
        return MAX_PAGES
    return MAX_PAGES + ALKE_PAGES + (ASSESSMENT_PAGES if alke.assessment.present else 0)


def pdf_bytes(content: RegionPicture, charts: BriefCharts | None = None,
              alke: AlkePicture | None = None, alke_images: AlkeCharts | None = None) -> bytes:
    """Return the brief as PDF bytes (raise BriefTooLong when it does not fit).

    The picture takes at most two A4 pages, the ALKE sections two more, and the region's own
    text, when there is one, one more.
    """
    check_fonts()
    charts = charts or brief_charts(content)
    images = alke_images or (alke_charts(alke) if alke is not None else None)
    pages, limit = 0, page_limit(alke)
    for layout in LAYOUTS:
        pdf = _render(content, charts, layout, alke, images)
        pages = pdf.pages_count
        if pdf.annual_pages <= MAX_PAGES and pages <= limit:
            return bytes(pdf.output())
    raise BriefTooLong(f"The brief of {content.area_code} ({content.lang}) needs {pages} pages "
                       f"even in the most compact layout; at most {limit} are allowed.")
