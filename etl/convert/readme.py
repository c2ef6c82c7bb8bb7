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


def write_readme(path: Path, coverage: pd.DataFrame, rejected: pd.DataFrame,
                 catalog: pd.DataFrame) -> None:
    """Fill the template's {coverage} and {rejected} and write it to path."""
    dims = catalog.set_index("id")["dimension"]
    table = coverage.assign(dimension=coverage["indicator_id"].map(dims))
    table = table.sort_values(["dimension", "indicator_id"])
    table = table[["dimension", "indicator_id", "years", "country", "region", "subregion",
                   "municipality", "missing_rows", "sources"]]
    text = TEMPLATE.read_text(encoding="utf-8")
    text = text.replace("{coverage}", markdown_table(table))
    text = text.replace("{rejected}", rejected_text(rejected, catalog))
    Path(path).write_text(text, encoding="utf-8")
