from pathlib import Path

import pandas as pd
import pytest

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.migration import RAW_FILE, convert_migration, net_migration, read_migration
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
DIVISION = Division(registry_frame(), successors_frame())


def test_net_migration_and_rate():
    flows = read_migration(RAW / RAW_FILE)
    net = net_migration(flows).set_index(["area_code", "period"])["net"]
    # excerpt 2022 (ages 18–34): into MK12 30 + 178, out of MK12 35 + 146
    assert net[("MK12", 2022)] == (30 + 178) - (35 + 146)
    assert net[("SSS", 2022)] == 0
    pop = pd.DataFrame({"area_code": ["MK12", "SSS"], "period": 2022,
                        "population": [160000.0, 5563970.0]})
    obs = convert_migration(flows, pop, DIVISION).set_index(["area_code", "period"])["value"]
    assert obs[("MK12", 2022)] == pytest.approx(27 / 160000 * 1000, abs=1e-4)
    assert obs[("SSS", 2022)] == 0.0
    assert len(obs) == 2


def test_unknown_region_is_a_clear_error():
    flows = read_migration(RAW / RAW_FILE)
    flows.loc[flows.index[0], "to"] = "MK03"
    with pytest.raises(ConvertError, match="MK03"):
        convert_migration(flows, pd.DataFrame(columns=["area_code", "period", "population"]),
                          DIVISION)
