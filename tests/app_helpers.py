"""Helpers of the page tests: open a page in AppTest and read what a person would see."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
# The region page first (the default); the others by index in the tests, the ALKE page last.
PAGES = ["views/tilannekuva.py", "views/vertailu.py", "views/indikaattorit.py",
         "views/painotukset.py", "views/menetelma.py", "views/alke.py"]
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>:$<])")
# an innermost directive (no unescaped bracket inside): removed from the inside out
_DIRECTIVE = re.compile(
    r":(?:blue|orange|gray|green|red|violet|rainbow|primary|small)\[((?:[^\[\]\\]|\\.)*)\]")


def run_page(page: str, params: dict | None = None, timeout: float = 120) -> AppTest:
    """Open the app with URL parameters, switch to a page and run it."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        # as if the link had been opened on that page: the same parameters, then the page
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.switch_page(page).run()
    return at


def visible(markdown: str) -> str:
    """Return Markdown as read: escapes undone, bold and colour directives removed."""
    text, before = str(markdown), None
    while text != before:
        before, text = text, _DIRECTIVE.sub(r"\1", text)
    text = text.replace("**", "").replace("\u00ad", "")  # soft hyphens show only at a break
    return _ESCAPE.sub(r"\1", text)


def texts(at: AppTest) -> str:
    """All the visible text of a run (titles, markdown, captions, messages, metrics)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):
        parts += [visible(e.value) for e in getattr(at, kind)]
    for metric in at.metric:
        parts += [metric.label, str(metric.value)]
    return "\n".join(parts)


def markdown_tables(at: AppTest) -> list[list[list[str]]]:
    """Return every Markdown table of a run as rows of visible cells (heading row first)."""
    out = []
    for element in at.markdown:
        lines = [line for line in str(element.value).splitlines() if line.startswith("|")]
        if len(lines) < 2:
            continue
        rows = [[visible(c.strip()) for c in re.split(r"(?<!\\)\|", line)[1:-1]]
                for i, line in enumerate(lines) if i != 1]
        out.append(rows)
    return out


def link_messages(at: AppTest) -> list[str]:
    """Return the messages about rejected link values (the shell's link_off notices)."""
    return [i.value for i in at.info if i.icon == ":material/link_off:"]


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
