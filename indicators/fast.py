"""The fast picture (pure): a region's latest month against the same month a year earlier."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import regions
from indicators.monthly import month_code, parse_month

# --- Rules (each one is stated, with a worked example, in docs/methodology.md). --------------
# The figures of the fast picture, in display order. The unemployment rate is derived; the others
# are monthly series of indicators/monthly.toml, shown where the data have them.
FAST_SERIES = ("unemployment_rate", "unemployed", "long_term_unemployed",
               "unemployed_under_25", "open_vacancies")
# Unemployment rate = unemployed / labour force × 100 in the same month (TEM's own share).
RATE_SERIES = "unemployment_rate"
RATE_NUMERATOR = "unemployed"
RATE_DENOMINATOR = "labour_force"
RATE_SCALE = 100.0
RATE_DECIMALS = 1
# A change is always against the same month a year earlier: the series are seasonal, so a change
# against the previous month is never shown.
CHANGE_LAG_MONTHS = 12
# Percentage changes of counts are ranked on this many decimals (the precision shown).
CHANGE_PCT_DECIMALS = 1
# The chart: this many months up to the shown month; a month without a figure stays empty.
HISTORY_MONTHS = 24
# Rank 1 = the highest value (most unemployed, most vacancies, the largest increase), among the
# areas of the same level with a figure that month; ties share the best rank. The country is
# never ranked.
RANK_ORDER = "highest_first"
# Why a figure or its change is missing.
FIGURE_NOTES = ("no_figure", "confidential", "no_year_earlier", "year_earlier_confidential")
CONFIDENTIAL_FLAG = "confidential"

FIGURE_COLUMNS = ["series", "area_code", "value", "decimals", "year_earlier_value", "change",
                  "change_pct", "note", "rank", "n_ranked", "change_rank", "change_n_ranked"]
HISTORY_COLUMNS = ["series", "area_code", "month", "year", "month_no", "value"]
GAP_COLUMNS = ["series", "area_code", "first", "last", "months"]


@dataclass(frozen=True)
class FastPicture:
    """The fast picture of one area and the country in one month (None when no monthly data).

    figures: FIGURE_COLUMNS, one row per series and area (the area first, then the country);
    history: HISTORY_COLUMNS, every calendar month of the chart window (value NaN = no figure);
    gaps: GAP_COLUMNS, runs of months without a figure inside the data that touch the window.
    """

    area_code: str
    country_code: str
    level: str
    month: str | None
    year: int | None
    month_no: int | None
    year_earlier: str | None
    figures: pd.DataFrame
    history: pd.DataFrame
    gaps: pd.DataFrame


def shift_month(code: str, months: int) -> str:
    """Return the month code `months` later (negative: earlier) than 'YYYY-MM'."""
    parsed = parse_month(code)
    if parsed is None:
        raise ValueError(f"month must be 'YYYY-MM', not {code!r}")
    index = parsed[0] * 12 + parsed[1] - 1 + int(months)
    return month_code(index // 12, index % 12 + 1)


def month_range(first: str, last: str) -> list[str]:
    """Return every month code from first to last inclusive (empty when last < first)."""
    out, current = [], first
    while current <= last:
        out.append(current)
        current = shift_month(current, 1)
    return out


def with_rate(monthly: pd.DataFrame) -> pd.DataFrame:
    """Return monthly rows (series_id, area_code, month, value, flag) plus the derived rate.

    The rate is unemployed / labour force × RATE_SCALE of the same area and month; a missing or
    zero labour force gives no rate, and a confidential input makes the rate confidential.
    """
    base = monthly[["series_id", "area_code", "month", "value", "flag"]]
    keys = ["area_code", "month"]
    num = base.loc[base["series_id"] == RATE_NUMERATOR, [*keys, "value", "flag"]]
    den = base.loc[base["series_id"] == RATE_DENOMINATOR, [*keys, "value", "flag"]]
    both = num.merge(den, on=keys, how="inner", suffixes=("_num", "_den")).set_index(keys)
    if both.empty:
        return base.reset_index(drop=True)
    den_value = both["value_den"].where(both["value_den"] > 0)
    confidential = ((both["flag_num"] == CONFIDENTIAL_FLAG)
                    | (both["flag_den"] == CONFIDENTIAL_FLAG)).fillna(False)
    rate = pd.DataFrame({"series_id": RATE_SERIES,
                         "value": both["value_num"] / den_value * RATE_SCALE,
                         "flag": np.where(confidential, CONFIDENTIAL_FLAG, None)},
                        index=both.index).reset_index()
    return pd.concat([base, rate[base.columns]], ignore_index=True)


def _plain(monthly: pd.DataFrame) -> pd.DataFrame:
    """Return the rows with plain text columns and float values (non-finite values missing)."""
    text = [c for c in ("series_id", "area_code", "month", "flag") if c in monthly.columns]
    out = monthly.astype({c: object for c in text})
    value = pd.to_numeric(out["value"], errors="coerce").astype(float)
    out["value"] = value.where(np.isfinite(value))
    if "flag" in out.columns:
        out["flag"] = out["flag"].where(out["flag"].notna(), None)
    return out


def latest_month(monthly: pd.DataFrame, area_code: str,
                 series_ids: tuple[str, ...] = FAST_SERIES) -> str | None:
    """Return the latest month in which the area has a figure of one of the series, else None."""
    inputs = set(series_ids) | {RATE_NUMERATOR, RATE_DENOMINATOR}
    rows = monthly[(monthly["area_code"] == area_code) & monthly["series_id"].isin(inputs)
                   & monthly["value"].notna()]
    return None if rows.empty else str(rows["month"].max())


def competition_rank(values: pd.Series) -> pd.Series:
    """Return ranks, 1 = highest, ties sharing the best rank; NaN stays unranked."""
    return values.rank(method="min", ascending=False)


def _decimals(series: pd.DataFrame) -> dict[str, int]:
    """Return the display decimals of each series (the rate has RATE_DECIMALS)."""
    out = {RATE_SERIES: RATE_DECIMALS}
    if "decimals" in series.columns:
        out.update({str(i): int(d) for i, d in zip(series["id"], series["decimals"],
                                                   strict=True) if pd.notna(d)})
    return out


def _shown(monthly: pd.DataFrame, series: pd.DataFrame) -> list[str]:
    """Return the fast series that the data and the series list have, in FAST_SERIES order."""
    known = set(series["id"].tolist()) | {RATE_SERIES}
    present = set(monthly["series_id"].unique().tolist())
    if RATE_NUMERATOR in present and RATE_DENOMINATOR in present:
        present.add(RATE_SERIES)
    return [s for s in FAST_SERIES if s in known and s in present]


def _level_figures(data: pd.DataFrame, codes: list[str], month: str, before: str,
                   shown: list[str], decimals: dict[str, int]) -> pd.DataFrame:
    """Return per (series, area) of a level the value, year-earlier value, changes and ranks."""
    index = pd.MultiIndex.from_product([shown, codes], names=["series", "area_code"])
    keyed = data.set_index(["series_id", "area_code"])
    now, then = keyed[data["month"].to_numpy() == month], keyed[data["month"].to_numpy() == before]
    out = pd.DataFrame(index=index)
    out["value"] = now["value"].reindex(index).to_numpy()
    out["flag"] = now["flag"].reindex(index).to_numpy()
    out["year_earlier_value"] = then["value"].reindex(index).to_numpy()
    out["year_earlier_flag"] = then["flag"].reindex(index).to_numpy()
    out["change"] = out["value"] - out["year_earlier_value"]
    is_rate = index.get_level_values("series") == RATE_SERIES
    base = out["year_earlier_value"].where(out["year_earlier_value"] > 0)
    out["change_pct"] = ((out["value"] / base - 1) * 100).where(~is_rate)
    out["decimals"] = [decimals.get(sid, 0) for sid in index.get_level_values("series")]
    shown_value = np.round(out["value"].to_numpy(float) * 10.0 ** out["decimals"].to_numpy())
    moved = np.where(is_rate, out["change"].round(RATE_DECIMALS),
                     out["change_pct"].round(CHANGE_PCT_DECIMALS))
    by_series = out.assign(_shown=shown_value, _moved=moved).groupby(level="series")
    out["rank"] = by_series["_shown"].transform(competition_rank)
    out["n_ranked"] = by_series["_shown"].transform("count")
    out["change_rank"] = by_series["_moved"].transform(competition_rank)
    out["change_n_ranked"] = by_series["_moved"].transform("count")
    return out


def _confidential(flag: object) -> bool:
    """Return True when a flag says the publisher suppressed the figure."""
    return isinstance(flag, str) and flag == CONFIDENTIAL_FLAG


def _note(row: pd.Series) -> str | None:
    """Return why a figure or its change is missing (None when both are there)."""
    if pd.isna(row["value"]):
        return "confidential" if _confidential(row["flag"]) else "no_figure"
    if pd.isna(row["year_earlier_value"]):
        if _confidential(row["year_earlier_flag"]):
            return "year_earlier_confidential"
        return "no_year_earlier"
    return None


def _figures(data: pd.DataFrame, areas: pd.DataFrame, area_code: str, level: str, month: str,
             shown: list[str], decimals: dict[str, int]) -> pd.DataFrame:
    """Return the FIGURE_COLUMNS rows of the area (ranked in its level) and of the country."""
    country = regions.COUNTRY_CODE
    peers = areas.loc[areas["level"] == level, "code"].astype(str).tolist()
    before = shift_month(month, -CHANGE_LAG_MONTHS)
    data = data[data["month"].isin([month, before])]
    parts = [] if area_code == country else [
        _level_figures(data, peers, month, before, shown, decimals).loc[(shown, [area_code]), :]]
    whole = _level_figures(data, [country], month, before, shown, decimals)
    for column in ("rank", "n_ranked", "change_rank", "change_n_ranked"):
        whole[column] = np.nan
    frame = pd.concat([*parts, whole])
    order = {sid: i for i, sid in enumerate(shown)}
    frame = frame.reset_index()
    frame["_order"] = frame["series"].map(order)
    frame["_country"] = frame["area_code"] == country
    frame = frame.sort_values(["_order", "_country"], kind="stable").reset_index(drop=True)
    frame["note"] = [_note(row) for _, row in frame.iterrows()]
    frame = frame[FIGURE_COLUMNS].copy()
    frame["note"] = frame["note"].astype(object).where(frame["note"].notna(), None)
    for column in ("rank", "n_ranked", "change_rank", "change_n_ranked"):
        frame[column] = frame[column].astype("Int64")
    frame["decimals"] = frame["decimals"].astype(int)
    return frame


def _history(data: pd.DataFrame, codes: list[str], months: list[str],
             shown: list[str]) -> pd.DataFrame:
    """Return every (series, area, month) of the window with its value (NaN = no figure)."""
    index = pd.MultiIndex.from_product([shown, codes, months],
                                       names=["series", "area_code", "month"])
    values = data.set_index(["series_id", "area_code", "month"])["value"]
    values.index = values.index.set_names(["series", "area_code", "month"])
    out = values[~values.index.duplicated()].reindex(index).reset_index()
    parsed = out["month"].map(parse_month)
    out["year"] = [p[0] for p in parsed]
    out["month_no"] = [p[1] for p in parsed]
    return out[HISTORY_COLUMNS]


def gap_runs(months_with_figure: list[str]) -> list[tuple[str, str, int]]:
    """Return (first, last, count) of each run of missing months between figures."""
    have = sorted(set(months_with_figure))
    runs = []
    for earlier, later in zip(have, have[1:], strict=False):
        first = shift_month(earlier, 1)
        if first < later:
            last = shift_month(later, -1)
            runs.append((first, last, len(month_range(first, last))))
    return runs


def _gaps(data: pd.DataFrame, codes: list[str], window: list[str],
          shown: list[str]) -> pd.DataFrame:
    """Return the gaps inside each series' data that overlap the chart window."""
    rows = []
    for sid in shown:
        for code in codes:
            have = data.loc[(data["series_id"] == sid) & (data["area_code"] == code)
                            & data["value"].notna(), "month"].tolist()
            for first, last, count in gap_runs(have):
                if first <= window[-1] and last >= window[0]:
                    rows.append({"series": sid, "area_code": code, "first": first, "last": last,
                                 "months": count})
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def fast_picture(monthly: pd.DataFrame, series: pd.DataFrame, areas: pd.DataFrame,
                 area_code: str, month: str | None = None) -> FastPicture:
    """Return the fast picture of an area and the country in a month (default: its latest).

    monthly: monthly_observations rows; series: the monthly_series table (id, decimals);
    areas: the areas table (code, level). Changes are against the same month a year earlier
    only; a missing year-earlier month gives no change (note 'no_year_earlier'), never a change
    against another month.
    """
    by_code = areas.set_index("code")["level"]
    if area_code not in by_code.index:
        raise ValueError(f"unknown area code {area_code!r}")
    if month is not None and (parse_month(month) is None or len(str(month)) != 7):
        raise ValueError(f"month must be 'YYYY-MM', not {month!r}")
    level = str(by_code[area_code])
    codes = list(dict.fromkeys([area_code, regions.COUNTRY_CODE]))
    month = month or latest_month(monthly, area_code)
    if month is None:
        empty = FastPicture(area_code, regions.COUNTRY_CODE, level, None, None, None, None,
                            pd.DataFrame(columns=FIGURE_COLUMNS),
                            pd.DataFrame(columns=HISTORY_COLUMNS),
                            pd.DataFrame(columns=GAP_COLUMNS))
        return empty
    window = month_range(shift_month(month, 1 - HISTORY_MONTHS), month)
    shown = _shown(monthly, series)
    needed = monthly[monthly["series_id"].isin(set(shown) | {RATE_NUMERATOR, RATE_DENOMINATOR})]
    data = with_rate(_plain(needed[needed["month"].isin(window)]))
    data = data[data["series_id"].isin(shown)]
    figures = _figures(data, areas, area_code, level, month, shown, _decimals(series))
    history = _history(data, codes, window, shown)
    full = with_rate(_plain(needed[needed["area_code"].isin(codes)]))
    gaps = _gaps(full[full["series_id"].isin(shown)], codes, window, shown)
    year, month_no = parse_month(month)
    return FastPicture(area_code, regions.COUNTRY_CODE, level, month, year, month_no,
                       shift_month(month, -CHANGE_LAG_MONTHS), figures, history, gaps)
