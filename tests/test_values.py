import math

import numpy as np
import pandas as pd

from etl.convert.division import observations
from etl.live_sources import specs_from_catalog, to_observations
from etl.values import STORED_DECIMALS, stored


def test_stored_rounds_to_the_stored_decimals_and_keeps_gaps():
    out = stored([38964 / 663626 * 100, float("nan"), 14.1])
    assert out[0] == round(38964 / 663626 * 100, STORED_DECIMALS) != 38964 / 663626 * 100
    assert math.isnan(out[1]) and out[2] == 14.1


def test_converter_and_live_etl_store_the_same_figure_for_the_same_source():
    frame = pd.DataFrame({"area_code": ["091"], "period": [2024],
                          "value": [38964 / 663626 * 100], "flag": [None]})
    bundled = observations(frame, "basic_security_share", "snapshot")
    spec = specs_from_catalog(only=["basic_security_share"])[0]
    live = to_observations(frame, spec)
    assert np.array_equal(bundled["value"].to_numpy(), live["value"].to_numpy())
