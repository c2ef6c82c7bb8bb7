"""Pick the chosen language's part of docs/methodology.md (its fi, sv and en sections)."""

from __future__ import annotations

import re

# Level-2 headings of the document and the language each belongs to ('' = every language).
SECTION_LANG = {"Suomeksi": "fi", "På svenska": "sv", "In English": "en"}


def split_sections(markdown: str) -> list[tuple[str, str]]:
    """Return (level-2 heading, text) pairs in order; text before the first heading has ''."""
    parts: list[tuple[str, str]] = []
    heading, lines = "", []
    for line in markdown.splitlines():
        match = re.match(r"^## (.+?)\s*$", line)
        if match:
            parts.append((heading, "\n".join(lines).strip()))
            heading, lines = match.group(1), []
        else:
            lines.append(line)
    parts.append((heading, "\n".join(lines).strip()))
    return [(h, t) for h, t in parts if h or t]


def for_language(markdown: str, lang: str, intro: bool = True) -> tuple[str, str]:
    """Return (text for lang, shared appendix): the intro and lang's section, then the rest.

    intro=False leaves out the text before the first section (written in one language only).
    """
    body, appendix = [], []
    for heading, text in split_sections(markdown):
        owner = SECTION_LANG.get(heading)
        if not heading:
            if intro:
                body.append(text)
        elif owner == lang:
            body.append(text)
        elif owner is None:
            appendix.append(f"## {heading}\n\n{text}")
    return "\n\n".join(body), "\n\n".join(appendix)
