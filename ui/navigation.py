"""Load and validate the declarative page list (ui/pages.toml) that app.py turns into navigation."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from presentation.i18n import LANGUAGES

PAGES_PATH = Path(__file__).with_name("pages.toml")
ROOT = Path(__file__).resolve().parent.parent
FIELDS = {"id", "file", "icon", "title", "default"}
_ID = re.compile(r"^[a-z][a-z0-9_-]*$")


def validate_pages(pages: list[dict], root: Path = ROOT) -> list[str]:
    """Return every problem of the page list (empty when valid)."""
    problems = []
    ids = [p.get("id") for p in pages]
    if len(set(ids)) != len(ids):
        problems.append(f"duplicate page ids: {ids}")
    if sum(1 for p in pages if p.get("default")) != 1:
        problems.append("exactly one page must have default = true")
    for page in pages:
        ident = page.get("id", "<no id>")
        missing = {"id", "file", "icon", "title"} - set(page)
        problems += [f"{ident}: missing '{f}'" for f in sorted(missing)]
        problems += [f"{ident}: unknown field '{f}'" for f in sorted(set(page) - FIELDS)]
        if not _ID.match(str(ident)):
            problems.append(f"{ident}: id must be lower-case letters, digits, '_' or '-'")
        if "file" in page and not (root / page["file"]).is_file():
            problems.append(f"{ident}: file {page['file']} does not exist")
        title = page.get("title", {})
        if not isinstance(title, dict) or set(title) != set(LANGUAGES) or not all(
                isinstance(v, str) and v.strip() for v in title.values()):
            problems.append(f"{ident}: title must have non-empty fi, sv and en")
    return problems


@cache
def load_pages(path: Path = PAGES_PATH) -> tuple[dict, ...]:
    """Return the validated pages in navigation order; raise ValueError naming every problem."""
    with open(path, "rb") as fh:
        pages = tomllib.load(fh)["page"]
    problems = validate_pages(pages)
    if problems:
        raise ValueError("Invalid ui/pages.toml:\n" + "\n".join(problems))
    return tuple(pages)
