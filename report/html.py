"""The region brief as one self-contained HTML file: inline CSS, charts as base64 data URIs.

The same RegionPicture as the PDF and the region page, and the same selection as the PDF
(report/selection.py): the newest alerts, the trends of the comparable series, the industry
profile without the full table, a line on the EU comparison. Every text is escaped
(html.escape), so nothing from the data can become markup; the file loads nothing from the
network and prints on A4 (the region's own text, when there is one, on a page of its own).
"""

from __future__ import annotations

import base64
from html import escape

from presentation.alke import AlkePicture
from presentation.alke_charts import AlkePrintCharts, alke_print_charts
from presentation.display import Cell, Table
from presentation.i18n import t
from presentation.region import RegionPicture
from presentation.static_charts import BriefCharts, brief_charts
from report import selection

OVERALL_ATTR = ' class="overall"'
CSS = """
@page { size: A4; margin: 12mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Source Sans Pro", Arial, sans-serif; color: #1a1a1a;
       max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; font-size: 10pt; line-height: 1.35; }
.kicker, .sub, .note, footer { color: #5a5a5a; font-size: 8pt; }
h1 { font-size: 24pt; margin: 2pt 0 4pt; }
h2 { font-size: 13pt; margin: 14pt 0 5pt; }
header { border-bottom: 2px solid #0072b2; padding-bottom: 5pt; }
table { border-collapse: collapse; width: 100%; font-size: 8.6pt; }
th { background: #e8f0f7; text-align: left; font-weight: bold; padding: 3pt 4pt; }
td { border-bottom: 1px solid #0072b2; padding: 2.5pt 4pt; vertical-align: middle; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.mid, th.mid { text-align: center; white-space: nowrap; }
tr.overall td { font-weight: bold; background: #f5f5f5; font-size: 9.6pt; }
.good { color: #0072b2; } .bad { color: #b34700; } .muted { color: #5a5a5a; }
.strong { font-weight: bold; } .notice { color: #b34700; font-weight: bold; }
.ages { font-weight: bold; margin: 3pt 0; }
.scores { display: flex; gap: 4mm; align-items: flex-start; }
.scores .left { flex: 1 1 60%; min-width: 0; }
.scores figure { flex: 0 0 38%; min-width: 0; margin: 0; text-align: center; }
figure { margin: 0; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: 7.5pt; color: #5a5a5a; }
.missing { color: #b34700; font-weight: bold; }
ul.sw { list-style: none; padding-left: 0; margin: 2pt 0 6pt; }
ul.sw li { padding-left: 1.2em; text-indent: -1.2em; }
h3 { font-size: 10pt; margin: 6pt 0 2pt; }
.sources p { margin: 1pt 0; font-size: 8pt; }
.own { border: 1px solid #0072b2; border-left: 4px solid #0072b2; padding: 4pt 8pt;
       margin: 6pt 0; background: #fafcfe; break-before: page; page-break-before: always; }
.own .marker { color: #5a5a5a; font-size: 8pt; font-style: italic; }
ul.alerts { padding-left: 1.1em; margin: 2pt 0 6pt; } ul.alerts li { margin-bottom: 3pt; }
.cols { display: flex; gap: 4mm; align-items: flex-start; }
.cols > .main { flex: 1 1 60%; min-width: 0; } .cols > .side { flex: 0 0 38%; min-width: 0; }
.line { margin: 4pt 0; }
footer { margin-top: 10pt; border-top: 1px solid #ccc; padding-top: 4pt; }
@media print {
  body { font-size: 7.8pt; line-height: 1.22; padding: 0; max-width: none; }
  h1 { font-size: 18pt; } h2 { font-size: 10pt; margin: 6pt 0 2pt; } h3 { margin: 3pt 0 1pt; }
  p { margin: 1.5pt 0; } ul.sw, ul.alerts, ul { margin: 1pt 0 3pt; }
  table { font-size: 7pt; } tr.overall td { font-size: 7.4pt; }
  td, th { padding: 1pt 3pt; }
  .kicker, .sub, .note, footer, figcaption, .sources p { font-size: 6.5pt; }
  section, tr, figure { break-inside: avoid; }
  section.flow { break-inside: auto; }  /* a long table or list may go on over the page */
}
"""


def _e(text: object) -> str:
    """Return text escaped for HTML element content and attributes."""
    return escape(str(text), quote=True)


def _img(png: bytes, alt: str) -> str:
    """Return an <img> with the PNG inlined as a base64 data URI."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}">'


def _cell(value: Cell) -> str:
    """Return a display cell as escaped spans with their tone classes."""
    return " ".join(f'<span class="{_e(span.tone)}">{_e(span.text)}</span>' if span.tone
                    else _e(span.text) for span in value)


def _table(table: Table, first_row_overall: bool = False) -> str:
    """Return a display table (a first cell all strong marks the index row)."""
    def cls(i: int) -> str:
        return ' class="num"' if table.alignment(i) == "right" else ""

    head = "".join(f"<th{cls(i)}>{_e(h)}</th>" for i, h in enumerate(table.columns))
    rows = []
    for row in table.rows:
        overall = first_row_overall and bool(row[0]) and all(s.tone == "strong" for s in row[0])
        cells = "".join(f"<td{cls(i)}>{_cell(c)}</td>" for i, c in enumerate(row))
        rows.append(f'<tr{OVERALL_ATTR if overall else ""}>{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _scores(c: RegionPicture, charts: BriefCharts) -> str:
    """Return the scores section: table and notes beside the radar."""
    missing = f'<p class="missing">{_e(c.no_scores_text)}</p>' if c.no_scores_text else ""
    notes = "".join(f'<p class="notice">{_e(n)}</p>' for n in c.card_notes)
    return (f'<section><h2>{_e(c.labels["scores_title"])}</h2><div class="scores">'
            f'<div class="left">{_table(c.scores_table, True)}{notes}'
            f'<p class="note">{_e(c.scores_note)}</p>{missing}</div>'
            f'<figure>{_img(charts.radar, c.radar.caption)}'
            f'<figcaption>{_e(c.radar.caption)}</figcaption></figure></div></section>')


def _strengths(c: RegionPicture) -> str:
    """Return the strengths and weaknesses section (every sentence) and the best/worst ranks."""
    parts = [f'<section><h2>{_e(c.labels["sw_title"])}</h2>']
    for heading, items, empty, symbol, cls in (
            (c.labels["strengths"], c.strengths, c.strengths_empty, "▲", "good"),
            (c.labels["weaknesses"], c.weaknesses, c.weaknesses_empty, "▼", "bad")):
        parts.append(f"<h3>{_e(heading)}</h3>")
        if items:
            lis = "".join(f'<li><span class="{cls}">{symbol}</span> {_e(s)}</li>' for s in items)
            parts.append(f'<ul class="sw">{lis}</ul>')
        else:
            parts.append(f'<p class="note">{_e(empty)}</p>')
    if c.extremes:
        parts.append(f'<h3>{_e(c.labels["extremes"])}</h3>'
                     + "".join(f"<p>{_e(s)}</p>" for s in c.extremes))
    parts.append(f'<p class="note">{_e(c.sw_rule)}</p></section>')
    return "".join(parts)


def _peers(c: RegionPicture) -> str:
    """Return the peers table section: one column per region, as printed."""
    return (f'<section><h2>{_e(c.labels["peers_title"])}</h2>'
            f'{_table(c.peers_print or c.peers, True)}'
            f'<p class="note">{_e(c.peers_note)}</p></section>')


def _key(c: RegionPicture) -> str:
    """Return the key indicators table section."""
    return (f'<section class="flow"><h2>{_e(c.labels["key_title"])}</h2>'
            f'{_table(c.key_table_print)}<p class="note">{_e(c.key_note)}</p></section>')


def _trends(c: RegionPicture, charts: BriefCharts) -> str:
    """Return the trend charts section: the comparable series, and how many they are."""
    left_out = selection.trends_left_out(c, c.lang)
    body = (f"<figure>{_img(charts.trends, c.trend_caption)}"
            f"<figcaption>{_e(c.trend_caption)}</figcaption></figure>"
            + (f'<p class="note">{_e(left_out)}</p>' if left_out else "")
            if charts.trends else f'<p class="note">{_e(c.labels["trends_none"])}</p>')
    return f'<section><h2>{_e(c.labels["trends_title"])}</h2>{body}</section>'


def _sources(c: RegionPicture) -> str:
    """Return the sources, licence and method section."""
    lines = "".join(f"<p>{_e(s)}</p>" for s in c.sources)
    notes = "".join(f'<p class="note">{_e(s)}</p>'
                    for s in (c.licence_note, c.method_text, c.missing_note))
    return (f'<section class="sources flow"><h2>{_e(c.labels["sources_title"])}</h2>{lines}'
            f"{notes}</section>")


def _figure(png: bytes, caption: str) -> str:
    """Return an inlined image with its caption."""
    return f"<figure>{_img(png, caption)}<figcaption>{_e(caption)}</figcaption></figure>"


def _fast(a: AlkePicture, images: AlkePrintCharts) -> str:
    """Return the fast picture section: the month, the table and its notes beside the months."""
    f = a.fast
    parts = [f'<section><h2>{_e(f.title)}</h2><p class="strong">'
             f'{_e(f.month_text)}</p><p class="note">{_e(f.intro)}</p>']
    main = (_table(f.table) if f.table is not None else "") + "".join(
        f'<p class="note">{_e(n)}</p>' for n in f.notes)
    if images.fast is not None and f.chart is not None:
        parts.append(f'<div class="cols"><div class="main">{main}</div><div class="side">'
                     f'<p class="note strong">{_e(f.chart.title)}</p>'
                     f'{_figure(images.fast, f.chart.caption)}</div></div>')
    else:
        parts.append(main)
    parts.append(f'<p class="note">{_e(f.source)}</p></section>')
    return "".join(parts)


def _alert_list(items: tuple) -> str:
    """Return alert episodes as a list: when, what moved, why it counts."""
    lis = "".join(f'<li><span class="{_e(i.tone)}">●</span> <span class="strong">{_e(i.span)}'
                  f'</span> · {_e(i.text)}<br><span class="muted">{_e(i.rule)}</span></li>'
                  for i in items)
    return f'<ul class="alerts">{lis}</ul>'


def _alerts(a: AlkePicture) -> str:
    """Return the newest alerts as printed (selection.alerts), how many more there are, notes."""
    v = a.alerts
    picked = selection.alerts(v)
    parts = [f'<section><h2>{_e(v.title)}</h2><p class="note">{_e(v.intro)} {_e(v.method)}</p>']
    if v.recent:
        parts.append(f"<h3>{_e(v.recent_title)}</h3>{_alert_list(picked.recent)}")
    else:
        parts.append(f"<p>{_e(v.recent_empty)}</p>")
    parts += [f'<p class="note">{_e(n)}</p>' for n in v.notes]
    if picked.earlier:
        parts.append(f"<h3>{_e(picked.earlier_title)}</h3>{_alert_list(picked.earlier)}")
    if picked.more:
        parts.append(f"<p>{_e(picked.more)}</p>")
    parts.append("</section>")
    return "".join(parts)


def _assessment(a: AlkePicture) -> str:
    """Return the region's own text in a marked box (plain text, escaped), or how to add one."""
    v = a.assessment
    if not v.present:
        return (f'<p class="line"><span class="strong">{_e(v.title)}:</span> '
                f'{_e(selection.assessment_note(v, a.lang))}</p>')
    parts = [f'<section class="own"><h2>{_e(v.title)}</h2>',
             f'<p class="marker">{_e(v.marker)}</p>']
    for section in v.sections:
        parts.append(f"<h3>{_e(section.heading)}</h3>")
        for kind, texts in section.runs():
            parts.append("<ul>" + "".join(f"<li>{_e(x)}</li>" for x in texts) + "</ul>"
                         if kind == "list" else f"<p>{_e(texts[0])}</p>")
    parts.append("</section>")
    return "".join(parts)


def _industry(a: AlkePicture, images: AlkePrintCharts) -> str:
    """Return the industry profile: the chart beside the growth lines, the notes (no table)."""
    v = a.industry
    parts = [f'<section><h2>{_e(v.title)}</h2><p class="note">{_e(v.intro)}</p>']
    if v.table_print is not None:
        lists = "".join(f"<h3>{_e(g.title)}</h3><ul>"
                        + "".join(f"<li>{_e(line)}</li>" for line in g.lines) + "</ul>"
                        for g in v.growth)
        lists += f'<p class="note">{_e(t("brief.industry_table", a.lang))}</p>'
        if images.industry is not None and v.chart is not None:
            parts.append(f'<div class="cols"><div class="side">'
                         f'{_figure(images.industry, v.chart.caption)}</div>'
                         f'<div class="main">{lists}</div></div>')
        else:
            parts.append(lists)
        parts += [f'<p class="note">{_e(n)}</p>' for n in v.notes[1:]]  # no quotients shown
    parts.append(f'<p class="note">{_e(v.source)}</p></section>')
    return "".join(parts)


def _twins(a: AlkePicture) -> str:
    """Return the line on the EU comparison: it is on the region page (not in the brief)."""
    v = a.twins
    text = v.intro if v.twins is None else t("brief.twins_web", a.lang)  # none: it says so
    return (f'<p class="line"><span class="strong">{_e(t("brief.twins_label", a.lang))}:</span> '
            f'{_e(text)}</p>')


def alke_html(alke: AlkePicture | None, images: AlkePrintCharts | None = None) -> str:
    """Return the ALKE sections of the brief (empty without them), as the PDF prints them.

    With the region's own text, when there is one (html_text puts that last instead, on a
    printed page of its own).
    """
    return _alke_html(alke, images, own_text=True)


def _alke_html(alke: AlkePicture | None, images: AlkePrintCharts | None,
               own_text: bool) -> str:
    """Return the ALKE sections; the region's own text only with own_text (or its note)."""
    if alke is None:
        return ""
    images = images or alke_print_charts(alke)
    note = "" if alke.assessment.present and not own_text else _assessment(alke)
    return (_fast(alke, images) + _alerts(alke) + _industry(alke, images) + _twins(alke)
            + note)


def html_text(content: RegionPicture, charts: BriefCharts | None = None,
              alke: AlkePicture | None = None,
              alke_images: AlkePrintCharts | None = None) -> str:
    """Return the brief as a self-contained HTML document (text), with the ALKE sections."""
    c = content
    charts = charts or brief_charts(c)
    notices = "".join(f'<p class="notice">{_e(n)}</p>' for n in c.notices)
    return (f'<!DOCTYPE html>\n<html lang="{_e(c.lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(c.doc_title)}</title><style>{CSS}</style></head><body>"
            f'<header><div class="kicker">{_e(c.kicker)}</div><h1>{_e(c.region_name)}</h1>'
            f'<div class="sub">{_e(c.subtitle)}</div><p class="ages">{_e(c.ages_text)}</p>'
            f"{notices}</header><main>"
            + _scores(c, charts) + _strengths(c) + _peers(c) + _trends(c, charts) + _key(c)
            + _alke_html(alke, alke_images, own_text=False) + _sources(c)
            + (_assessment(alke) if alke is not None and alke.assessment.present else "")
            + f"</main><footer>{_e(c.doc_title)} · {_e(c.generated_text)}"
            "</footer></body></html>\n")


def html_bytes(content: RegionPicture, charts: BriefCharts | None = None,
               alke: AlkePicture | None = None,
               alke_images: AlkePrintCharts | None = None) -> bytes:
    """Return the brief as UTF-8 encoded HTML bytes."""
    return html_text(content, charts, alke, alke_images).encode("utf-8")
