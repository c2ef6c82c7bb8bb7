"""Pure planning of PxWeb fetches: resolve each request, then one union query per table shape.

Several indicators read the same table (12bs gives four, 14ww six); they are resolved one by
one against the table's metadata (a miss fails only that indicator) and fetched together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.live_derive import area_level, month_of, period_of, pxweb_area_code
from etl.pxweb_query import Selection
from etl.pxweb_resolve import Resolved, ResolveError, resolve

ALL_LEVELS = ("country", "region", "subregion", "municipality")


@dataclass(frozen=True)
class TableRequest:
    """What one indicator (or a monthly series set, or a denominator) needs from one table."""

    key: str
    database: str
    table: str
    roles: tuple[tuple[str, str | None], ...]
    by: str | None = None
    content: str | None = None
    select: tuple[tuple[str, str], ...] = ()
    since: int = 2000
    levels: tuple[str, ...] = ALL_LEVELS

    @property
    def shape(self) -> tuple:
        """Return what requests must share to be fetched in one query."""
        return (self.database, self.table, self.by, self.content, self.select)

    @property
    def table_id(self) -> str:
        """Return database/table, e.g. StatFin/vkour/12bs.px."""
        return f"{self.database}/{self.table}"


@dataclass
class TablePlan:
    """The resolutions of a group of requests and the one selection that serves them all."""

    resolved: dict[str, Resolved] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    selection: Selection = field(default_factory=dict)
    contents: str = ""


def _time_codes(resolved: Resolved, since: int, last_year: int) -> list[str]:
    """Return the time codes from `since` up to `last_year` in the table's order."""
    out = []
    for code in resolved.time.values:
        if resolved.frequency == "month":
            month = month_of(code)
            year = int(month[:4]) if month else None
        else:
            year = period_of(code)
        if year is not None and since <= year <= last_year:
            out.append(code)
    return out


def plan_table(requests: list[TableRequest], metadata: dict, known_areas: set[str],
               last_year: int) -> TablePlan:
    """Resolve each request of one shape and return the union selection (metadata order)."""
    plan = TablePlan()
    for req in requests:
        try:
            plan.resolved[req.key] = resolve(
                metadata, req.table_id, dict(req.roles), by=req.by, content=req.content,
                select=[{"variable": v, "value": c} for v, c in req.select])
        except ResolveError as exc:
            plan.failures[req.key] = str(exc)
    if not plan.resolved:
        return plan
    first = next(iter(plan.resolved.values()))
    levels = {lvl for r in requests if r.key in plan.resolved for lvl in r.levels}
    areas = [c for c in first.area.values
             if (m := pxweb_area_code(c)) is not None and m in known_areas
             and area_level(m) in levels]
    since = min(r.since for r in requests if r.key in plan.resolved)
    times = _time_codes(first, since, last_year)
    if not areas or not times:
        why = (f"area variable '{first.area.code}' offers no codes of today's division at the "
               f"levels {sorted(levels)}" if not areas else
               f"time variable '{first.time.code}' offers nothing from {since} to {last_year} "
               f"(on offer: {first.time.offer()})")
        for key in list(plan.resolved):
            plan.failures[key] = f"{first.table}: {why}"
        plan.resolved.clear()
        return plan
    role_codes = list(dict.fromkeys(
        code for r in plan.resolved.values() for role, code in r.roles.items()
        if role != "content" or r.role_variable == r.contents.code))
    chosen: dict[str, list[str]] = {first.area.code: areas, first.time.code: times}
    if first.role_variable != first.contents.code:
        chosen[first.role_variable] = role_codes
        chosen[first.contents.code] = list(dict.fromkeys(
            r.roles["content"] for r in plan.resolved.values()))
    else:
        chosen[first.contents.code] = role_codes
    for var, code in first.select.items():
        chosen[var] = [code]
    order = [v["code"] for v in metadata["variables"]]
    plan.selection = {code: chosen[code] for code in order if code in chosen}
    plan.contents = first.contents.code
    return plan
