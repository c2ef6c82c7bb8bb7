"""How a figure is stored: one rounding rule for the bundled snapshot and the live ETL alike."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Published figures carry at most one or two decimals; a derived rate is kept to four, which
# loses nothing a reader sees and makes the same source give the same stored figure whether
# the converter or a nightly run derived it (so a re-fetch is not mistaken for a revision).
STORED_DECIMALS = 4


def stored(values) -> np.ndarray:
    """Return values as floats rounded to STORED_DECIMALS (NaN stays NaN)."""
    return pd.to_numeric(pd.Series(values), errors="raise").astype(float) \
        .round(STORED_DECIMALS).to_numpy()
