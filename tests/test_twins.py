"""EU twins engine: variables file, reference year, distances, twins and the comparison.

The panels built here are SYNTHETIC (invented numbers for invented regions "Synthetic 0001"…),
except the tests marked 'bundled', which read the committed Eurostat snapshot in data/.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators import twins as T
from indicators.regions import registry_frame

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
STRUCTURE = (("gdp", "log"), ("density", "log"), ("old", "identity"))
COUNTRIES = T.TWIN_POOL


# --- synthetic panels ----------------------------------------------------------------------

def synthetic_regions(codes: list[str]) -> pd.DataFrame:
    """Return an eu_regions frame for SYNTHETIC NUTS-3 codes (country = first two letters)."""
    return pd.DataFrame({"nuts_code": codes, "level": 3, "country_code": [c[:2] for c in codes],
                         "name": [f"Synthetic {i:04d}" for i in range(len(codes))],
                         "name_source": "synthetic"})


def long_rows(values: dict[str, np.ndarray], codes: list[str], year: int) -> pd.DataFrame:
    """Return eu_observations rows of one year; NaN values give no row."""
    parts = []
    for var, column in values.items():
        keep = ~np.isnan(column)
        parts.append(pd.DataFrame({"variable": var, "nuts_code": np.array(codes)[keep],
                                   "period": year, "value": column[keep], "flag": None,
                                   "source_id": "synthetic"}))
    return pd.concat(parts, ignore_index=True)


def synthetic_panel(n: int = 1165, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return a SYNTHETIC EU-sized panel: n regions over the 27 pool countries, 2019–2021.

    2021 has GDP for only a quarter of the regions, so the reference year is 2020.
    """
    rng = np.random.default_rng(seed)
    codes = [f"{COUNTRIES[i % len(COUNTRIES)]}{i:03X}" for i in range(n)]
    frames = []
    for year in (2019, 2020, 2021):
        values = {"gdp": np.exp(rng.normal(10.0, 0.4, n)), "density": np.exp(rng.normal(4, 1.2, n)),
                  "old": rng.normal(33, 6, n)}
        if year == 2021:
            values["gdp"][n // 4:] = np.nan
        frames.append(long_rows(values, codes, year))
    return pd.concat(frames, ignore_index=True), synthetic_regions(codes)


def naive_twins(obs, regions, code, year, n=5):
    """Return the twins of code by a plain loop (independent of the engine): [(twin, dist)]."""
    data = obs[obs.period == year].pivot(index="nuts_code", columns="variable", values="value")
    data = data[[v for v, _ in STRUCTURE]].dropna()
    for var, transform in STRUCTURE:
        if transform == "log":
            data[var] = np.log(data[var])
    z = (data - data.mean()) / data.std(ddof=0)
    rows = dict(zip(z.index, z.to_numpy().tolist(), strict=True))
    mine, out = rows[code], []
    for other, theirs in rows.items():
        if other[:2] != code[:2]:
            squares = [(a - b) ** 2 for a, b in zip(theirs, mine, strict=True)]
            out.append(((sum(squares) / len(squares)) ** 0.5, other))
    return [(c, d) for d, c in sorted(out)[:n]]


@pytest.fixture(scope="module")
def panel():
    return synthetic_panel()


# --- the variables file --------------------------------------------------------------------

def test_bundled_variables_file_is_valid_with_four_structural_variables():
    entries = T.load_variables()
    assert [v for v, _ in T.role_variables("structure")] == [
        "gdp_per_head_pps", "population_density", "old_age_dependency", "young_age_dependency"]
    assert dict(T.role_variables("structure"))["population_density"] == "log"
    assert {e["role"] for e in entries} == set(T.ROLES)
    frame = T.variables_frame()
    assert list(frame["id"]) == [e["id"] for e in entries]
    assert frame.loc[frame.id == "crude_birth_rate", "label_fi"].item().startswith("Elävänä")


def test_variable_problems_are_named():
    good = dict(T.load_variables()[0])
    problems = T.validate_variables([
        {**good, "role": "target"}, {**good, "id": "x", "transform": "sqrt"},
        {**good, "id": "y", "decimals": True}, {**good, "id": "z", "label": {"fi": "A"}},
        {**good, "id": "w", "colour": "red"}, {k: v for k, v in good.items() if k != "unit"},
    ])
    text = "\n".join(problems)
    for expected in ("role must be", "transform must be", "decimals must", "'label' needs",
                     "unknown field 'colour'", "missing 'unit'", "duplicate id"):
        assert expected in text
    assert "two variables need role" in "\n".join(T.validate_variables([{**good,
                                                                          "role": "compare"}]))


def test_invalid_variables_file_raises(tmp_path):
    path = tmp_path / "v.toml"
    path.write_text('[[variable]]\nid = "a"\nrole = "structure"\n', encoding="utf-8")
    with pytest.raises(T.TwinsError, match="missing 'transform'"):
        T.load_variables(path)


# --- reference year and standardisation ----------------------------------------------------

def test_reference_year_is_the_latest_with_enough_coverage(panel):
    obs, regions = panel
    assert T.reference_year(obs, regions, STRUCTURE) == 2020
    assert T.reference_year(obs, regions, STRUCTURE, coverage=0.2) == 2021
    assert T.reference_year(obs.iloc[:0], regions, STRUCTURE) is None


def test_structure_matrix_logs_standardises_and_drops_incomplete_regions(panel):
    obs, regions = panel
    z = T.structure_matrix(obs, regions, 2020, STRUCTURE)
    assert len(z) == len(regions)
    assert np.allclose(z.mean(), 0) and np.allclose(z.std(ddof=0), 1)
    raw = obs[(obs.period == 2020) & (obs.variable == "gdp")].set_index("nuts_code")["value"]
    logged = np.log(raw)
    code = z.index[10]
    assert z.loc[code, "gdp"] == pytest.approx((logged[code] - logged.mean()) / logged.std(ddof=0))
    broken = obs.copy()
    broken.loc[(broken.period == 2020) & (broken.variable == "density")
               & (broken.nuts_code == code), "value"] = 0.0
    assert code not in T.structure_matrix(broken, regions, 2020, STRUCTURE).index


def test_structure_matrix_rejects_a_variable_without_spread():
    codes = ["AT001", "BE001", "BG001"]
    obs = long_rows({"gdp": np.array([1.0, 2.0, 3.0]), "density": np.array([5.0, 5.0, 5.0]),
                     "old": np.array([1.0, 2.0, 4.0])}, codes, 2020)
    with pytest.raises(T.TwinsError, match="without spread"):
        T.structure_matrix(obs, synthetic_regions(codes), 2020, STRUCTURE)


# --- twins ---------------------------------------------------------------------------------

def test_twins_match_an_independent_loop_on_the_synthetic_eu_panel(panel):
    obs, regions = panel
    every = T.all_twins(obs, regions, variables=STRUCTURE)
    assert every.attrs["reference_period"] == 2020
    assert every["nuts_code"].nunique() == 1165 and len(every) == 1165 * 5
    assert (every["twin_nuts"] != every["nuts_code"]).all()
    assert (every["twin_nuts"].str[:2] != every["nuts_code"].str[:2]).all()
    assert (every.groupby("nuts_code")["distance"].apply(lambda d: d.is_monotonic_increasing)
            ).all()
    for code in list(regions["nuts_code"])[::97]:
        mine = every[every.nuts_code == code]
        expected = naive_twins(obs, regions, code, 2020)
        assert list(mine["twin_nuts"]) == [c for c, _ in expected]
        assert np.allclose(mine["distance"], [d for _, d in expected])
        one = T.twins(obs, regions, code, STRUCTURE)
        pd.testing.assert_frame_equal(one.reset_index(drop=True), mine.reset_index(drop=True))


def planted():
    """Return a SYNTHETIC panel with a target FI001 and known near neighbours."""
    rng = np.random.default_rng(3)
    filler = [f"{COUNTRIES[i % 26]}{i:03d}" for i in range(200)]
    filler = [c if not c.startswith("FI") else "SK" + c[2:] for c in filler]
    codes = ["FI001", "FI002", "SE001", "EE001", "PT001", "ES001", "FR001", "LV001", *filler]
    base = np.array([10.0, 2.0, 40.0])              # log gdp, log density, old
    offsets = {"FI002": 0.001, "SE001": 0.01, "EE001": 0.02, "PT001": 0.03, "ES001": 0.04,
               "FR001": 0.05, "LV001": 0.005}
    rows = {"gdp": [], "density": [], "old": []}
    for code in codes:
        if code == "FI001" or code in offsets:
            point = base + offsets.get(code, 0.0)
        else:
            point = np.array([rng.normal(10, 0.5), rng.normal(4, 1.5), rng.normal(33, 6)])
        rows["gdp"].append(np.exp(point[0]))
        rows["density"].append(np.exp(point[1]))
        rows["old"].append(point[2])
    values = {k: np.array(v) for k, v in rows.items()}
    values["old"][codes.index("LV001")] = np.nan     # the nearest foreign region lacks one
    return long_rows(values, codes, 2020), synthetic_regions(codes)


def test_planted_twins_exclude_home_country_and_incomplete_regions():
    obs, regions = planted()
    found = T.twins(obs, regions, "FI001", STRUCTURE)
    assert list(found["twin_nuts"]) == ["SE001", "EE001", "PT001", "ES001", "FR001"]
    assert list(found["twin_rank"]) == [1, 2, 3, 4, 5]
    assert "LV001" in T.all_twins(obs, regions, variables=STRUCTURE).attrs["no_data"]
    home = T.twins(obs, regions, "FI001", STRUCTURE, other_countries=False)
    assert home["twin_nuts"].iloc[0] == "FI002"
    assert set(found["reference_period"]) == {2020}
    assert found["method"].iloc[0] == ("eu-twins-1;rms-z;gdp(log),density(log),old;EU27;"
                                       "other-countries")


def test_a_region_without_the_data_has_no_twins_and_an_unknown_code_is_an_error():
    obs, regions = planted()
    lacking = T.twins(obs, regions, "LV001", STRUCTURE)
    assert lacking.empty and lacking.attrs["no_data"] == ["LV001"]
    with pytest.raises(T.TwinsError, match="unknown NUTS codes"):
        T.twins(obs, regions, "XX999", STRUCTURE)
    with pytest.raises(T.TwinsError, match="at least 1"):
        T.twins(obs, regions, "FI001", STRUCTURE, n=0)


def test_equal_distances_go_to_the_lower_code():
    codes = ["AT001", "BE001", "CZ001", "DE001"]
    obs = long_rows({"gdp": np.array([1.0, 2.0, 2.0, 3.0]),
                     "density": np.array([1.0, 2.0, 2.0, 3.0]),
                     "old": np.array([1.0, 2.0, 2.0, 3.0])}, codes, 2020)
    found = T.twins(obs, synthetic_regions(codes), "DE001", STRUCTURE, n=2)
    assert list(found["twin_nuts"]) == ["BE001", "CZ001"]
    assert found["distance"].iloc[0] == found["distance"].iloc[1]


def test_rms_distance_is_the_documented_formula():
    d = T.rms_distances(np.array([[0.0, 0.0]]), np.array([[0.3, 0.4], [1.0, 1.0]]))
    assert d[0].tolist() == pytest.approx([0.353553, 1.0], abs=1e-6)


def test_finnish_twins_are_keyed_by_region_code():
    obs, regions = planted()
    registry = pd.DataFrame({"code": ["MK99", "SSS"], "level": ["region", "country"],
                             "nuts3_2021": ["FI001", None]})
    table = T.finnish_twins(obs, regions, registry, variables=STRUCTURE)
    assert list(table.columns) == T.WAREHOUSE_TWIN_COLUMNS
    assert set(table["area_code"]) == {"MK99"} and table["twin_nuts"].iloc[0] == "SE001"
    assert T.nuts_code_for("MK99", registry) == "FI001"
    with pytest.raises(T.TwinsError):
        T.nuts_code_for("SSS", registry)


# --- comparison ----------------------------------------------------------------------------

def compare_panel():
    """Return SYNTHETIC compare rows for region FI001 and twins A..E (one variable 'x')."""
    rows = [("x", "FI001", 2020, 5.0, "p"), ("x", "FI001", 2021, 6.0, None),
            ("y", "FI001", 2020, 1.0, None)]
    twin_values = {"SE001": (4.0, 9.0), "EE001": (6.0, None), "PT001": (8.0, None),
                   "ES001": (2.0, 1.0), "FR001": (5.0, None)}
    for code, (v2020, v2021) in twin_values.items():
        rows.append(("x", code, 2020, v2020, None))
        if v2021 is not None:
            rows.append(("x", code, 2021, v2021, None))
    obs = pd.DataFrame(rows, columns=["variable", "nuts_code", "period", "value", "flag"])
    twin_frame = pd.DataFrame({"nuts_code": "FI001", "twin_nuts": list(twin_values),
                               "twin_rank": range(1, 6)})
    return obs, twin_frame


def test_compare_uses_the_latest_year_with_enough_twins_and_ranks_among_six():
    obs, twin_frame = compare_panel()
    out = T.compare(obs, twin_frame, ["x", "y", "z"]).set_index("variable")
    x = out.loc["x"]
    # 2021: only two twins have x (< 3) -> 2020: twins 4, 6, 8, 2, 5 against 5.0
    assert x["period"] == 2020 and x["value"] == 5.0 and x["flag"] == "p"
    assert (x["twin_median"], x["twin_low"], x["twin_high"]) == (5.0, 2.0, 8.0)
    assert (x["n_twins"], x["rank"], x["n_ranked"]) == (5, 3, 6)   # 8 and 6 above, 5 ties
    for empty in ("y", "z"):
        assert pd.isna(out.loc[empty, "period"]) and out.loc[empty, "n_twins"] == 0
    two = T.compare(obs, twin_frame, ["x"], min_twins=2).iloc[0]
    assert (two["period"], two["value"], two["rank"], two["n_ranked"]) == (2021, 6.0, 2, 3)


def test_compare_on_the_synthetic_eu_panel_is_one_row_per_region_and_variable(panel):
    obs, regions = panel
    every = T.all_twins(obs, regions, variables=STRUCTURE)
    out = T.compare(obs, every, ["old", "gdp"])
    assert len(out) == 1165 * 2 and list(out.columns) == T.COMPARE_COLUMNS
    gdp = out[out.variable == "gdp"]
    # 2021 GDP exists for a quarter of the regions, so most groups fall back to 2020
    assert set(gdp["period"].dropna()) <= {2020, 2021} and (gdp["period"] == 2020).sum() > 500
    row = out[(out.variable == "old")].iloc[0]
    group = every[every.nuts_code == row.nuts_code]["twin_nuts"]
    vals = obs[(obs.variable == "old") & (obs.period == row.period)].set_index("nuts_code")["value"]
    assert row.twin_median == pytest.approx(float(np.median(vals[group])))
    assert row["rank"] == 1 + int((vals[group] > vals[row.nuts_code]).sum())


# --- bundled Eurostat snapshot -------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    obs = pd.read_parquet(DATA / "eu_observations.parquet")
    regions = pd.read_parquet(DATA / "eu_regions.parquet")
    return obs, regions


def test_bundled_twins_of_pohjois_karjala_and_lappi(bundled):
    obs, regions = bundled
    table = T.finnish_twins(obs, regions, registry_frame())
    assert table["area_code"].nunique() == 19 and len(table) == 95
    assert set(table["reference_period"]) == {2020}
    assert not table["twin_nuts"].str.startswith("FI").any()
    names = regions.set_index("nuts_code")["name"]
    mk12 = table[table.area_code == "MK12"]
    assert mk12["nuts_code"].iloc[0] == "FI1D3"
    assert list(mk12["twin_nuts"].map(names)) == ["Lozère", "Gotlands län", "Baixo Alentejo",
                                                  "Soria", "Alentejo Litoral"]
    by_region_code = T.twins(obs, regions, "MK12")
    assert list(by_region_code["twin_nuts"]) == list(mk12["twin_nuts"])
    mk19 = table[table.area_code == "MK19"]
    assert list(mk19["twin_nuts"]) == ["SE332", "SE322", "SE331", "SE321", "SE312"]
    assert mk19["distance"].iloc[0] == pytest.approx(0.3576, abs=1e-4)


def test_bundled_comparison_uses_the_stored_figures(bundled):
    obs, regions = bundled
    found = T.twins(obs, regions, "FI1D3")
    out = T.compare(obs, found).set_index("variable")
    births = out.loc["crude_birth_rate"]
    stored = obs[(obs.variable == "crude_birth_rate") & (obs.nuts_code == "FI1D3")
                 & (obs.period == births["period"])]["value"].item()
    assert births["value"] == stored and births["n_ranked"] == 6
    assert set(out.index) == {v for v, _ in T.role_variables("compare")}
