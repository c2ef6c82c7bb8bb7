"""Statistics Finland Kuntien avainluvut 2019 (municipal key figures 2006–2016) -> indicators."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.aggregate import prefer_published, rate_from_counts, to_today, weighted_mean
from etl.convert.division import Division, observations
from etl.convert.raw import read_raw

RAW_FILE = Path("kuntien_avainluvut_2019") / "kuntien_avainluvut_2006_2016_municipal.csv"
POP = "Vakiluku"
UNDER_15 = "Alle_15_vuotiaiden_osuus_vaestosta"
AGED_15_64 = "X15_64_vuotiaiden_osuus_vaestosta"
EMPLOYED = "Alueella_asuvan_tyollisen_tyovoiman_maara"
JOBS = "Alueella_olevien_tyopaikkojen_lukumaara"

# indicator id -> (published rate column, weight column, source_id); weights are derived below
WEIGHTED = {
    "urbanisation_degree": ("Taajama_aste", "pop", "statfin_avainluvut_taajama_aste"),
    "share_65_plus": ("Yli_64_vuotiaiden_osuus_vaestosta", "pop", "statfin_avainluvut_yli_64"),
    "tertiary_education_share": (
        "Korkea_asteen_tutkinnon_suorittaneiden_osuus_15_vuotta_tayttaneista", "pop15plus",
        "statfin_avainluvut_korkea_aste"),
    "upper_secondary_or_higher_share": (
        "Vahintaan_toisen_asteen_tutkinnon_suorittaneiden_osuus_15_vuotta_tayttaneista",
        "pop15plus", "statfin_avainluvut_toinen_aste"),
    "employment_rate": ("Tyollisyysaste", "pop15_64", "statfin_avainluvut_tyollisyysaste"),
    "economic_dependency_ratio": ("Taloudellinen_huoltosuhde", "employed",
                                  "statfin_avainluvut_huoltosuhde"),
}
JOB_SELF_SUFFICIENCY = ("Tyopaikkaomavaraisuus", "statfin_avainluvut_tyopaikkaomavaraisuus")


def read_avainluvut(path: Path, division: Division) -> pd.DataFrame:
    """Read the key-figure file; add today's code and the weights (population 15+, 15–64, ...)."""
    needed = {"Alue", "vuosi", POP, UNDER_15, AGED_15_64, EMPLOYED, JOBS, JOB_SELF_SUFFICIENCY[0]}
    raw = read_raw(path, "key-figure file", needed | {col for col, _, _ in WEIGHTED.values()})
    out = raw.assign(code=division.codes_for_names(raw["Alue"]), period=raw["vuosi"].astype(int))
    out["pop"] = out[POP]
    out["pop15plus"] = out[POP] * (1 - out[UNDER_15] / 100)
    out["pop15_64"] = out[POP] * out[AGED_15_64] / 100
    out["employed"] = out[EMPLOYED]
    out["jobs"] = out[JOBS]
    return to_today(out, division.successor_map, division.current)


def convert_avainluvut(data: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return observations of the key-figure indicators on every level of today's division."""
    parents = division.parents
    frames = []
    for indicator_id, (column, weight, source_id) in WEIGHTED.items():
        rolled = weighted_mean(data, column, weight, parents)
        rolled = prefer_published(rolled, data.loc[:, ["code", "period", column]], column)
        frames.append(observations(rolled.dropna(subset=["value"]), indicator_id, source_id))
    column, source_id = JOB_SELF_SUFFICIENCY
    rolled = rate_from_counts(data, "jobs", "employed", parents, scale=100.0)
    rolled = prefer_published(rolled, data.loc[:, ["code", "period", column]], column)
    frames.append(observations(rolled.dropna(subset=["value"]), "job_self_sufficiency", source_id))
    return pd.concat(frames, ignore_index=True)
