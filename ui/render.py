"""Streamlit renderings of the presentation's display values: toned spans, tables, changes.

Streamlit reads captions, Markdown and table cells as Markdown, so every text from a view-model
is escaped here before it is shown: text that came from the data stays text.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Callable, Iterable

import streamlit as st

from presentation import format as fmt
from presentation.alerts_view import AlertItem
from presentation.assessment_view import AssessmentView
from presentation.changes import Change
from presentation.display import Cell, Table
from presentation.method import IndicatorEntry, SourceEntry
from presentation.region import Card

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:$<])")
TONE_MARKUP = {"": "{}", "strong": "**{}**", "good": ":blue[{}]", "bad": ":orange[{}]",
               "muted": ":gray[{}]"}


def md(text: object) -> str:
    """Return text with every Markdown character escaped (shown exactly as it is)."""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


# Words this long may break inside (a soft hyphen every BREAK_EVERY letters), so that a
# table column of long compounds ('kommunikationsverksamhet') still fits a phone.
LONG_WORD, BREAK_EVERY = 14, 6
_LONG = re.compile(rf"\w{{{LONG_WORD},}}")


def breakable(text: str) -> str:
    """Return text with soft hyphens inside its long words (shown only where a line breaks)."""
    def soft(match: re.Match) -> str:
        word = match.group(0)
        cuts = range(BREAK_EVERY, len(word) - 3, BREAK_EVERY)
        parts, start = [], 0
        for cut in cuts:
            parts.append(word[start:cut])
            start = cut
        return "\u00ad".join([*parts, word[start:]])
    return _LONG.sub(soft, text)


def cell_md(value: Cell) -> str:
    """Return a display cell as Markdown: each span escaped, its tone as emphasis or colour."""
    return " ".join(TONE_MARKUP[span.tone].format(md(breakable(span.text))) for span in value)


@functools.lru_cache(maxsize=512)
def table_md(table: Table) -> str:
    """Return a display table as a Markdown table in small type, which wraps to a phone's width.

    A Markdown table is a real HTML table: its columns share the width and its cells wrap, so
    every column stays in view on a 390 px phone (a data grid would scroll sideways instead).
    """
    def small(text: str) -> str:
        return f":small[{text}]" if text.strip() else " "

    head = "| " + " | ".join(small(md(breakable(c))) for c in table.columns) + " |"
    rule = "|" + "|".join(":--" if table.alignment(i) == "left" else "--:"
                          for i in range(len(table.columns))) + "|"
    body = ["| " + " | ".join(small(cell_md(c)) for c in row) + " |" for row in table.rows]
    return "\n".join([head, rule, *body])


def table(value: Table) -> None:
    """Show a display table."""
    st.markdown(table_md(value))


@functools.lru_cache(maxsize=256)
def data_url(png: bytes) -> str:
    """Return a PNG as a data URL (made once per image)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def image(png: bytes, caption: str = "") -> None:
    """Show a PNG with an escaped caption.

    As a data URL the image needs no re-encoding, no media file and no request of its own on a
    rerun: Streamlit sends an unchanged large message only once per session, by its hash.
    """
    st.image(data_url(png), caption=md(caption) if caption else None, width="stretch")


def caption(text: str) -> None:
    """Show a plain caption (escaped); nothing for an empty text."""
    if text:
        st.caption(md(text))


def paragraph(text: str) -> None:
    """Show a plain paragraph (escaped); nothing for an empty text."""
    if text:
        st.markdown(md(text))


def strong(text: str) -> None:
    """Show a plain text in bold (escaped); nothing for an empty text."""
    if text:
        st.markdown(f"**{md(text)}**")


def bullets(items: Iterable[str], symbol: str = "", tone: str = "") -> None:
    """Show plain items as a bullet list, each with an optional coloured symbol."""
    mark = TONE_MARKUP[tone].format(symbol) + " " if symbol else ""
    lines = [f"- {mark}{md(item)}" for item in items]
    if lines:
        st.markdown("\n".join(lines))


def notices(texts: Iterable[str]) -> None:
    """Show each notice as a warning box."""
    for text in texts:
        st.warning(md(text), icon=":material/history:")


def delta(change: Change) -> dict:
    """Return st.metric's delta arguments for a change (no delta when it is not shown)."""
    if not change.shown:
        return {"delta": None}
    arrow = "up" if change.text.startswith("▲") else "down" if change.text.startswith(
        "▼") else "off"
    colour = "blue" if change.good is True else "orange" if change.good is False else "gray"
    return {"delta": change.text.split(" ", 1)[1], "delta_color": colour,
            "delta_arrow": arrow}


def number_formatter(lang: str, decimals: int = 1) -> Callable[[float], str]:
    """Return a widget's format_func writing numbers as lang does ('0,5')."""
    return lambda value: fmt.number(value, decimals, lang)


def score_card(card: Card, vs_previous_year: str) -> None:
    """Show one score card: score, 1-year change, rank line, 5-year change, ages and notes."""
    with st.container(border=True):
        shown = delta(card.change_1y)
        if shown["delta"] is not None:
            shown["delta_description"] = vs_previous_year
        st.metric(md(card.label), value=card.score_text, help=md(card.help) or None, **shown)
        lines = [card.missing_text] if not card.has_score else [
            card.rank_line, *card.change_lines, card.ages_text]
        text = md(" · ".join(line for line in lines if line))
        notes = "".join(f"  \n:orange[{md(note)}]" for note in card.notes)
        st.caption(text + notes)


def _link(text: str, url: str | None) -> str:
    """Return escaped text, as a Markdown link when there is an http(s) URL."""
    if url and url.startswith(("https://", "http://")):
        return f"[{md(text)}]({url})"
    return md(text)


def indicator_entry(entry: IndicatorEntry, licence_label: str) -> None:
    """Show one indicator of the method page: name, facts, description, source and licence."""
    st.markdown(f"**{md(entry.label)}** ({md(entry.facts)})  \n{md(entry.description)}  \n"
                f":gray[{_link(entry.source, entry.publisher_link)} · {md(licence_label)}: "
                f"{_link(entry.licence, entry.licence_link)}]")


def source_entry(entry: SourceEntry, gives_label: str) -> None:
    """Show one source table: publisher, table, licence, dates and the indicators it gives."""
    dates = f" · {md(entry.dates)}" if entry.dates else ""
    st.markdown(f"**{md(entry.publisher)}** – {md(entry.table)} · "
                f"{_link(entry.licence, entry.licence_link)}{dates}  \n"
                f":gray[{md(gives_label)}: {md(entry.indicators)}]")


def alert_items(items: Iterable[AlertItem]) -> None:
    """Show alert episodes: when (strong), what moved (coloured mark by tone), why (grey)."""
    lines = [f"- {TONE_MARKUP[item.tone].format('●')} **{md(item.span)}** · {md(item.text)}  \n"
             f"  :gray[{md(item.rule)}]" for item in items]
    if lines:
        st.markdown("\n".join(lines))


def assessment(view: AssessmentView) -> None:
    """Show the region's own text in a bordered box, marked as the region's, as plain text."""
    with st.container(border=True):
        st.markdown(f"**{md(view.title)}**")
        if not view.present:
            st.info(md(view.missing), icon=":material/edit_note:")
            st.caption(md(view.how))
            return
        st.caption(md(view.marker))
        for section in view.sections:
            st.markdown(f"**{md(section.heading)}**")
            for kind, texts in section.runs():
                st.markdown("\n".join(f"- {md(x)}" for x in texts) if kind == "list"
                            else md(texts[0]))
