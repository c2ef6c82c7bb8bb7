"""StatFin vkour/12bs (population 15+ by level of education) -> education shares and index."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.division import Division
from etl.convert.published import check_sums, fill_with_sums, published
from etl.convert.pxweb_json import annual_table

RAW_FILE = Path("statfin_pxweb_2026_maps") / "education_register_kunnat_12bs.json"
BASE = "vaesto_15_"  # population aged 15+ on 31 December
# indicator id -> (count, published share of the population 15+, source_id)
SHARES = {
    "tertiary_education_share": ("kaste5T8", "kaste5T8osuus", "statfin_vkour_12bs_tertiary"),
    "upper_secondary_or_higher_share": ("kaste3T8", "kaste3T8osuus",
                                        "statfin_vkour_12bs_post_basic"),
    "no_post_basic_share": ("kaste0", "kaste0osuus", "statfin_vkour_12bs_no_post_basic"),
}
INDEX = ("education_level_index", "vktm", "statfin_vkour_12bs_vktm")  # published only


def convert_12bs(long: pd.DataFrame, division: Division, name: str = RAW_FILE.name,
                 ) -> pd.DataFrame:
    """Return the three shares (published, sub-regions from counts) and the published index."""
    contents = [BASE, INDEX[1], *[c for pair in SHARES.values() for c in pair[:2]]]
    data = annual_table(long, contents, division, name)
    check_sums(data, [BASE, *[count for count, _, _ in SHARES.values()]], division, name)
    frames = [fill_with_sums(published(data, share, indicator_id, source_id), data, count, BASE,
                             division, indicator_id, source_id)
              for indicator_id, (count, share, source_id) in SHARES.items()]
    indicator_id, column, source_id = INDEX
    frames.append(published(data, column, indicator_id, source_id))
    return pd.concat(frames, ignore_index=True)
