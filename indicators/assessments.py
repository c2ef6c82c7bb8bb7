"""The region's own assessment: load and validate assessments/<year>/<MKnn>.md as plain text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from indicators import regions as registry
from indicators.catalog import LANGUAGES, load_dimensions

ROOT = Path(__file__).resolve().parent.parent
ASSESSMENTS_DIR = ROOT / "assessments"
TEMPLATE = ASSESSMENTS_DIR / "TEMPLATE.md"
MAX_BYTES = 100_000
HEADER_MARK = "---"
REQUIRED_KEYS = ("region", "year", "organisation", "date")
OPTIONAL_KEYS = ("language",)
NOTE_MARK = ">"
ITEM = re.compile(r"^[-*]\s+(.*)$")
# Anything that a browser would read as a tag, a comment or an entity.
HTML = re.compile(r"<\s*[/!?]?\s*[A-Za-z]|<!--|&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
FILE_NAME = re.compile(r"MK[0-9]{2}\.md")
YEAR_FOLDER = re.compile(r"[0-9]{4}")
OVERALL_HEADINGS = {"fi": "Kokonaiskuva", "sv": "Helhetsbild", "en": "Overall view"}
PROPOSAL_HEADINGS = {"fi": "Ehdotukset keskusteluun", "sv": "Förslag till diskussionen",
                     "en": "Proposals for the discussion"}


class AssessmentError(ValueError):
    """Raised for a file that breaks the format; the message names the file and the line."""

    def __init__(self, source: str, line: int | None, message: str):
        self.source, self.line, self.problem = source, line, message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Block:
    """One paragraph or list item of plain text (never markup)."""

    kind: str            # "paragraph" or "item"
    text: str


@dataclass(frozen=True)
class Section:
    """One section: overall, a dimension id or proposals, with its heading as written."""

    id: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Assessment:
    """A region's own text for one year's discussion, with who wrote it and when."""

    region: str
    year: int
    organisation: str
    date: dt.date
    language: str
    sections: tuple[Section, ...]
    source: str

    def section(self, section_id: str) -> Section | None:
        """Return the section with this id, or None when the region wrote none."""
        return next((s for s in self.sections if s.id == section_id), None)


def section_headings() -> dict[str, dict[str, str]]:
    """Return section id -> heading per language, in the order of the file format."""
    out = {"overall": dict(OVERALL_HEADINGS)}
    for dim in load_dimensions():
        out[dim["id"]] = {lang: dim["label"][lang] for lang in LANGUAGES}
    out["proposals"] = dict(PROPOSAL_HEADINGS)
    return out


def _normal(text: str) -> str:
    """Return a heading compared case- and space-insensitively."""
    return " ".join(text.split()).casefold()


def _heading_index() -> dict[str, str]:
    """Return normalised heading (any language) -> section id."""
    return {_normal(h): ident for ident, texts in section_headings().items()
            for h in texts.values()}


def _check_html(source: str, number: int, line: str) -> None:
    """Raise when the line holds a tag, a comment or an entity."""
    match = HTML.search(line)
    if match:
        raise AssessmentError(source, number, f"HTML is not allowed ({match.group(0)!r}); "
                                              "write plain text")


def _header(lines: list[str], source: str, region_codes: Collection[str]
            ) -> tuple[dict[str, str], int]:
    """Return the header fields and the index of the first body line."""
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise AssessmentError(source, None, "the file is empty")
    if lines[start].strip() != HEADER_MARK:
        raise AssessmentError(source, start + 1, f"the file must start with a header between "
                                                 f"'{HEADER_MARK}' lines")
    fields: dict[str, str] = {}
    at: dict[str, int] = {}
    for i in range(start + 1, len(lines)):
        line, number = lines[i].strip(), i + 1
        if line == HEADER_MARK:
            missing = [k for k in REQUIRED_KEYS if k not in fields]
            if missing:
                raise AssessmentError(source, number, f"the header lacks {', '.join(missing)}")
            _check_fields(fields, at, source, region_codes)
            return fields, i + 1
        if not line:
            continue
        _check_html(source, number, line)
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or key not in (*REQUIRED_KEYS, *OPTIONAL_KEYS):
            known = ", ".join((*REQUIRED_KEYS, *OPTIONAL_KEYS))
            raise AssessmentError(source, number, f"unknown header line {line!r}; the header "
                                                  f"has 'key: value' lines with keys {known}")
        if key in fields:
            raise AssessmentError(source, number, f"'{key}' is given twice")
        if not value.strip():
            raise AssessmentError(source, number, f"'{key}' is empty")
        fields[key], at[key] = value.strip(), number
    raise AssessmentError(source, start + 1, f"the header is not closed with '{HEADER_MARK}'")


def _check_fields(fields: dict[str, str], at: dict[str, int], source: str,
                  region_codes: Collection[str]) -> None:
    """Raise for an unknown region, a bad year or date, or an unknown language (at its line)."""
    if fields["region"] not in region_codes:
        raise AssessmentError(source, at["region"], f"unknown region {fields['region']!r}; use "
                                                    "the region code, e.g. MK12 "
                                                    "(indicators/regions.csv)")
    if not re.fullmatch(r"20[0-9]{2}", fields["year"]):
        raise AssessmentError(source, at["year"], f"year {fields['year']!r} is not a year "
                                                  "2000–2099")
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fields["date"]):
            raise ValueError
        dt.date.fromisoformat(fields["date"])
    except ValueError:
        raise AssessmentError(source, at["date"], f"date {fields['date']!r} is not a date "
                                                  "YYYY-MM-DD") from None
    if fields.get("language", "fi") not in LANGUAGES:
        raise AssessmentError(source, at["language"], f"language must be one of {LANGUAGES}")


def _blocks(lines: list[tuple[int, str]]) -> tuple[Block, ...]:
    """Return the paragraphs and list items of a section's text lines."""
    blocks: list[Block] = []
    current: list[str] = []
    kind = "paragraph"

    def close() -> None:
        if current:
            blocks.append(Block(kind, " ".join(current)))
            current.clear()

    for _, line in lines:
        text = line.strip()
        item = ITEM.match(text)
        if not text:
            close()
            kind = "paragraph"
        elif item:
            close()
            kind = "item"
            current.append(item.group(1).strip())
        else:
            current.append(text)
    close()
    return tuple(blocks)


def parse_assessment(text: str, source: str = "<text>",
                     region_codes: Collection[str] | None = None) -> Assessment:
    """Return the assessment in text; raise AssessmentError naming source and line.

    Lines starting with '>' are notes of the template and are left out. Sections are '## '
    headings of the format (section_headings, any of fi/sv/en); a section may be left out.
    """
    region_codes = registry.codes("region") if region_codes is None else region_codes
    if "\x00" in text:
        raise AssessmentError(source, None, "the file is not text")
    lines = text.lstrip("\ufeff").splitlines()
    fields, body_start = _header(lines, source, region_codes)
    index = _heading_index()
    sections: list[tuple[str, str, list[tuple[int, str]]]] = []
    for i in range(body_start, len(lines)):
        number, line = i + 1, lines[i]
        stripped = line.strip()
        if stripped.startswith(NOTE_MARK):
            continue
        _check_html(source, number, stripped)
        if stripped.startswith("#"):
            if not stripped.startswith("## ") or stripped.startswith("###"):
                raise AssessmentError(source, number, "headings are '## ' followed by a "
                                                      "section name; other headings are not "
                                                      "allowed")
            heading = stripped[3:].strip()
            ident = index.get(_normal(heading))
            if ident is None:
                allowed = "; ".join(h["fi"] for h in section_headings().values())
                raise AssessmentError(source, number, f"unknown section {heading!r}; the "
                                                      f"sections are: {allowed}")
            if any(ident == s[0] for s in sections):
                raise AssessmentError(source, number, f"section {heading!r} appears twice")
            sections.append((ident, heading, []))
        elif stripped and not sections:
            raise AssessmentError(source, number, "text before the first '## ' section")
        elif sections:
            sections[-1][2].append((number, line))
    order = list(section_headings())
    built = tuple(Section(ident, heading, _blocks(body)) for ident, heading, body in
                  sorted(sections, key=lambda s: order.index(s[0])))
    built = tuple(s for s in built if s.blocks)
    if not built:
        raise AssessmentError(source, None, "no text in any section (an unfilled template?)")
    return Assessment(fields["region"], int(fields["year"]), fields["organisation"],
                      dt.date.fromisoformat(fields["date"]), fields.get("language", "fi"),
                      built, source)


def load_assessment(path: Path, region_codes: Collection[str] | None = None) -> Assessment:
    """Read and parse one file (UTF-8, at most MAX_BYTES)."""
    path = Path(path)
    source = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise AssessmentError(source, None, f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise AssessmentError(source, None, f"larger than {MAX_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise AssessmentError(source, line, "not UTF-8 text; save the file as UTF-8") from None
    return parse_assessment(text, source, region_codes)


def _check_place(assessment: Assessment, path: Path) -> None:
    """Raise when the file's folder and name do not match its header."""
    expected = f"{assessment.year}/{assessment.region}.md"
    if f"{path.parent.name}/{path.name}" != expected:
        raise AssessmentError(str(path), None, f"the header says {assessment.region} "
                                               f"{assessment.year}: the file belongs at "
                                               f"assessments/{expected}")


def assessment_files(root: Path = ASSESSMENTS_DIR) -> list[Path]:
    """Return every file inside the year folders of root, sorted."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for folder in root.iterdir() if folder.is_dir()
                  for p in folder.iterdir())


def _load_file(path: Path, region_codes: Collection[str]) -> Assessment:
    """Return one assessment after checking its folder and file name."""
    if not YEAR_FOLDER.fullmatch(path.parent.name):
        raise AssessmentError(str(path), None, "the folder must be a year, e.g. "
                                               "assessments/2026/")
    if not FILE_NAME.fullmatch(path.name):
        raise AssessmentError(str(path), None, "the file name must be the region code, e.g. "
                                               "MK12.md")
    assessment = load_assessment(path, region_codes)
    _check_place(assessment, path)
    return assessment


def validate_folder(root: Path = ASSESSMENTS_DIR,
                    region_codes: Collection[str] | None = None) -> list[str]:
    """Return every problem of the files under root (empty when all are valid)."""
    region_codes = registry.codes("region") if region_codes is None else region_codes
    problems = []
    for path in assessment_files(root):
        try:
            _load_file(path, region_codes)
        except AssessmentError as exc:
            problems.append(str(exc))
    return problems


def load_assessments(root: Path = ASSESSMENTS_DIR,
                     region_codes: Collection[str] | None = None
                     ) -> Mapping[tuple[str, int], Assessment]:
    """Return every valid assessment keyed by (region, year); raise on the first bad file."""
    region_codes = registry.codes("region") if region_codes is None else region_codes
    out = {}
    for path in assessment_files(root):
        assessment = _load_file(path, region_codes)
        out[(assessment.region, assessment.year)] = assessment
    return out


def assessment_for(region: str, year: int, root: Path = ASSESSMENTS_DIR,
                   region_codes: Collection[str] | None = None) -> Assessment | None:
    """Return the region's text for the year, None when there is no file (the page says how)."""
    path = Path(root) / f"{int(year)}" / f"{region}.md"
    if not path.exists():
        return None
    return _load_file(path, registry.codes("region") if region_codes is None else region_codes)
