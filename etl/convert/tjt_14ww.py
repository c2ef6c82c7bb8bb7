"""StatFin tjt/14ww (income level, income differences, low income, basic security) -> wellbeing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.division import Division
from etl.convert.published import count_ratio, published
from etl.convert.pxweb_json import annual_table

RAW_FILE = Path("statfin_pxweb_2026_maps") / "income_register_kunnat_14ww.json"
# indicator id -> (published content code, source_id); the table publishes every level, and
# rates, medians and Gini coefficients are used as published (they cannot be summed)
PUBLISHED = {
    "low_income_rate": ("rpt_aste", "statfin_tjt_14ww_low_income"),
    "child_low_income_rate": ("rpt_l_aste", "statfin_tjt_14ww_child_low_income"),
    "persistent_low_income_rate": ("pit_rpt_aste", "statfin_tjt_14ww_persistent_low_income"),
    "median_income": ("tjt-ekvikturaha_med", "statfin_tjt_14ww_median_income"),
    "gini_coefficient": ("gini_kturaha", "statfin_tjt_14ww_gini"),
}
# persons whose household lives wholly on basic security / household population
BASIC_SECURITY = ("basic_security_share", "pt1_henkiloita", "tjt-henkiloita",
                  "statfin_tjt_14ww_basic_security")


def convert_14ww(long: pd.DataFrame, division: Division, name: str = RAW_FILE.name,
                 ) -> pd.DataFrame:
    """Return the published income indicators and the basic-security share for every level."""
    indicator_id, numerator, denominator, source_id = BASIC_SECURITY
    contents = [code for code, _ in PUBLISHED.values()] + [numerator, denominator]
    data = annual_table(long, contents, division, name)
    frames = [published(data, code, ident, source)
              for ident, (code, source) in PUBLISHED.items()]
    frames.append(count_ratio(data, numerator, denominator, indicator_id, source_id))
    return pd.concat(frames, ignore_index=True)
