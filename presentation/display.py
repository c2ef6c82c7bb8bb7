"""Display values shared by every renderer: toned text spans, table cells and text tables.

A view-model says *what* a cell shows (text) and *how it reads* (tone: strong, good, bad, muted);
the Streamlit page turns tones into Markdown, the PDF into colours and the HTML into classes.
"""

from __future__ import annotations

from dataclasses import dataclass

TONES = ("", "strong", "good", "bad", "muted")


@dataclass(frozen=True)
class Span:
    """A piece of text with a tone ('' plain, 'strong', 'good', 'bad' or 'muted')."""

    text: str
    tone: str = ""

    def __post_init__(self) -> None:
        """Reject an unknown tone (a renderer would not know how to show it)."""
        if self.tone not in TONES:
            raise ValueError(f"Unknown tone {self.tone!r}; use one of {TONES}")


Cell = tuple[Span, ...]


def cell(*parts: Span | str | None) -> Cell:
    """Return a cell of spans; plain strings become plain spans, None and '' are left out."""
    spans = []
    for part in parts:
        if part is None or part == "":
            continue
        span = part if isinstance(part, Span) else Span(str(part))
        if span.text:
            spans.append(span)
    return tuple(spans)


def plain(value: Cell) -> str:
    """Return the cell's text without tones (spans joined by a space)."""
    return " ".join(span.text for span in value)


@dataclass(frozen=True)
class Table:
    """A table of display cells: headings, rows, the alignment of each column (left/right)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check that every row and the alignment have one entry per column."""
        width = len(self.columns)
        if any(len(row) != width for row in self.rows):
            raise ValueError("every row of a table needs one cell per column")
        if self.align and len(self.align) != width:
            raise ValueError("the alignment needs one entry per column")

    def alignment(self, index: int) -> str:
        """Return 'left' or 'right' for a column (default: first left, the others right)."""
        if self.align:
            return self.align[index]
        return "left" if index == 0 else "right"

    def plain_rows(self) -> list[list[str]]:
        """Return the rows as plain text."""
        return [[plain(c) for c in row] for row in self.rows]
