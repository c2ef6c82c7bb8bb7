"""EU twins: the most similar EU NUTS-3 regions on structural variables; the region against them."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.catalog import LANGUAGES, TRANSLATED_FIELDS
from indicators.regions import registry_frame

VARIABLES_PATH = Path(__file__).with_name("eu_variables.toml")
ROLES = ("structure", "compare", "context")
TRANSFORMS = ("log", "identity")
VARIABLE_FIELDS = ("id", "role", "transform", "decimals", "source_id", *TRANSLATED_FIELDS)

# --- Rules (each one is stated, with a worked example, in docs/methodology.md "EU-kaksoset"). --
TWIN_METHOD_VERSION = "eu-twins-1"
# Twins are sought among the NUTS-3 regions of these EU-27 countries (Eurostat codes, EL = Greece),
# and the variables are standardised over the same regions.
TWIN_POOL = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU",
             "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
TWIN_COUNT = 5
# A region's own country is left out of its twins (its regions are compared at home already).
TWIN_OTHER_COUNTRIES = True
# Reference year: the latest year in which every structural variable has a value for at least
# this share of the pool's regions. A region without all of them in that year has no twins and is
# no one's twin.
TWIN_COVERAGE = 0.9
# A compared variable is shown for the latest year in which the region and at least this many of
# its twins have a value; the rank and the range are among those.
TWIN_MIN_COMPARED = 3

TWIN_COLUMNS = ["nuts_code", "twin_nuts", "twin_rank", "distance", "reference_period", "method"]
COMPARE_COLUMNS = ["nuts_code", "variable", "period", "value", "flag", "twin_median", "twin_low",
                   "twin_high", "n_twins", "rank", "n_ranked"]
WAREHOUSE_TWIN_COLUMNS = ["area_code", *TWIN_COLUMNS]
EU_OBS_COLUMNS = ["variable", "nuts_code", "period", "value", "flag", "source_id"]
EU_REGION_COLUMNS = ["nuts_code", "level", "country_code", "name", "name_source"]


class TwinsError(ValueError):
    """Raised when the variable list breaks a rule or a region code is unknown."""


def _texts_ok(texts: object) -> bool:
    """Return True for a non-empty text in each language."""
    return isinstance(texts, dict) and set(texts) == set(LANGUAGES) and all(
        isinstance(t, str) and t.strip() for t in texts.values())


def _entry_problems(entry: dict) -> list[str]:
    """Return the problems of one variable entry, each starting with its id."""
    decimals = entry.get("decimals")
    rules = [(f not in entry, f"missing '{f}'") for f in VARIABLE_FIELDS]
    rules += [(True, f"unknown field '{f}'") for f in sorted(set(entry) - set(VARIABLE_FIELDS))]
    rules += [
        (entry.get("role") not in ROLES, f"role must be one of {ROLES}"),
        (entry.get("transform") not in TRANSFORMS, f"transform must be one of {TRANSFORMS}"),
        (not isinstance(decimals, int) or isinstance(decimals, bool) or decimals < 0,
         "decimals must be a whole number ≥ 0"),
    ]
    rules += [(not _texts_ok(entry.get(f)), f"'{f}' needs a non-empty text in each of {LANGUAGES}")
              for f in TRANSLATED_FIELDS]
    ident = entry.get("id", "<no id>")
    return [f"{ident}: {message}" for failed, message in rules if failed]


def validate_variables(entries: list[dict]) -> list[str]:
    """Return the problems of the EU variable entries (empty when valid)."""
    problems = [p for entry in entries for p in _entry_problems(entry)]
    ids = [e.get("id") for e in entries]
    problems += [f"{i}: duplicate id" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if entries and sum(e.get("role") == "structure" for e in entries) < 2:
        problems.append("at least two variables need role = 'structure'")
    return problems


@cache
def load_variables(path: Path = VARIABLES_PATH) -> tuple[dict, ...]:
    """Return the validated EU variables; raise TwinsError naming every problem."""
    with open(path, "rb") as fh:
        entries = tomllib.load(fh).get("variable", [])
    problems = validate_variables(entries)
    if problems:
        raise TwinsError(f"Invalid EU variable file {Path(path).name}:\n" + "\n".join(problems))
    return tuple(entries)


def variables_frame(entries: tuple[dict, ...] | None = None) -> pd.DataFrame:
    """Return the variables as the warehouse table eu_variables (in file order)."""
    rows = []
    for order, e in enumerate(load_variables() if entries is None else entries):
        row = {"id": e["id"], "role": e["role"], "transform": e["transform"],
               "decimals": e["decimals"], "source_id": e["source_id"], "sort_order": order}
        for field in TRANSLATED_FIELDS:
            for lang in LANGUAGES:
                row[f"{field}_{lang}"] = e[field][lang]
        rows.append(row)
    return pd.DataFrame(rows)


def role_variables(role: str, entries: tuple[dict, ...] | None = None
                   ) -> tuple[tuple[str, str], ...]:
    """Return (id, transform) of the variables with this role, in file order."""
    return tuple((e["id"], e["transform"])
                 for e in (load_variables() if entries is None else entries) if e["role"] == role)


def _values(eu_obs: pd.DataFrame, variables: Iterable[str]) -> pd.DataFrame:
    """Return the rows of these variables that carry a value, value as float."""
    values = pd.to_numeric(eu_obs["value"], errors="coerce")
    keep = eu_obs["variable"].isin(list(variables)) & values.notna()
    out = eu_obs.loc[keep, ["variable", "nuts_code", "period"]].copy()
    out["value"] = values[keep].astype(float)
    out["period"] = out["period"].astype(int)
    return out


def pool_codes(eu_regions: pd.DataFrame, pool: Sequence[str] = TWIN_POOL) -> list[str]:
    """Return the NUTS-3 codes of the pool's countries, sorted."""
    level3 = eu_regions.loc[(eu_regions["level"].astype(int) == 3)
                            & eu_regions["country_code"].isin(pool)]
    return sorted(level3["nuts_code"].astype(str))


def reference_year(eu_obs: pd.DataFrame, eu_regions: pd.DataFrame,
                   variables: Sequence[tuple[str, str]] | None = None,
                   pool: Sequence[str] = TWIN_POOL, coverage: float = TWIN_COVERAGE
                   ) -> int | None:
    """Return the latest year in which every structural variable covers `coverage` of the pool."""
    variables = role_variables("structure") if variables is None else variables
    codes = pool_codes(eu_regions, pool)
    if not codes:
        return None
    data = _values(eu_obs, [v for v, _ in variables])
    data = data.loc[data["nuts_code"].isin(codes)]
    counts = data.groupby(["period", "variable"])["nuts_code"].nunique().unstack("variable")
    counts = counts.reindex(columns=[v for v, _ in variables]).fillna(0)
    good = counts.index[(counts >= coverage * len(codes)).all(axis=1)]
    return int(good.max()) if len(good) else None


def structure_matrix(eu_obs: pd.DataFrame, eu_regions: pd.DataFrame, year: int,
                     variables: Sequence[tuple[str, str]] | None = None,
                     pool: Sequence[str] = TWIN_POOL) -> pd.DataFrame:
    """Return NUTS-3 regions × structural variables in `year`: transformed and z-scored.

    Only regions with every variable (positive where logged) are rows; the mean and standard
    deviation come from the pool's rows, so a region outside the pool is placed on the same
    scale. attrs['mean'] and attrs['sd'] hold them (on the transformed scale).
    """
    variables = role_variables("structure") if variables is None else variables
    names = [v for v, _ in variables]
    data = _values(eu_obs, names)
    data = data.loc[data["period"] == int(year)]
    wide = data.pivot_table(index="nuts_code", columns="variable", values="value",
                            aggfunc="last").reindex(columns=names)
    for var, transform in variables:
        if transform == "log":
            wide[var] = np.log(wide[var].where(wide[var] > 0))
    wide = wide.dropna()
    in_pool = wide.index.isin(pool_codes(eu_regions, pool))
    mean = wide.loc[in_pool].mean()
    sd = wide.loc[in_pool].std(ddof=0)
    if len(names) and not (sd > 0).all():
        flat = list(sd.index[~(sd > 0)])
        raise TwinsError(f"structural variables without spread in {year}: {flat}")
    z = (wide - mean) / sd
    z.index.name = "nuts_code"
    z.attrs.update(mean=mean.to_dict(), sd=sd.to_dict())
    return z.sort_index()


def method_id(variables: Sequence[tuple[str, str]], pool: Sequence[str] = TWIN_POOL,
              other_countries: bool = TWIN_OTHER_COUNTRIES) -> str:
    """Return the method string stored with each twin: version, variables, pool."""
    names = ",".join(f"{v}({t})" if t != "identity" else v for v, t in variables)
    where = "other-countries" if other_countries else "all-countries"
    pool_name = "EU27" if tuple(pool) == TWIN_POOL else "+".join(pool)
    return f"{TWIN_METHOD_VERSION};rms-z;{names};{pool_name};{where}"


def rms_distances(targets: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Return targets × candidates root mean square differences of their z-scores."""
    squared = np.zeros((targets.shape[0], candidates.shape[0]))
    for j in range(targets.shape[1]):
        squared += (targets[:, j][:, None] - candidates[:, j][None, :]) ** 2
    return np.sqrt(squared / max(targets.shape[1], 1))


def _country(codes: Iterable[str], eu_regions: pd.DataFrame) -> np.ndarray:
    """Return the country code of each NUTS code (from eu_regions, else its first two letters)."""
    known = dict(zip(eu_regions["nuts_code"], eu_regions["country_code"], strict=True))
    return np.array([known.get(c, str(c)[:2]) for c in codes], dtype=object)


def all_twins(eu_obs: pd.DataFrame, eu_regions: pd.DataFrame, codes: Sequence[str] | None = None,
              variables: Sequence[tuple[str, str]] | None = None, n: int = TWIN_COUNT, *,
              year: int | None = None, pool: Sequence[str] = TWIN_POOL,
              other_countries: bool = TWIN_OTHER_COUNTRIES) -> pd.DataFrame:
    """Return the n twins of each region in codes (None = every NUTS-3 region of eu_regions).

    Twins are the pool's regions with the smallest root mean square difference of z-scores,
    outside the region's own country when other_countries; ties go to the lower NUTS code. A
    region without every structural variable in the reference year gets no rows; attrs
    'reference_period', 'method', 'no_data' (such codes) and 'pool_size' say what was used.
    """
    if n < 1:
        raise TwinsError("n must be at least 1")
    variables = role_variables("structure") if variables is None else tuple(variables)
    year = reference_year(eu_obs, eu_regions, variables, pool) if year is None else int(year)
    method = method_id(variables, pool, other_countries)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in TWIN_COLUMNS})
    empty.attrs.update(reference_period=year, method=method, no_data=[], pool_size=0)
    if year is None:
        empty.attrs["no_data"] = list(codes or [])
        return empty
    z = structure_matrix(eu_obs, eu_regions, year, variables, pool)
    known = set(eu_regions["nuts_code"].astype(str))
    if codes is None:
        level3 = eu_regions.loc[eu_regions["level"].astype(int) == 3, "nuts_code"]
        wanted = sorted(level3.astype(str))
    else:
        wanted = [str(c) for c in codes]
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise TwinsError(f"unknown NUTS codes: {unknown[:10]}")
    rows = set(z.index)
    present = [c for c in wanted if c in rows]
    in_pool = set(pool_codes(eu_regions, pool))
    candidates = [c for c in z.index if c in in_pool]
    empty.attrs.update(no_data=[c for c in wanted if c not in rows],
                       pool_size=len(candidates))
    if not present or not candidates:
        return empty
    dist = rms_distances(z.loc[present].to_numpy(), z.loc[candidates].to_numpy())
    target_codes = np.array(present, dtype=object)
    cand_codes = np.array(candidates, dtype=object)
    dist[target_codes[:, None] == cand_codes[None, :]] = np.inf
    if other_countries:
        same = _country(present, eu_regions)[:, None] == _country(candidates, eu_regions)[None, :]
        dist[same] = np.inf
    k = min(n, len(candidates))
    # candidates are sorted by code, so a stable sort breaks distance ties by the lower code
    order = np.argsort(dist, axis=1, kind="stable")[:, :k]
    chosen = np.take_along_axis(dist, order, axis=1)
    frame = pd.DataFrame({
        "nuts_code": np.repeat(target_codes, k),
        "twin_nuts": cand_codes[order].reshape(-1),
        "twin_rank": np.tile(np.arange(1, k + 1), len(present)).astype("int64"),
        "distance": chosen.reshape(-1),
        "reference_period": year,
        "method": method,
    })
    frame = frame.loc[np.isfinite(frame["distance"])].reset_index(drop=True)
    frame["reference_period"] = frame["reference_period"].astype("int64")
    frame.attrs.update(empty.attrs)
    return frame[TWIN_COLUMNS]


def twins(eu_obs: pd.DataFrame, eu_regions: pd.DataFrame, code: str,
          variables: Sequence[tuple[str, str]] | None = None, n: int = TWIN_COUNT,
          registry: pd.DataFrame | None = None, **options) -> pd.DataFrame:
    """Return one region's n twins: a NUTS-3 code, or a Finnish region code (MK12).

    A Finnish code is mapped to its NUTS 2021 code with registry (default
    indicators/regions.csv); see all_twins for the options and attrs.
    """
    if code not in set(eu_regions["nuts_code"]) and re.fullmatch(r"MK[0-9]{2}", str(code)):
        code = nuts_code_for(code, registry_frame() if registry is None else registry)
    return all_twins(eu_obs, eu_regions, [code], variables, n, **options)


def nuts_code_for(area_code: str, registry: pd.DataFrame) -> str:
    """Return the NUTS 2021 code of a Finnish region (registry = indicators/regions.csv rows)."""
    hit = registry.loc[(registry["code"] == area_code) & (registry["level"] == "region"),
                       "nuts3_2021"]
    if len(hit) != 1 or pd.isna(hit.iloc[0]):
        raise TwinsError(f"{area_code!r} is not a region with a NUTS 2021 code")
    return str(hit.iloc[0])


def finnish_twins(eu_obs: pd.DataFrame, eu_regions: pd.DataFrame, registry: pd.DataFrame,
                  n: int = TWIN_COUNT, **options) -> pd.DataFrame:
    """Return the warehouse table eu_twins: the twins of every Finnish region (area_code MKnn)."""
    regions = registry.loc[(registry["level"] == "region") & registry["nuts3_2021"].notna()]
    if eu_obs.empty or regions.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in WAREHOUSE_TWIN_COLUMNS})
    area_of = dict(zip(regions["nuts3_2021"], regions["code"], strict=True))
    known = set(eu_regions["nuts_code"])
    frame = all_twins(eu_obs, eu_regions, [c for c in area_of if c in known], n=n, **options)
    frame.insert(0, "area_code", frame["nuts_code"].map(area_of))
    return frame[WAREHOUSE_TWIN_COLUMNS].sort_values(["area_code", "twin_rank"],
                                                     ignore_index=True)


def compare(eu_obs: pd.DataFrame, twin_frame: pd.DataFrame,
            variables: Sequence[str] | None = None,
            min_twins: int = TWIN_MIN_COMPARED) -> pd.DataFrame:
    """Return each region of twin_frame against its twins on the compared variables.

    Per region and variable: the latest year in which the region and at least min_twins twins
    have a value; the region's value and flag; the twins' median and range (twin_low, twin_high)
    and count; the region's rank among itself and those twins (1 = highest value, ties share the
    better rank) of n_ranked. Without such a year the row has no period and no figures.
    """
    variables = [v for v, _ in role_variables("compare")] if variables is None else list(variables)
    values = _values(eu_obs, variables)
    flags = eu_obs["flag"] if "flag" in eu_obs.columns else pd.Series(None, index=eu_obs.index)
    values["flag"] = flags.loc[values.index].astype(object)
    regions = sorted(set(twin_frame["nuts_code"].astype(str)))
    grid = pd.DataFrame([(r, v) for r in regions for v in variables],
                        columns=["nuts_code", "variable"])
    members = pd.concat([
        pd.DataFrame({"nuts_code": regions, "member": regions, "own": True}),
        pd.DataFrame({"nuts_code": twin_frame["nuts_code"].astype(str).to_numpy(),
                      "member": twin_frame["twin_nuts"].astype(str).to_numpy(), "own": False}),
    ], ignore_index=True)
    rows = members.merge(values.rename(columns={"nuts_code": "member"}), on="member")
    rows["twin"] = (~rows["own"]).astype("int64")
    keys = ["nuts_code", "variable", "period"]
    per_year = rows.groupby(keys).agg(has_own=("own", "max"), n_twins=("twin", "sum"))
    eligible = per_year.loc[per_year["has_own"] & (per_year["n_twins"] >= min_twins)]
    latest = eligible.reset_index().groupby(["nuts_code", "variable"])["period"].max()
    chosen = rows.merge(latest.reset_index(), on=keys)
    own = chosen.loc[chosen["own"]].set_index(["nuts_code", "variable"])
    others = chosen.loc[~chosen["own"]].join(own["value"].rename("own_value"),
                                             on=["nuts_code", "variable"])
    others["above"] = others["value"] > others["own_value"]
    stats = others.groupby(["nuts_code", "variable"]).agg(
        twin_median=("value", "median"), twin_low=("value", "min"), twin_high=("value", "max"),
        n_twins=("value", "size"), above=("above", "sum"))
    out = grid.join(own[["period", "value", "flag"]], on=["nuts_code", "variable"])
    out = out.join(stats, on=["nuts_code", "variable"])
    has = out["period"].notna()
    out["n_twins"] = out["n_twins"].fillna(0).astype("int64")
    out["rank"] = (out["above"] + 1).where(has).astype("Int64")
    out["n_ranked"] = (out["n_twins"] + has.astype("int64")).where(has, 0).astype("int64")
    out["period"] = out["period"].astype("Int64")
    out["flag"] = out["flag"].astype(object).where(out["flag"].notna(), None)
    return out[COMPARE_COLUMNS].reset_index(drop=True)
