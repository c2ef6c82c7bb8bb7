"""Write data/README.md: the fixed text (readme_template.md) plus generated coverage tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TEMPLATE = Path(__file__).with_name("readme_template.md")


def markdown_table(frame: pd.DataFrame) -> str:
    """Return a frame as a GitHub markdown table."""
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join("" if pd.isna(v) else str(v) for v in row) + " |"
            for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def rejected_text(rejected: pd.DataFrame, catalog: pd.DataFrame) -> str:
    """Return a bullet list of the published figures left out because of the valid range."""
    if rejected.empty:
        return "None: every converted figure lies inside its indicator's valid range."
    bounds = catalog.set_index("id")["valid_min"].astype(str) + " … " + \
        catalog.set_index("id")["valid_max"].astype(str)
    lines = [f"- `{r.indicator_id}` area `{r.area_code}` {r.period}: {r.value:g} "
             f"(valid range {bounds[r.indicator_id]})" for r in rejected.itertuples()]
    return "\n".join(lines)


def recent_table(obs: pd.DataFrame, catalog: pd.DataFrame, since: int) -> pd.DataFrame:
    """Return per dimension the indicators with a figure for `since` or later (newest year).

    A newest year whose figures are all flagged partial is marked '(partial)'.
    """
    data = obs.loc[obs["value"].notna()]
    cat = catalog.set_index("id")
    rows = []
    for dim in dict.fromkeys(catalog["dimension"]):
        names = []
        for ident in catalog.loc[catalog["dimension"] == dim, "id"]:
            part = data.loc[data["indicator_id"] == ident]
            full = part.loc[part["flag"] != "partial"]
            newest = int(full["period"].max()) if len(full) else None
            shown = [str(newest)] if newest is not None and newest >= since else []
            later = part.loc[part["period"] > (newest or 0), "period"]
            shown += [f"{int(y)} partial" for y in sorted(set(later)) if y >= since]
            if shown:
                scored = "" if cat.at[ident, "scored"] else ", context"
                names.append(f"{ident} ({'; '.join(shown)}{scored})")
        rows.append({"dimension": dim, "count": len(names),
                     f"indicators with a figure for {since} or later": ", ".join(names) or "none"})
    return pd.DataFrame(rows)


def monthly_coverage(monthly: pd.DataFrame, area_levels: pd.Series) -> pd.DataFrame:
    """Return one row per monthly series: months covered, rows with a value by level."""
    data = monthly.loc[monthly["value"].notna()].assign(
        level=monthly["area_code"].map(area_levels))
    rows = []
    for ident, part in data.groupby("series_id", sort=True):
        months = sorted(part["month"].unique())
        counts = part["level"].value_counts()
        rows.append({"series_id": ident, "months": f"{months[0]} … {months[-1]}",
                     "n_months": len(months),
                     **{level: int(counts.get(level, 0)) for level in
                        ("country", "region", "subregion", "municipality")},
                     "confidential_rows": int((monthly["series_id"] == ident).sum()
                                              - len(part))})
    return pd.DataFrame(rows)


def write_readme(path: Path, coverage: pd.DataFrame, rejected: pd.DataFrame,
                 catalog: pd.DataFrame, obs: pd.DataFrame | None = None,
                 monthly: pd.DataFrame | None = None, since: int = 2023,
                 eu_text: str | None = None) -> None:
    """Fill the template's {coverage}, {recent}, {monthly}, {eu} and {rejected}; write it.

    monthly is the result of monthly_coverage (a table per series); eu_text the EU files'
    section (etl.convert.eurostat_eu.EuSnapshot.readme).
    """
    dims = catalog.set_index("id")["dimension"]
    table = coverage.assign(dimension=coverage["indicator_id"].map(dims))
    table = table.sort_values(["dimension", "indicator_id"])
    table = table[["dimension", "indicator_id", "years", "country", "region", "subregion",
                   "municipality", "missing_rows", "sources"]]
    text = TEMPLATE.read_text(encoding="utf-8")
    text = text.replace("{coverage}", markdown_table(table))
    text = text.replace("{rejected}", rejected_text(rejected, catalog))
    if obs is not None:
        text = text.replace("{recent}", markdown_table(recent_table(obs, catalog, since)))
    if monthly is not None:
        text = text.replace("{monthly}", markdown_table(monthly))
    if eu_text is not None:
        text = text.replace("{eu}", eu_text)
    Path(path).write_text(text, encoding="utf-8")
