"""Industry structure of an area: shares, location quotients, diversity, growth and alerts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators import industries as classification
from indicators import regions

# The rules, stated with their values in docs/methodology.md ("Elinkeinorakenne").
INDUSTRY_SPANS = (1, 5)
INDUSTRY_TOP_N = 3
INDUSTRY_CONCENTRATION_TOP = 3
INDUSTRY_GROWTH_MIN_SHARE = 1.0
INDUSTRY_ALERT_RULE = "industry_employment_change"
INDUSTRY_ALERT_THRESHOLD = 10.0
INDUSTRY_ALERT_MIN_PERSONS = 1000

EMPLOYMENT_COLUMNS = ["area_code", "period", "industry", "value"]
STORED_EMPLOYMENT_COLUMNS = [*EMPLOYMENT_COLUMNS, "source_id"]  # the snapshot and warehouse table
SECTION_COLUMNS = ["industry", "value", "share", "country_value", "country_share", "share_gap",
                   "lq", "rank"]
GROWTH_COLUMNS = ["industry", "from_year", "to_year", "value_from", "value_to", "change",
                  "change_pct", "country_change_pct", "share_from", "ranked"]
ALERT_COLUMNS = ["area_code", "level", "rule_id", "series", "period", "direction", "value",
                 "baseline", "country_value", "threshold", "since", "method"]


class NoIndustryData(LookupError):
    """Raised when the employment rows have no figures for the area (or the country) and year."""


@dataclass(frozen=True)
class IndustryProfile:
    """A region's industry structure in one year, against the country (plain data for a view).

    Shares, quotients, the diversity index and the concentration use the employed with a known
    section (A…U); those with an unknown industry (X) are counted in `unknown` only. When a
    section has no figure for the area or the country (`complete` false), its row stays empty
    and the diversity index and concentration are NaN (nothing is filled in).
    """

    area_code: str
    year: int
    country_code: str
    employed: int
    known: int
    unknown: int
    unknown_share: float
    country_unknown_share: float
    sections: pd.DataFrame
    diversity: float
    country_diversity: float
    diversity_rank: int | None
    n_ranked: int
    concentration: float
    concentration_sections: tuple[str, ...]
    country_concentration: float
    growth: dict[int, pd.DataFrame] = field(default_factory=dict)
    growing: dict[int, pd.DataFrame] = field(default_factory=dict)
    shrinking: dict[int, pd.DataFrame] = field(default_factory=dict)
    from_year: dict[int, int | None] = field(default_factory=dict)
    complete: bool = True


def _checked(employment: pd.DataFrame) -> pd.DataFrame:
    """Return the employment rows with the needed columns and types; ValueError names a gap."""
    missing = [c for c in EMPLOYMENT_COLUMNS if c not in employment.columns]
    if missing:
        raise ValueError(f"employment rows lack columns {missing}")
    data = employment.loc[:, list(EMPLOYMENT_COLUMNS)].copy()
    data["area_code"] = data["area_code"].astype(str)
    data["industry"] = data["industry"].astype(str)
    data["period"] = data["period"].astype(int)
    data["value"] = pd.to_numeric(data["value"]).astype(float)
    if data.duplicated(["area_code", "period", "industry"]).any():
        raise ValueError("employment rows repeat an (area_code, period, industry) key")
    return data


def section_shares(counts: pd.Series) -> pd.Series:
    """Return each section's share of the counts' total, in %, NaN everywhere if the total is 0."""
    counts = counts.astype(float)
    total = counts.sum()
    if not total > 0:
        return counts * np.nan
    return counts / total * 100.0


def location_quotients(shares: pd.Series, country_shares: pd.Series) -> pd.Series:
    """Return share / country share per section (NaN where the country has none)."""
    country = country_shares.reindex(shares.index).astype(float)
    return shares.astype(float) / country.where(country > 0)


def diversity_index(counts: pd.Series | np.ndarray) -> float:
    """Return the normalised Shannon entropy of the counts' distribution, 0 … 1.

    −Σ s_i ln s_i / ln K over all K categories given (empty ones included, 0 · ln 0 = 0): 1 when
    every category is equally large, 0 when everything is in one.
    """
    values = np.asarray(counts, dtype=float)
    if values.size < 2 or np.isnan(values).any() or (values < 0).any() or not values.sum() > 0:
        return float("nan")
    shares = values / values.sum()
    present = shares[shares > 0]
    return float(-(present * np.log(present)).sum() / np.log(values.size))


def top_share(shares: pd.Series, n: int = INDUSTRY_CONCENTRATION_TOP
              ) -> tuple[float, tuple[str, ...]]:
    """Return the summed share of the n largest sections and their codes (largest first)."""
    ordered = shares.dropna().sort_values(ascending=False, kind="stable")
    top = ordered.head(n)
    return float(top.sum()), tuple(str(code) for code in top.index)


def _cells(data: pd.DataFrame, area_code: str, year: int, codes: tuple[str, ...]) -> pd.Series:
    """Return an area's counts per section in a year (sections it lacks are NaN)."""
    part = data.loc[(data["area_code"] == area_code) & (data["period"] == year)]
    return part.set_index("industry")["value"].reindex(list(codes))


def growth(employment: pd.DataFrame, area_code: str, year: int, span: int,
           country_code: str = regions.COUNTRY_CODE,
           min_share: float = INDUSTRY_GROWTH_MIN_SHARE) -> pd.DataFrame:
    """Return each section's change from year − span to year (never from another year).

    A section is `ranked` (may be called fastest growing or shrinking) when it had at least
    min_share % of the area's employed with a known section in the start year. Empty when the
    start or end year has no figures for the area.
    """
    data = _checked(employment)
    codes = classification.section_codes()
    start = year - span
    now, then = _cells(data, area_code, year, codes), _cells(data, area_code, start, codes)
    if now.isna().all() or then.isna().all():
        return pd.DataFrame(columns=GROWTH_COLUMNS)
    c_now = _cells(data, country_code, year, codes)
    c_then = _cells(data, country_code, start, codes)
    share_from = section_shares(then.dropna()).reindex(list(codes))
    out = pd.DataFrame({"industry": list(codes), "from_year": start, "to_year": year,
                        "value_from": then.to_numpy(), "value_to": now.to_numpy()})
    out["change"] = out["value_to"] - out["value_from"]
    out["change_pct"] = _pct(out["value_to"], out["value_from"])
    out["country_change_pct"] = _pct(c_now.to_numpy(), c_then.to_numpy())
    out["share_from"] = share_from.to_numpy()
    out["ranked"] = (out["share_from"] >= min_share) & out["change_pct"].notna()
    return out.dropna(subset=["value_from", "value_to"]).reset_index(drop=True)[GROWTH_COLUMNS]


def _pct(now, then) -> pd.Series:
    """Return (now / then − 1) × 100, NaN where then is missing or not positive."""
    now, then = pd.Series(now, dtype=float), pd.Series(then, dtype=float)
    return (now / then.where(then > 0) - 1.0) * 100.0


def fastest(growth_rows: pd.DataFrame, direction: str, n: int = INDUSTRY_TOP_N) -> pd.DataFrame:
    """Return the n ranked sections growing (direction 'up') or shrinking ('down') fastest, in %.

    Only real moves count: a growing section has a positive change, a shrinking one a negative.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    ranked = growth_rows.loc[growth_rows["ranked"].astype(bool)]
    if direction == "up":
        moved = ranked.loc[ranked["change_pct"] > 0].sort_values(
            ["change_pct", "industry"], ascending=[False, True])
    else:
        moved = ranked.loc[ranked["change_pct"] < 0].sort_values(
            ["change_pct", "industry"], ascending=[True, True])
    return moved.head(n).reset_index(drop=True)


def diversity_table(employment: pd.DataFrame, year: int,
                    country_code: str = regions.COUNTRY_CODE) -> pd.DataFrame:
    """Return every area's diversity index in a year and its rank among the areas (1 = most).

    The country is given its index but no rank. Equal indices (to 4 decimals) share a rank.
    """
    data = _checked(employment)
    codes = classification.section_codes()
    part = data.loc[(data["period"] == year) & data["industry"].isin(codes)]
    table = part.pivot(index="area_code", columns="industry", values="value")
    table = table.reindex(columns=list(codes))
    complete = table.notna().all(axis=1)
    index = pd.Series({area: diversity_index(row.to_numpy()) if complete[area] else np.nan
                       for area, row in table.iterrows()}, dtype=float)
    out = pd.DataFrame({"area_code": index.index, "diversity": index.to_numpy()})
    rankable = (out["area_code"] != country_code) & out["diversity"].notna()
    out["rank"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out.loc[rankable, "rank"] = out.loc[rankable, "diversity"].round(4).rank(
        method="min", ascending=False).astype("int64")
    return out.sort_values("area_code").reset_index(drop=True)


def latest_year(employment: pd.DataFrame, area_code: str,
                country_code: str = regions.COUNTRY_CODE) -> int | None:
    """Return the newest year with figures for both the area and the country, else None."""
    data = _checked(employment)
    years = set(data.loc[data["area_code"] == area_code, "period"])
    years &= set(data.loc[data["area_code"] == country_code, "period"])
    return max(years) if years else None


def profile(employment: pd.DataFrame, area_code: str, year: int | None = None,
            country_code: str = regions.COUNTRY_CODE) -> IndustryProfile:
    """Return the area's industry profile in a year (default: the newest with figures).

    Raise NoIndustryData when the area or the country has no figures for that year.
    """
    data = _checked(employment)
    year = latest_year(data, area_code, country_code) if year is None else int(year)
    if year is None:
        raise NoIndustryData(f"no employment by industry for {area_code} and the country")
    codes = classification.section_codes()
    unknown_code = classification.unknown_code()
    counts = _cells(data, area_code, year, codes)
    country = _cells(data, country_code, year, codes)
    if counts.isna().all() or country.isna().all():
        raise NoIndustryData(f"no employment by industry for {area_code} or {country_code} "
                             f"in {year}")
    unknown = _cells(data, area_code, year, (unknown_code,)).fillna(0.0).iloc[0]
    c_unknown = _cells(data, country_code, year, (unknown_code,)).fillna(0.0).iloc[0]
    complete = bool(counts.notna().all() and country.notna().all())
    shares, c_shares = section_shares(counts), section_shares(country)
    sections = pd.DataFrame({"industry": list(codes), "value": counts.to_numpy(),
                             "share": shares.to_numpy(), "country_value": country.to_numpy(),
                             "country_share": c_shares.to_numpy()})
    sections["share_gap"] = sections["share"] - sections["country_share"]
    sections["lq"] = location_quotients(shares, c_shares).to_numpy()
    sections["rank"] = sections["value"].rank(method="min", ascending=False).astype("Int64")
    known, c_known = float(counts.sum()), float(country.sum())
    ranks = diversity_table(data, year, country_code).set_index("area_code")
    rank = ranks["rank"].get(area_code, pd.NA)
    concentration, top = top_share(shares) if complete else (float("nan"), ())
    spans = {span: growth(data, area_code, year, span, country_code)
             for span in INDUSTRY_SPANS}
    return IndustryProfile(
        area_code=area_code, year=year, country_code=country_code,
        employed=int(known + unknown), known=int(known), unknown=int(unknown),
        unknown_share=_share(unknown, known + unknown),
        country_unknown_share=_share(c_unknown, c_known + c_unknown),
        sections=sections[SECTION_COLUMNS],
        diversity=diversity_index(counts.to_numpy()),
        country_diversity=diversity_index(country.to_numpy()),
        diversity_rank=None if pd.isna(rank) else int(rank),
        n_ranked=int(ranks["rank"].notna().sum()),
        concentration=concentration, concentration_sections=top,
        country_concentration=top_share(c_shares)[0] if complete else float("nan"),
        growth=spans,
        growing={span: fastest(rows, "up") for span, rows in spans.items()},
        shrinking={span: fastest(rows, "down") for span, rows in spans.items()},
        from_year={span: (year - span if len(rows) else None) for span, rows in spans.items()},
        complete=complete)


def _share(part: float, whole: float) -> float:
    """Return part / whole in %, NaN when whole is not positive."""
    return float(part) / float(whole) * 100.0 if whole > 0 else float("nan")


def industry_alerts(employment: pd.DataFrame, threshold: float = INDUSTRY_ALERT_THRESHOLD,
                    min_persons: int = INDUSTRY_ALERT_MIN_PERSONS,
                    levels: Mapping[str, str] | None = None,
                    country_code: str = regions.COUNTRY_CODE) -> pd.DataFrame:
    """Return the annual industry alerts over the whole history (the alerts table's columns).

    An area's employment in one section (A…U) that moved by more than `threshold` % from the
    previous year, up or down, counts when the section had at least `min_persons` employed in
    the previous year. Only consecutive years are compared. `series` is 'industry:<code>',
    `value` the area's change in %, `baseline` the previous year's count, `country_value` the
    country's change in the same section and year. levels maps area codes to their level
    (default: 'region').
    """
    data = _checked(employment)
    data = data.loc[data["industry"].isin(classification.section_codes())]
    data = data.sort_values(["area_code", "industry", "period"])
    grouped = data.groupby(["area_code", "industry"])
    data["prev"] = grouped["value"].shift(1)
    data["prev_period"] = grouped["period"].shift(1)
    data = data.loc[data["prev_period"] == data["period"] - 1].copy()
    data["pct"] = _pct(data["value"].to_numpy(), data["prev"].to_numpy()).to_numpy()
    country = data.loc[data["area_code"] == country_code].set_index(["industry", "period"])["pct"]
    areas = data.loc[data["area_code"] != country_code].copy()
    flagged = areas.loc[(areas["prev"] >= min_persons) & (areas["pct"].abs() > threshold)]
    keys = pd.MultiIndex.from_frame(flagged[["industry", "period"]])
    out = pd.DataFrame({
        "area_code": flagged["area_code"].to_numpy(),
        "level": [(levels or {}).get(code, "region") for code in flagged["area_code"]],
        "rule_id": INDUSTRY_ALERT_RULE,
        "series": ("industry:" + flagged["industry"]).to_numpy(),
        "period": flagged["period"].astype(str).to_numpy(),
        "direction": np.where(flagged["pct"] > 0, "up", "down"),
        "value": flagged["pct"].to_numpy(),
        "baseline": flagged["prev"].to_numpy(),
        "country_value": country.reindex(keys).to_numpy(),
        "threshold": float(threshold),
        "since": flagged["prev_period"].astype(int).astype(str).to_numpy(),
        "method": f"{INDUSTRY_ALERT_RULE}(threshold={float(threshold)}%, "
                  f"min_persons={int(min_persons)})",
    }, columns=ALERT_COLUMNS)
    return out.sort_values(["period", "area_code", "series"]).reset_index(drop=True)
