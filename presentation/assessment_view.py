"""The region's own assessment's view-model: its text as plain blocks, marked as the region's."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indicators import assessments as engine
from presentation import format as fmt
from presentation.i18n import t

TEMPLATE_PATH = "assessments/TEMPLATE.md"
README_PATH = "assessments/README.md"


@dataclass(frozen=True)
class AssessmentSection:
    """One section: its heading in the page's language and its plain text blocks."""

    heading: str
    blocks: tuple[tuple[str, str], ...]  # (kind 'paragraph' | 'item', plain text)

    def runs(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Return the blocks as ('paragraph', (text,)) and ('list', (item, …)) in order."""
        out: list[tuple[str, tuple[str, ...]]] = []
        for kind, text in self.blocks:
            if kind == "item" and out and out[-1][0] == "list":
                out[-1] = ("list", (*out[-1][1], text))
            else:
                out.append(("list" if kind == "item" else "paragraph", (text,)))
        return tuple(out)


@dataclass(frozen=True)
class AssessmentView:
    """The region's own text (never markup), or where and how to add one."""

    area_code: str
    year: int
    lang: str
    title: str
    present: bool
    marker: str
    sections: tuple[AssessmentSection, ...]
    missing: str
    how: str
    text_lang: str | None
    path: str = ""  # where the text goes: assessments/<year>/<code>.md
    template: str = TEMPLATE_PATH
    invalid: bool = False  # a file is there but fails the check; missing says why


def build_assessment_view(area_code: str, year: int, lang: str,
                          root: Path | str = engine.ASSESSMENTS_DIR,
                          region_codes: tuple[str, ...] | None = None) -> AssessmentView:
    """Return the region's assessment for a year; without a valid file, say how to add one."""
    title = t("assessment.title", lang)
    path = f"assessments/{int(year)}/{area_code}.md"
    how = t("assessment.how", lang, template=TEMPLATE_PATH, path=path, readme=README_PATH)
    try:
        found = engine.assessment_for(area_code, int(year), Path(root), region_codes)
    except engine.AssessmentError as error:
        return AssessmentView(area_code, int(year), lang, title, False, "", (),
                              t("assessment.invalid", lang, reason=error.problem), how, None,
                              path, invalid=True)
    if found is None:
        return AssessmentView(area_code, int(year), lang, title, False, "", (),
                              t("assessment.missing", lang, year=int(year)), how, None,
                              path)
    headings = engine.section_headings()
    sections = tuple(
        AssessmentSection(headings.get(s.id, {}).get(lang, s.heading),
                          tuple((b.kind, b.text) for b in s.blocks))
        for s in found.sections if s.blocks)
    marker = t("assessment.marker", lang, organisation=found.organisation,
               date=fmt.date(found.date.isoformat(), lang))
    return AssessmentView(area_code, int(year), lang, title, True, marker, sections, "", "",
                          found.language, path)
