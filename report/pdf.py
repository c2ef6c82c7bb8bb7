"""The region brief as a PDF: at most two A4 pages, and a third for the region's own text.

(fpdf2, DejaVu Sans from matplotlib's fonts.)

It lays out a RegionPicture (presentation/region.py), the view-model the region page shows too,
and the ALKE sections (presentation/alke.py). The font files ship inside matplotlib, so ä, ö and
å print (and extract) correctly on any machine without system fonts.

Page 1 holds the annual picture: the header with the ages and the notices, the index and the
dimensions, the strengths and weaknesses beside the radar, the peers (one column per region),
the trends of the key indicators with a comparable series and the key indicators table, whose
last rows may go on at the top of page 2 under their headings again. Page 2 then the fast
picture (its table beside the 24 months), the newest structural-change alerts, the industry
profile (its chart beside the growth lines), a line pointing to the EU comparison on the
region page, a line on the region's own assessment and the sources. The sections flow on and
each keeps together, so nothing is cut at a page's edge and no heading is left alone at a
page's foot. When the content does not fit, fewer sentences and alerts are printed step by
step, each time with a line saying how many more there are and where (the type never
shrinks); if even the shortest layout needs a third page, BriefTooLong is raised. The region's
own text, when there is one, takes page 3 alone (what would not fit there is left to the
region page, and a line says so).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace
from fpdf.enums import Align, MethodReturnValue, TableBordersLayout, XPos, YPos

from presentation.alke import AlkePicture
from presentation.alke_charts import AlkePrintCharts, alke_print_charts
from presentation.display import Cell, Table
from presentation.i18n import t
from presentation.palette import BAD, GOOD, HIGHLIGHT, INK, MUTED, rgb
from presentation.region import RegionPicture
from presentation.static_charts import RADAR_SIZE, BriefCharts, brief_charts
from report import selection

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"
MAX_PAGES = 2  # the picture and the ALKE sections
ASSESSMENT_PAGES = 1  # the region's own text, alone on its page
MARGIN = 12.0
TOP_MARGIN = 10.0
BOTTOM_MARGIN = 11.0
TONE_COLOURS = {"": rgb(INK), "strong": rgb(INK), "good": rgb(GOOD), "bad": rgb(BAD),
                "muted": rgb(MUTED)}
RULE = rgb(HIGHLIGHT)
MARKUP = ("**", "__", "--")  # fpdf2's cell Markdown markers: such text is printed plain
HEAD_FILL = (232, 240, 247)
OVERALL_FILL = (245, 245, 245)
# Type sizes (pt): body text, tables, notes and captions, headings. Never scaled down.
BODY = 7.5
TABLE = 7.0
TABLE_HEAD = 6.8
NOTE = 6.4
HEADING = 9.5
SUBHEADING = 7.8
OWN_TEXT = 8.5  # the region's own text, on its own page
NOTE_LINE = 7.0  # a one-line note (the EU comparison, the assessment)
KEEP_WITH_HEADING = 22.0  # mm of a flowing section kept on the page of its heading
LEADING = 0.41  # mm of line height per pt of type (about 1.16 times the size)
RADAR_WIDTH = 56.0
FAST_TABLE_WIDTH = 110.0
INDUSTRY_CHART_WIDTH = 74.0
GAP = 4.0
MIN_ROWS_OVER = 3  # rows of a table split over two pages kept on either page
PT = 25.4 / 72  # mm per point
WIDEST_CHAR = 0.72  # em: wider than DejaVu Sans' letters and figures on average
CELL_PADDING = 0.9  # mm left and right of a table cell's text


class BriefTooLong(RuntimeError):
    """Raised when a brief does not fit on two A4 pages even in the most compact layout."""


@dataclass(frozen=True)
class Layout:
    """One compaction step: sentences shown per kind (None = all) and alert episodes shown."""

    max_sentences: int | None
    max_alerts: int


LAYOUTS = (Layout(None, selection.MAX_ALERTS), Layout(6, selection.MAX_ALERTS),
           Layout(4, selection.MAX_ALERTS), Layout(3, 1))


def check_fonts() -> None:
    """Raise FileNotFoundError naming the font files when matplotlib's DejaVu fonts are missing."""
    missing = [str(p) for p in (REGULAR_FONT, BOLD_FONT) if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"The brief's fonts are missing: {', '.join(missing)} "
                                "(they ship with matplotlib; reinstall it).")


def png_size(png: bytes) -> tuple[int, int]:
    """Return a PNG's (width, height) in pixels, read from its header."""
    return struct.unpack(">II", png[16:24])


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
    """FPDF with the brief's fonts, margins and footer.

    A measuring twin (fonts_from = the brief it measures for) has one very tall page, no page
    breaks and no footer: a section is drawn on it first to learn its height (measure()), so
    the brief can keep the section together; the twin is never output.
    """

    def __init__(self, content: RegionPicture, layout: Layout,
                 fonts_from: _Brief | None = None) -> None:
        measuring = fonts_from is not None
        super().__init__(orientation="P", unit="mm", format=(210, 3000) if measuring else "A4")
        self.content = content
        self.layout = layout
        self.measuring = measuring
        self._twin: _Brief | None = None
        if fonts_from is None:
            self.add_font(FAMILY, "", str(REGULAR_FONT))
            self.add_font(FAMILY, "B", str(BOLD_FONT))
        else:  # the same parsed fonts (a measuring brief is never output)
            self.fonts.update(fonts_from.fonts)
        self.set_margins(MARGIN, TOP_MARGIN, MARGIN)
        self.set_auto_page_break(not measuring, margin=BOTTOM_MARGIN)
        if measuring:
            return
        self.set_title(content.doc_title)
        self.set_lang(content.lang)
        self.set_creator("Tilannekuva")
        self.set_author("Tilannekuva")
        self.set_subject(content.kicker)

    def footer(self) -> None:
        """Print the title, the generation line and 'page n/N' at the bottom of every page."""
        if self.measuring:
            return
        self.set_y(-9.5)
        self.font(6.5, colour=rgb(MUTED))
        self.cell(self.epw * 0.8, 4, f"{self.content.doc_title} · {self.content.generated_text}",
                  align=Align.L)
        self.cell(self.epw * 0.2, 4, t("brief.page", self.content.lang, page=self.page_no(),
                                       pages="{nb}"), align=Align.R)

    def font(self, points: float, bold: bool = False,
             colour: tuple[int, int, int] = TONE_COLOURS[""]) -> None:
        """Set the brief font, size and colour."""
        self.set_font(FAMILY, "B" if bold else "", points)
        self.set_text_color(*colour)

    def measure(self, draw: Callable[[_Brief], None]) -> float:
        """Return the height (mm) draw(pdf) takes, drawn on the measuring twin at this x."""
        if self._twin is None:
            self._twin = _Brief(self.content, self.layout, fonts_from=self)
            self._twin.add_page()
        twin = self._twin
        twin.set_xy(self.get_x(), 20.0)
        draw(twin)
        return twin.get_y() - 20.0

    def keep(self, draw: Callable[[_Brief], None], at_most: float | None = None) -> None:
        """Draw a section whole on this page, or start the next page when it would not fit.

        at_most: a generous estimate of the section's height (the _*_bound functions); when the
        page has that much room left, the section is drawn without measuring it first.
        """
        if at_most is not None and not self.will_page_break(at_most):
            draw(self)
            return
        height = self.measure(draw)
        if not self.measuring and self.will_page_break(height) and self.get_y() > self.t_margin:
            self.add_page()
        draw(self)

    def heading(self, text: str, size: float = HEADING, keep: float = 0) -> None:
        """Print a section heading with a little space above it.

        keep: millimetres of the section that must fit below the heading on the same page;
        when they would not, the heading starts the next page (never alone at a page's foot).
        """
        if keep and self.will_page_break(keep + size * 0.5 + 3):
            self.add_page()
        if self.get_y() > self.t_margin + 1:
            self.ln(1.6)
        self.font(size, bold=True)
        self.multi_cell(0, size * 0.46, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(0.5)

    def para(self, text: str, size: float = BODY,
             colour: tuple[int, int, int] = TONE_COLOURS[""], bold: bool = False,
             width: float = 0) -> None:
        """Print a wrapped paragraph (at the current x, back at the left margin after it)."""
        if not text:
            return
        self.font(size, bold=bold, colour=colour)
        self.multi_cell(width, size * LEADING, text, align=Align.L, new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)

    def lead(self, label: str, text: str, size: float = BODY) -> None:
        """Print a paragraph that starts with a bold label ('Label: text')."""
        self.font(size, bold=True)
        self.write(size * LEADING, f"{label}: ")
        self.font(size)
        self.write(size * LEADING, text)
        self.ln(size * LEADING)

    def lines_at_most(self, text: str, size: float, width: float = 0) -> int:
        """Return a generous count of a paragraph's lines, from its length (no line breaking).

        Every character is taken as WIDEST_CHAR wide, some 30 % more than DejaVu Sans' average,
        which covers the room a line loses to a word wrapped onto the next.
        """
        width = width or self.epw
        return 1 + int(len(text) * size * PT * WIDEST_CHAR / width) if text else 0

    def para_height(self, text: str, size: float, width: float = 0) -> float:
        """Return the height a paragraph would take (nothing is printed)."""
        self.font(size)
        return self.multi_cell(width, size * LEADING, text, dry_run=True,
                               output=MethodReturnValue.HEIGHT)

    def rule(self) -> None:
        """Draw a thin blue line across the page."""
        self.set_draw_color(*RULE)
        self.set_line_width(0.5)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_line_width(0.2)


def _emphasised(row: tuple[Cell, ...]) -> bool:
    """Return True for a shaded row: its first cell all strong (the overall index)."""
    return bool(row[0]) and all(s.tone == "strong" for s in row[0])


def widths(pdf: _Brief, table: Table, total: float, size: float = TABLE) -> tuple[float, ...]:
    """Return column widths summing to total, measured from the table's texts in the type used.

    When every column's widest line fits, the room left goes to the text (left-aligned)
    columns; otherwise the columns get their widest line from the narrowest up and the widest
    ones wrap (never below their longest word), so a word is never broken and the narrow
    columns of numbers stay on one line. A heading may wrap at its spaces.
    """
    n = len(table.columns)
    natural, least = [0.0] * n, [0.0] * n
    pdf.set_font(FAMILY, "B", TABLE_HEAD)
    for i, heading in enumerate(table.columns):
        words = heading.replace("\u00ad", " ").split() or [""]
        natural[i] = pdf.get_string_width(" ".join(words))
        least[i] = max(pdf.get_string_width(w) for w in words)
    for row in table.rows:
        shaded = _emphasised(row)
        for i, value in enumerate(row):
            line = longest = 0.0
            for span in value:
                bold = shaded or span.tone == "strong"
                pdf.set_font(FAMILY, "B" if bold else "", size + (0.4 if shaded else 0))
                line += pdf.get_string_width(span.text) + pdf.get_string_width(" ")
                longest = max([longest, *(pdf.get_string_width(w) for w in span.text.split())])
            natural[i] = max(natural[i], line)
            least[i] = max(least[i], longest)
    pad = 2 * CELL_PADDING + 0.6
    natural = [w + pad for w in natural]
    least = [w + pad for w in least]
    room = total - sum(natural)
    if room >= 0:
        text = [i for i in range(n) if table.alignment(i) == "left"] or list(range(n))
        weight = sum(natural[i] for i in text)
        return tuple(w + (room * w / weight if i in text else 0.0)
                     for i, w in enumerate(natural))
    if sum(least) >= total:
        return tuple(w * total / sum(least) for w in least)
    out = list(least)  # the narrowest columns get their whole line first; the widest wrap
    left = total - sum(least)
    for i in sorted(range(n), key=lambda k: natural[k]):
        extra = min(natural[i] - least[i], left)
        out[i] += extra
        left -= extra
    return tuple(out)


def _table(pdf: _Brief, table: Table, total: float | None = None, size: float = TABLE,
           column_widths: tuple[float, ...] | None = None, headings: bool = True) -> None:
    """Print a display table across total mm (default: the page's width) at the current x.

    Headings (unless headings=False), then rows (a first cell all strong = a shaded row); the
    columns are as wide as their texts need (widths()) unless column_widths are given.
    """
    if column_widths is None:  # a hair less than total, so rounding stays inside the page
        column_widths = widths(pdf, table, (total or pdf.epw) - 0.01, size)
    pdf.font(size)
    align = tuple("RIGHT" if table.alignment(i) == "right" else "LEFT"
                  for i in range(len(table.columns)))
    texts = [*table.columns, *(s.text for row in table.rows for c in row for s in c)]
    markdown = not any(marker in text for text in texts for marker in MARKUP)
    with pdf.table(col_widths=column_widths, width=sum(column_widths), text_align=align,
                   markdown=markdown, align="LEFT",
                   borders_layout=TableBordersLayout.HORIZONTAL_LINES,
                   headings_style=FontFace(emphasis="B", fill_color=HEAD_FILL,
                                           size_pt=TABLE_HEAD),
                   line_height=size * 0.43,
                   padding=(0.3, CELL_PADDING, 0.3, CELL_PADDING), v_align="MIDDLE",
                   first_row_as_headings=headings) as out:
        if headings:
            out.row(list(table.columns))
        for row in table.rows:
            emphasised = _emphasised(row)
            cells = out.row()
            for value in row:
                text, colour = _cell_style(value, markdown and not emphasised)
                style = FontFace(family=FAMILY, emphasis="B" if emphasised else "",
                                 color=colour, size_pt=size + (0.4 if emphasised else 0),
                                 fill_color=OVERALL_FILL if emphasised else None)
                cells.cell(text, style=style)


def _header(pdf: _Brief, c: RegionPicture) -> None:
    """Print the kicker, the region name, the data-date line, the ages and the notices."""
    pdf.font(18, bold=True)
    name_width = pdf.get_string_width(c.region_name)
    pdf.font(7.0)
    if name_width + pdf.get_string_width(c.kicker) + GAP > pdf.epw:  # one above the other
        pdf.para(c.kicker, 7.0, rgb(MUTED))
        pdf.ln(0.4)
    else:  # the kicker at the right, on the name's baseline
        top = pdf.get_y()
        pdf.set_xy(pdf.l_margin, top + 3.6)
        pdf.font(7.0, colour=rgb(MUTED))
        pdf.cell(0, 3.2, c.kicker, align=Align.R)
        pdf.set_xy(pdf.l_margin, top)
    pdf.font(18, bold=True)
    pdf.multi_cell(0, 7.2, c.region_name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.4)
    pdf.para(c.subtitle, NOTE, rgb(MUTED))
    pdf.para(c.ages_text, 8, bold=True)
    for notice in c.notices:
        pdf.para(notice, BODY, rgb(BAD), bold=True)
    pdf.ln(1.0)
    pdf.rule()


def _scores(pdf: _Brief, c: RegionPicture) -> None:
    """Print the scores table across the page, then its notes (and a plain 'no data' line)."""
    pdf.heading(c.labels["scores_title"])
    _table(pdf, c.scores_table)
    pdf.ln(0.8)
    pdf.para(" ".join(c.card_notes), 6.8, rgb(BAD))
    pdf.para(c.scores_note, NOTE, rgb(MUTED))
    if c.no_scores_text:
        pdf.ln(0.6)
        pdf.para(c.no_scores_text, BODY, rgb(BAD), bold=True)


def _limited(items: tuple[str, ...], limit: int | None, c: RegionPicture) -> list[str]:
    """Return at most limit sentences, with a '… and n more' line when some were left out."""
    if limit is None or len(items) <= limit:
        return list(items)
    return [*items[:limit], t("brief.sw_more", c.lang, n=len(items) - limit)]


def _strengths(pdf: _Brief, c: RegionPicture, charts: BriefCharts) -> None:
    """Print the strengths, weaknesses and best/worst ranks beside the radar."""
    pdf.heading(c.labels["sw_title"])
    top = pdf.get_y()
    radar_x = pdf.w - pdf.r_margin - RADAR_WIDTH
    pdf.image(io.BytesIO(charts.radar), x=radar_x, y=top, w=RADAR_WIDTH)
    pdf.set_xy(radar_x, top + RADAR_WIDTH * RADAR_SIZE[1] / RADAR_SIZE[0])
    pdf.font(NOTE, colour=rgb(MUTED))
    pdf.multi_cell(RADAR_WIDTH, NOTE * LEADING, c.radar.caption, align=Align.C,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    radar_bottom = pdf.get_y()
    pdf.set_y(top)
    pdf.set_right_margin(MARGIN + RADAR_WIDTH + GAP)
    for heading, items, empty, symbol, colour in (
            (c.labels["strengths"], c.strengths, c.strengths_empty, "▲", rgb(GOOD)),
            (c.labels["weaknesses"], c.weaknesses, c.weaknesses_empty, "▼", rgb(BAD))):
        pdf.para(heading, SUBHEADING, bold=True)
        shown = _limited(items, pdf.layout.max_sentences, c)
        if not shown:
            pdf.para(empty, BODY, rgb(MUTED))
        for text in shown:
            pdf.font(BODY, colour=colour)
            pdf.cell(3.6, BODY * LEADING, symbol)
            pdf.font(BODY)
            pdf.multi_cell(0, BODY * LEADING, text, align=Align.L, new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
        pdf.ln(0.6)
    if c.extremes:
        pdf.para(c.labels["extremes"], SUBHEADING, bold=True)
        for text in c.extremes:
            pdf.para(text, BODY)
        pdf.ln(0.6)
    pdf.para(c.sw_rule, NOTE, rgb(MUTED))
    pdf.set_right_margin(MARGIN)
    pdf.set_y(max(pdf.get_y(), radar_bottom))


def _peers(pdf: _Brief, c: RegionPicture) -> None:
    """Print the region, its peers and the country side by side, one column each."""
    pdf.heading(c.labels["peers_title"])
    _table(pdf, c.peers_print or c.peers)
    pdf.ln(0.8)
    pdf.para(c.peers_note, NOTE, rgb(MUTED))


def _key_indicators(pdf: _Brief, c: RegionPicture) -> None:
    """Print the key indicators table: value, unit, year, change, country value, then its note.

    When the table does not fit, its first rows end this page and the rest go on at the top of
    the next under the headings again, at least MIN_ROWS_OVER on either side.
    """
    table = c.key_table_print
    column_widths = widths(pdf, table, pdf.epw - 0.01)

    def part(rows: tuple) -> Table:
        return Table(table.columns, rows, table.align)

    def section(p: _Brief, rows: tuple, note: bool = True) -> None:
        p.heading(c.labels["key_title"])
        _table(p, part(rows), column_widths=column_widths)
        if note:
            p.ln(0.8)
            p.para(c.key_note, NOTE, rgb(MUTED))

    room = pdf.page_break_trigger - pdf.get_y()
    rows = table.rows
    heights: list[float] = []  # the heading with the table's headings, then each row's

    def rows_one_by_one(p: _Brief) -> None:  # until the page is full
        start = top = p.get_y()
        section(p, (), note=False)
        heights.append(p.get_y() - start)
        for row in rows:
            if p.get_y() - top > room:
                break
            start = p.get_y()
            _table(p, part((row,)), column_widths=column_widths, headings=False)
            heights.append(p.get_y() - start)

    pdf.measure(rows_one_by_one)
    low, used = 0, heights[0]  # the most rows that fit on this page under the heading
    while low + 1 < len(heights) and used + heights[low + 1] <= room:
        used += heights[low + 1]
        low += 1
    note = 0.8 + pdf.para_height(c.key_note, NOTE)
    if low == len(rows) and used + note <= room:  # the whole section fits
        section(pdf, rows)
        return
    first = min(low, len(rows) - MIN_ROWS_OVER)
    if first < MIN_ROWS_OVER:
        pdf.add_page()
        section(pdf, rows)
        return
    page = pdf.page
    section(pdf, rows[:first], note=False)
    if pdf.page == page:  # (had a row been taller than measured, fpdf2 broke the page itself)
        pdf.add_page()
    _table(pdf, part(rows[first:]), column_widths=column_widths)
    pdf.ln(0.8)
    pdf.para(c.key_note, NOTE, rgb(MUTED))


def _trends(pdf: _Brief, c: RegionPicture, charts: BriefCharts) -> None:
    """Print the small trend charts across the page with their caption."""
    pdf.heading(c.labels["trends_title"])
    if charts.trends is None:
        pdf.para(c.labels["trends_none"], BODY, rgb(MUTED))
        return
    width, height = png_size(charts.trends)
    pdf.image(io.BytesIO(charts.trends), x=pdf.l_margin, w=pdf.epw, h=pdf.epw * height / width)
    pdf.para(c.trend_caption, NOTE, rgb(MUTED))
    left_out = selection.trends_left_out(c, pdf.content.lang)
    pdf.para(left_out, NOTE, rgb(MUTED))


def _sources(pdf: _Brief, c: RegionPicture) -> None:
    """Print the sources with licences, the licence note, the method and the missing-mark note."""
    pdf.heading(c.labels["sources_title"], size=9, keep=KEEP_WITH_HEADING)
    for line in c.sources:
        pdf.para(line, NOTE)
    pdf.ln(0.4)
    for text in (c.licence_note, c.method_text, c.missing_note):
        pdf.para(text, NOTE, rgb(MUTED))


def _fast(pdf: _Brief, a: AlkePicture, images: AlkePrintCharts) -> None:
    """Print the fast picture: the month, the table beside the 24 months, notes and source."""
    f = a.fast
    pdf.heading(f.title)
    pdf.para(f.intro, NOTE, rgb(MUTED))
    pdf.ln(0.6)
    chart = images.fast if f.chart is not None else None
    table_width = FAST_TABLE_WIDTH if chart is not None else pdf.epw
    top = pdf.get_y()
    if f.table is not None:
        _table(pdf, f.table, table_width)
        pdf.ln(0.6)
    pdf.set_right_margin(pdf.w - pdf.l_margin - table_width)
    for note in f.notes:  # under the table, beside the chart
        pdf.para(note, NOTE, rgb(MUTED))
    pdf.set_right_margin(MARGIN)
    bottom = pdf.get_y()
    caption_under = False
    if chart is not None:
        x = pdf.l_margin + table_width + GAP
        width = pdf.epw - table_width - GAP
        pdf.set_xy(x, top)
        pdf.font(NOTE, bold=True)
        pdf.multi_cell(width, NOTE * LEADING, f.chart.title, align=Align.L, new_x=XPos.LEFT,
                       new_y=YPos.NEXT)
        px_w, px_h = png_size(chart)
        pdf.image(io.BytesIO(chart), x=x, y=pdf.get_y(), w=width, h=width * px_h / px_w)
        pdf.set_xy(x, pdf.get_y() + width * px_h / px_w)
        caption = pdf.para_height(f.chart.caption, NOTE, width)
        caption_under = pdf.get_y() + caption <= bottom + 1.0
        if caption_under:  # the table's side is the longer: the caption fits under the chart
            pdf.set_left_margin(x)
            pdf.para(f.chart.caption, NOTE, rgb(MUTED), width=width)
            pdf.set_left_margin(MARGIN)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 0.6)
    if chart is not None and not caption_under:
        pdf.para(f.chart.caption, NOTE, rgb(MUTED))
    pdf.para(f.source, NOTE, rgb(MUTED))


def _alert(pdf: _Brief, item) -> None:
    """Print one alert episode: a coloured mark, when and what moved, then why it counts.

    The rule runs on after the sentence in smaller muted type; the lines hang under the text.
    """
    left = pdf.l_margin
    pdf.font(BODY, colour=TONE_COLOURS[item.tone])
    pdf.cell(3.4, BODY * LEADING, "●")
    pdf.set_left_margin(left + 3.4)
    pdf.font(BODY)
    pdf.write(BODY * LEADING, f"{item.span} · {item.text} ")
    pdf.font(NOTE, colour=rgb(MUTED))
    pdf.write(BODY * LEADING, item.rule)
    pdf.ln(BODY * LEADING + 0.5)
    pdf.set_left_margin(left)
    pdf.set_x(left)


def _alert_bound(pdf: _Brief, item) -> float:
    """Return an upper bound of one alert episode's height (its sentence and rule run on)."""
    text = f"{item.span} · {item.text} {item.rule}"
    return pdf.lines_at_most(text, BODY, pdf.epw - 3.4) * BODY * LEADING + 1.0


def _alerts(pdf: _Brief, a: AlkePicture) -> None:
    """Print the newest alert episodes, how many more there are and where, and the notes."""
    v = a.alerts
    picked = selection.alerts(v, pdf.layout.max_alerts)
    pdf.heading(v.title, keep=KEEP_WITH_HEADING)
    pdf.para(f"{v.intro} {v.method}", NOTE, rgb(MUTED))
    if v.recent:
        pdf.para(v.recent_title, SUBHEADING, bold=True)
        for item in picked.recent:
            pdf.keep(lambda p, item=item: _alert(p, item), _alert_bound(pdf, item))
    else:
        pdf.para(v.recent_empty, BODY)
    for note in v.notes:
        pdf.para(note, NOTE, rgb(MUTED))
    if picked.earlier:
        pdf.ln(0.5)
        first = picked.earlier[0]
        pdf.keep(lambda p: (p.para(picked.earlier_title, SUBHEADING, bold=True), _alert(p, first)),
                 SUBHEADING * LEADING + 1 + _alert_bound(pdf, first))
        for item in picked.earlier[1:]:
            pdf.keep(lambda p, item=item: _alert(p, item), _alert_bound(pdf, item))
    pdf.para(picked.more, 7.0)


def _industry(pdf: _Brief, a: AlkePicture, images: AlkePrintCharts) -> None:
    """Print the industry profile: the chart beside the growth lines, the notes, the source.

    The notes go under the chart when the growth lines beside it leave room, else across the
    page under both. The section keeps together (its parts are measured once).
    """
    v = a.industry
    chart = images.industry if v.chart is not None and v.table_print is not None else None

    def head(p: _Brief) -> None:
        p.heading(v.title)
        p.para(v.intro, NOTE, rgb(MUTED))
        if v.table_print is not None:
            p.ln(0.6)

    notes = [*v.notes[1:], v.source]  # not the quotients' note: the print shows no quotients
    if v.table_print is None:
        notes = [v.source]
    if chart is None:
        def whole(p: _Brief) -> None:
            head(p)
            if v.table_print is not None:
                _growth(p, v, a.lang)
            for note in notes:
                p.para(note, NOTE, rgb(MUTED))

        pdf.keep(whole)
        return
    left = pdf.l_margin
    lists_x = left + INDUSTRY_CHART_WIDTH + GAP
    px_w, px_h = png_size(chart)
    height = INDUSTRY_CHART_WIDTH * px_h / px_w

    def under_chart(p: _Brief, with_notes: bool = True) -> None:
        p.set_right_margin(p.w - p.l_margin - INDUSTRY_CHART_WIDTH)
        p.para(v.chart.caption, NOTE, rgb(MUTED))
        if with_notes:
            p.ln(0.6)
            for note in notes:
                p.para(note, NOTE, rgb(MUTED))
        p.set_right_margin(MARGIN)

    def beside(p: _Brief) -> None:
        p.set_left_margin(lists_x)
        p.set_x(lists_x)
        _growth(p, v, a.lang)
        p.set_left_margin(left)

    def across(p: _Brief) -> None:
        for note in notes:
            p.para(note, NOTE, rgb(MUTED))

    top_h, lists = pdf.measure(head), pdf.measure(beside)
    under = pdf.measure(under_chart)
    notes_under = height + under <= lists + 1.0
    block = max(lists, height + (under if notes_under else
                                 pdf.measure(lambda p: under_chart(p, with_notes=False))))
    total = top_h + block + 0.6 + (0.0 if notes_under else pdf.measure(across))
    if pdf.will_page_break(total) and pdf.get_y() > pdf.t_margin:
        pdf.add_page()
    head(pdf)
    top = pdf.get_y()
    pdf.image(io.BytesIO(chart), x=left, y=top, w=INDUSTRY_CHART_WIDTH, h=height)
    pdf.set_xy(left, top + height)
    under_chart(pdf, with_notes=notes_under)
    chart_bottom = pdf.get_y()
    pdf.set_y(top)
    beside(pdf)
    pdf.set_xy(left, max(pdf.get_y(), chart_bottom) + 0.6)
    if not notes_under:
        across(pdf)


def _growth(pdf: _Brief, v, lang: str) -> None:
    """Print the growth lists (at the left margin as set) and where the full table is."""
    for i, growth in enumerate(v.growth):
        if i:
            pdf.ln(0.5)
        pdf.para(growth.title, BODY, bold=True)
        for line in growth.lines:
            pdf.para(f"– {line}", TABLE)
    pdf.ln(0.6)
    pdf.para(t("brief.industry_table", lang), NOTE, rgb(MUTED))


def _twins(pdf: _Brief, a: AlkePicture) -> None:
    """Print one line on the EU comparison: it is on the region page (it does not fit here)."""
    v = a.twins
    pdf.ln(1.2)
    text = v.intro if v.twins is None else t("brief.twins_web", a.lang)  # none: it says so
    pdf.lead(t("brief.twins_label", a.lang), text, NOTE_LINE)


def _assessment_note(pdf: _Brief, a: AlkePicture) -> None:
    """Print the one-line note on the region's own text: on page 3, or where to add one."""
    v = a.assessment
    pdf.ln(0.6)
    if v.present:  # the text itself is on the next page, alone
        pdf.lead(v.title, t("brief.assessment_page", a.lang, page=MAX_PAGES + 1), NOTE_LINE)
        return
    pdf.lead(v.title, selection.assessment_note(v, a.lang), NOTE_LINE)


def _assessment(pdf: _Brief, a: AlkePicture) -> None:
    """Print the region's own text (plain text) on its page, marked as the region's.

    What would not fit on the page is left to the region page, and a line says so.
    """
    v = a.assessment
    pdf.heading(v.title, size=11)
    pdf.para(v.marker, 7.5, rgb(MUTED))
    pdf.ln(0.8)
    pdf.rule()
    pdf.ln(0.6)
    blocks = [(section.heading, kind, text) for section in v.sections
              for kind, text in section.blocks]
    reserve = 8.0  # room for the 'continues on the page' line
    last_heading = None
    for i, (heading, kind, text) in enumerate(blocks):
        body = f"– {text}" if kind == "item" else text
        needed = pdf.para_height(body, OWN_TEXT) + (
            8.0 if heading != last_heading else 0.0) + (reserve if i < len(blocks) - 1 else 0)
        if pdf.will_page_break(needed):
            pdf.ln(1.0)
            pdf.para(t("brief.assessment_more", a.lang, n=len(blocks) - i), BODY, rgb(BAD))
            return
        if heading != last_heading:
            pdf.ln(1.4)
            pdf.para(heading, 9.0, bold=True)
            pdf.ln(0.4)
            last_heading = heading
        elif kind == "paragraph":
            pdf.ln(0.8)
        pdf.para(body, OWN_TEXT)


def _text_bound(pdf: _Brief, texts: list[tuple[str, float]], width: float = 0) -> float:
    """Return the most height paragraphs (text, size) take, with a little space between."""
    return sum(pdf.lines_at_most(text, size, width) * size * LEADING + 0.7 for text, size in texts)


def _strengths_bound(pdf: _Brief, c: RegionPicture) -> float:
    """Return an upper bound of the strengths section's height (beside the radar)."""
    width = pdf.epw - RADAR_WIDTH - GAP - 3.6
    limit = pdf.layout.max_sentences
    texts = [(text, BODY) for items, empty in ((c.strengths, c.strengths_empty),
                                               (c.weaknesses, c.weaknesses_empty))
             for text in (_limited(items, limit, c) or [empty])]
    texts += [(text, BODY) for text in c.extremes] + [(c.sw_rule, NOTE)]
    headings = 3 * (SUBHEADING * LEADING + 1.0)
    radar = RADAR_WIDTH * RADAR_SIZE[1] / RADAR_SIZE[0] + _text_bound(
        pdf, [(c.radar.caption, NOTE)], RADAR_WIDTH - 6)
    return HEADING * 0.46 + 4 + max(radar, headings + _text_bound(pdf, texts, width))


def _table_bound(table: Table, lines: int = 2) -> float:
    """Return the most height a table takes when no row wraps to more than lines (3 heading)."""
    row = lines * TABLE * 0.43 + 0.6
    return (len(table.rows) * row + 3 * TABLE_HEAD * 0.43 + 0.6) + 1.0


def _peers_bound(pdf: _Brief, c: RegionPicture) -> float:
    """Return an upper bound of the peers section's height."""
    return (HEADING * 0.46 + 4 + _table_bound(c.peers_print or c.peers) + 0.8
            + _text_bound(pdf, [(c.peers_note, NOTE)]))


def _trends_bound(pdf: _Brief, c: RegionPicture, charts: BriefCharts) -> float:
    """Return an upper bound of the trends section's height."""
    image = 0.0
    if charts.trends is not None:
        width, height = png_size(charts.trends)
        image = pdf.epw * height / width
    texts = [(c.trend_caption, NOTE), (selection.trends_left_out(c, c.lang), NOTE)]
    return HEADING * 0.46 + 4 + image + _text_bound(pdf, texts)


def _fast_bound(pdf: _Brief, a: AlkePicture, images: AlkePrintCharts) -> float:
    """Return an upper bound of the fast picture's height (the table beside the chart)."""
    f = a.fast
    table = (_table_bound(f.table) if f.table is not None else 0.0) + 0.6 + _text_bound(
        pdf, [(note, NOTE) for note in f.notes], FAST_TABLE_WIDTH)
    chart = 0.0
    if images.fast is not None and f.chart is not None:
        width = pdf.epw - FAST_TABLE_WIDTH - GAP
        px_w, px_h = png_size(images.fast)
        chart = width * px_h / px_w + _text_bound(pdf, [(f.chart.title, NOTE)], width)
    texts = [(f.intro, NOTE), (f.source, NOTE)] + (
        [(f.chart.caption, NOTE)] if f.chart is not None else [])
    return HEADING * 0.46 + 4 + max(table, chart) + _text_bound(pdf, texts) + 1.2


def _render(c: RegionPicture, charts: BriefCharts, layout: Layout,
            alke: AlkePicture | None = None, images: AlkePrintCharts | None = None) -> _Brief:
    """Lay the brief out with one compaction step and return the document (not yet output)."""
    pdf = _Brief(c, layout)
    pdf.add_page()
    _header(pdf, c)
    _scores(pdf, c)
    pdf.keep(lambda p: _strengths(p, c, charts), _strengths_bound(pdf, c))
    pdf.keep(lambda p: _peers(p, c), _peers_bound(pdf, c))
    pdf.keep(lambda p: _trends(p, c, charts), _trends_bound(pdf, c, charts))
    _key_indicators(pdf, c)  # its rows may go on over the page, under their headings again
    if alke is not None:
        images = images or alke_print_charts(alke)
        pdf.keep(lambda p: _fast(p, alke, images), _fast_bound(pdf, alke, images))
        _alerts(pdf, alke)
        _industry(pdf, alke, images)  # keeps itself together
        pdf.keep(lambda p: _twins(p, alke), 2.0 + _text_bound(
            pdf, [(f"{alke.twins.intro} {t('brief.twins_web', c.lang)}", NOTE_LINE)]))
        pdf.keep(lambda p: _assessment_note(p, alke), 2.0 + _text_bound(
            pdf, [(f"{alke.assessment.title} {alke.assessment.missing} {alke.assessment.how}",
                   NOTE_LINE)]))
    _sources(pdf, c)
    pdf.picture_pages = pdf.pages_count
    if alke is not None and alke.assessment.present:
        pdf.add_page()
        _assessment(pdf, alke)
    return pdf


def page_limit(alke: AlkePicture | None) -> int:
    """Return the most pages a brief may have: two, and one more for the region's own text."""
    if alke is not None and alke.assessment.present:
        return MAX_PAGES + ASSESSMENT_PAGES
    return MAX_PAGES


def pdf_bytes(content: RegionPicture, charts: BriefCharts | None = None,
              alke: AlkePicture | None = None,
              alke_images: AlkePrintCharts | None = None) -> bytes:
    """Return the brief as PDF bytes (raise BriefTooLong when it does not fit).

    The picture and the ALKE sections take at most two A4 pages, the region's own text, when
    there is one, page 3 alone. alke_images: the brief's compact charts (alke_print_charts),
    drawn here when not given.
    """
    check_fonts()
    charts = charts or brief_charts(content)
    images = alke_images or (alke_print_charts(alke) if alke is not None else None)
    pages, limit = 0, page_limit(alke)
    for layout in LAYOUTS:
        pdf = _render(content, charts, layout, alke, images)
        pages = pdf.pages_count
        if pdf.picture_pages <= MAX_PAGES and pages <= limit:
            return bytes(pdf.output())
        if pdf.picture_pages > MAX_PAGES + 1 and layout.max_sentences is not None:
            break  # a page or more too long with the sentences already cut: no step saves that
    raise BriefTooLong(f"The brief of {content.area_code} ({content.lang}) needs {pages} pages "
                       f"even in the most compact layout; at most {limit} are allowed.")
