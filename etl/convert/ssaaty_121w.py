"""StatFin ssaaty/121w (vital statistics, municipalities only) -> rates per 1,000 inhabitants."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.division import Division
from etl.convert.published import check_sums, count_ratio, fill_with_sums
from etl.convert.pxweb_json import annual_table

RAW_FILE = Path("statfin_pxweb_2026_maps") / "population_register_kunnat_121w.json"
POPULATION = "ssaaty-vaesto"  # population 31.12.
# indicator id -> (count, source_id). Summed over a region's municipalities, inter-municipal
# net moves equal the region's net migration with the rest of Finland (moves inside it cancel).
COUNTS = {
    "natural_increase_per_1000": ("ssaaty-luonvalisays", "statfin_ssaaty_121w_natural_increase"),
    "net_internal_migration_per_1000": ("ssaaty-vm43_netto", "statfin_ssaaty_121w_net_internal"),
    "net_immigration_per_1000": ("ssaaty-vm4142", "statfin_ssaaty_121w_net_immigration"),
}


def convert_121w(long: pd.DataFrame, division: Division, name: str = RAW_FILE.name,
                 ) -> pd.DataFrame:
    """Return count / population × 1000 per area, for every level.

    The country and municipalities use their own rows; sub-regions and regions the sums over
    their municipalities.
    """
    counts = [count for count, _ in COUNTS.values()]
    data = annual_table(long, [*counts, POPULATION], division, name)
    check_sums(data, [*counts, POPULATION], division, name)  # the whole-country row adds up
    frames = [fill_with_sums(count_ratio(data, count, POPULATION, indicator_id, source_id, 1000.0),
                             data, count, POPULATION, division, indicator_id, source_id, 1000.0)
              for indicator_id, (count, source_id) in COUNTS.items()]
    return pd.concat(frames, ignore_index=True)
