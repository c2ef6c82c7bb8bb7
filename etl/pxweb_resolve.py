"""Pure resolution of a catalog entry's codes against a PxWeb table's own metadata.

Nothing here builds a code. The area variable is the one whose code is `Alue` or `alue_N_DATE`
(whatever its vintage), the time variable is the one flagged `time` (or `timeperiod_y/m/q`),
the content variable is `contentscode`. Contents are found by the code the catalog names,
with or without the statistic's prefix (`vaerak-vaesto` and `vaesto` match each other), or by
a label the catalog states (`label:<text>` exact, `label~<text>` contained). An ambiguity or a
miss raises ResolveError naming the table, the variable and the codes on offer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

AREA_CODE = re.compile(r"(?i)alue(_\d+_\d{8})?")
TIME_CODE = re.compile(r"timeperiod_[ymq]")
CONTENTS_CODE = "contentscode"
CONTENTS_TEXTS = ("tiedot", "information", "uppgifter")
PREFIX = re.compile(r"^[a-z][a-z0-9]*-")
SHOWN = 12


class ResolveError(ValueError):
    """A code the catalog names cannot be found (or found only ambiguously) in the metadata."""


@dataclass(frozen=True)
class Variable:
    """One variable of a table's v1 metadata."""

    code: str
    text: str
    values: tuple[str, ...]
    texts: tuple[str, ...]
    eliminable: bool
    time: bool

    def offer(self) -> str:
        """Return a short list of the codes on offer, for messages."""
        shown = ", ".join(self.values[:SHOWN])
        more = f", … ({len(self.values)} in all)" if len(self.values) > SHOWN else ""
        return f"{shown}{more}"


def variables(metadata: dict, table: str) -> list[Variable]:
    """Return the variables of a v1 metadata document; raise ResolveError when it has none."""
    raw = metadata.get("variables") if isinstance(metadata, dict) else None
    if not isinstance(raw, list) or not raw:
        raise ResolveError(f"{table}: the metadata has no 'variables' list")
    out = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            raise ResolveError(f"{table}: a metadata variable has no code: {str(item)[:80]}")
        values = [str(v) for v in item.get("values") or []]
        texts = [str(t) for t in item.get("valueTexts") or values]
        if len(texts) != len(values):
            texts = values
        out.append(Variable(item["code"], str(item.get("text", item["code"])), tuple(values),
                            tuple(texts), bool(item.get("elimination", False)),
                            bool(item.get("time", False))))
    return out


def _normal(text: str) -> str:
    """Return text casefolded with whitespace collapsed and dashes unified."""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", str(text)).casefold()
    return " ".join(text.split())


def _label_ref(ref: str) -> tuple[str, str] | None:
    """Return ('exact'|'contains', text) for a label reference, else None."""
    for mark, how in (("label:", "exact"), ("label~", "contains")):
        if ref.startswith(mark):
            return how, ref[len(mark):]
    return None


def _one(matches: list, what: str, table: str, offered: str) -> object:
    """Return the single match, or raise naming what was looked for and what is on offer."""
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ResolveError(f"{table}: {what} not found (on offer: {offered})")
    raise ResolveError(f"{table}: {what} is ambiguous: {', '.join(map(str, matches))} "
                       f"all match (on offer: {offered})")


def find_variable(found: list[Variable], ref: str, table: str) -> Variable:
    """Return the variable a reference names.

    A reference is its code, its code stem (`sukupuoli` for `sukupuoli_9_20180101`), a label
    (`label:<text>`, `label~<text>`) or `offers:<value>` (the one variable offering that code).
    """
    offered = ", ".join(f"{v.code} ({v.text})" for v in found)
    label = _label_ref(ref)
    if label:
        how, text = label
        if how == "exact":
            matches = [v for v in found if _normal(v.text) == _normal(text)]
        else:
            matches = [v for v in found if _normal(text) in _normal(v.text)]
        return _one(matches, f"variable with label '{text}'", table, offered)
    if ref.startswith("offers:"):
        code = ref[len("offers:"):]
        return _one([v for v in found if code in v.values],
                    f"variable offering value '{code}'", table, offered)
    exact = [v for v in found if v.code == ref]
    if exact:
        return exact[0]
    stem = re.compile(rf"{re.escape(ref)}_\d+_\d{{8}}")
    return _one([v for v in found if stem.fullmatch(v.code)], f"variable '{ref}'", table,
                offered)


def find_area(found: list[Variable], table: str) -> Variable:
    """Return the area variable (code `Alue` or `alue_N_DATE`, whatever its vintage)."""
    return _one([v for v in found if AREA_CODE.fullmatch(v.code)],
                "area variable (code Alue or alue_N_YYYYMMDD)", table,
                ", ".join(v.code for v in found))


def find_time(found: list[Variable], table: str) -> Variable:
    """Return the time variable: the one flagged `time`, else `timeperiod_y/m/q`."""
    flagged = [v for v in found if v.time]
    if flagged:
        return _one(flagged, "time variable", table, ", ".join(v.code for v in found))
    return _one([v for v in found if TIME_CODE.fullmatch(v.code)],
                "time variable (flagged time, or timeperiod_y/m/q)", table,
                ", ".join(v.code for v in found))


def find_contents(found: list[Variable], table: str) -> Variable:
    """Return the content variable: code `contentscode`, else the one labelled Tiedot."""
    coded = [v for v in found if v.code.casefold() == CONTENTS_CODE]
    if coded:
        return coded[0]
    return _one([v for v in found if _normal(v.text) in CONTENTS_TEXTS],
                "content variable (contentscode)", table, ", ".join(v.code for v in found))


def unprefixed(code: str) -> str:
    """Return a value code without a statistic's prefix ('vaerak-vaesto' -> 'vaesto')."""
    return PREFIX.sub("", code)


def find_value(variable: Variable, ref: str, table: str) -> str:
    """Return the value code a reference names in a variable.

    A plain reference is a code: an exact match wins, else a match with or without the
    statistic's prefix. `label:<text>` and `label~<text>` match the value's label.
    """
    where = f"variable '{variable.code}'"
    label = _label_ref(ref)
    if label:
        how, text = label
        pairs = list(zip(variable.values, variable.texts, strict=True))
        if how == "exact":
            matches = [c for c, t in pairs if _normal(t) == _normal(text)]
        else:
            matches = [c for c, t in pairs if _normal(text) in _normal(t)]
        return _one(matches, f"value with label '{text}' in {where}", table, variable.offer())
    if ref in variable.values:
        return ref
    bare = unprefixed(ref)
    return _one([c for c in variable.values if unprefixed(c) == bare],
                f"value '{ref}' (with or without a prefix) in {where}", table, variable.offer())


@dataclass
class Resolved:
    """The codes a catalog entry resolved to in one table's metadata."""

    table: str
    area: Variable
    time: Variable
    contents: Variable
    roles: dict[str, str]               # role (value, numerator, denominator, content) -> code
    role_variable: str                  # the variable holding the roles (contents or `by`)
    select: dict[str, str] = field(default_factory=dict)   # other variable -> value code
    notes: list[str] = field(default_factory=list)

    @property
    def frequency(self) -> str:
        """Return 'month' for a monthly time variable, 'quarter' or 'year'."""
        return {"m": "month", "q": "quarter"}.get(self.time.code[-1:], "year") \
            if TIME_CODE.fullmatch(self.time.code) else _guess_frequency(self.time.values)

    def describe(self) -> str:
        """Return what was resolved, for `etl check` and the run log."""
        parts = [f"area {self.area.code}", f"time {self.time.code}"]
        if self.role_variable != self.contents.code:
            parts.append(f"{self.role_variable} " + ", ".join(
                f"{r} {c}" for r, c in self.roles.items() if r != "content"))
            if "content" in self.roles:
                parts.append(f"{self.contents.code} {self.roles['content']}")
        else:
            parts.append(f"{self.contents.code} " + ", ".join(
                dict.fromkeys(self.roles.values())))
        parts += [f"{k} {v}" for k, v in self.select.items()]
        return "; ".join(parts)


def _guess_frequency(values: tuple[str, ...]) -> str:
    """Return the frequency the time codes show ('2026M06' month, '2026Q1' quarter)."""
    if values and all(re.fullmatch(r"\d{4}M\d{2}", v) for v in values):
        return "month"
    if values and all(re.fullmatch(r"\d{4}Q\d", v) for v in values):
        return "quarter"
    return "year"


def resolve(metadata: dict, table: str, roles: dict[str, str], *, by: str | None = None,
            content: str | None = None, select: list[dict] | None = None) -> Resolved:
    """Resolve an entry's references in a table's metadata; raise ResolveError on any miss.

    roles maps a role to a value reference in the content variable, or in the `by` variable
    when the entry takes a ratio over a classification (e.g. commuters / all employed). A role
    given as None means "the table's only content". Variables the entry does not name must be
    eliminable (PxWeb then answers with their total).
    """
    found = variables(metadata, table)
    area, time, contents = find_area(found, table), find_time(found, table), \
        find_contents(found, table)
    named = {area.code, time.code, contents.code}
    resolved_roles: dict[str, str] = {}
    if by:
        by_var = find_variable(found, by, table)
        if by_var.code in named:
            raise ResolveError(f"{table}: 'by' names the {by_var.code} variable, which is "
                               "already the area, time or content variable")
        named.add(by_var.code)
        for role, ref in roles.items():
            resolved_roles[role] = find_value(by_var, ref, table)
        role_variable = by_var.code
        resolved_roles["content"] = find_value(contents, content, table) if content else \
            _only(contents, table)
    else:
        role_variable = contents.code
        for role, ref in roles.items():
            resolved_roles[role] = find_value(contents, ref, table) if ref else \
                _only(contents, table)
    chosen: dict[str, str] = {}
    for item in select or []:
        var = find_variable(found, item["variable"], table)
        if var.code in named:
            raise ResolveError(f"{table}: select names the {var.code} variable, which is "
                               "already the area, time, content or ratio variable")
        chosen[var.code] = find_value(var, item["value"], table)
        named.add(var.code)
    problems = [f"variable '{v.code}' ({v.text}) cannot be left out (not eliminable): add it "
                f"to select (values: {v.offer()})" for v in found
                if v.code not in named and not v.eliminable]
    if problems:
        raise ResolveError(f"{table}: " + "; ".join(problems))
    return Resolved(table, area, time, contents, resolved_roles, role_variable, chosen)


def _only(contents: Variable, table: str) -> str:
    """Return the table's only content, or raise when it has several."""
    if len(contents.values) == 1:
        return contents.values[0]
    raise ResolveError(f"{table}: the catalog names no content and the table has "
                       f"{len(contents.values)} (on offer: {contents.offer()})")
