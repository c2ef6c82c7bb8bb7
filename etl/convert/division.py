"""Today's division as the converters need it, and the tidy observation frame they return."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etl.convert.errors import ConvertError
from etl.values import stored
from indicators import regions

OBS_COLUMNS = ("indicator_id", "area_code", "period", "value", "flag", "source_id")


@dataclass(frozen=True)
class Division:
    """Today's municipalities with parents, merged-away codes, region names and NUTS codes."""

    registry: pd.DataFrame
    successors: pd.DataFrame

    @property
    def parents(self) -> pd.DataFrame:
        """Return code, subregion_code, region_code for every current municipality."""
        munis = self.registry.loc[self.registry["level"] == "municipality"]
        return pd.DataFrame({"code": munis["code"].to_numpy(),
                             "subregion_code": munis["parent_code"].to_numpy(),
                             "region_code": munis["region_code"].to_numpy()})

    @property
    def current(self) -> set[str]:
        """Return today's municipality codes."""
        return set(self.registry.loc[self.registry["level"] == "municipality", "code"])

    @property
    def successor_map(self) -> dict[str, str]:
        """Return merged-away code -> today's code."""
        return regions.resolve_successors(self.successors)

    def codes_for_names(self, names: pd.Series) -> pd.Series:
        """Return today's municipality codes for a series of names; raise on an unknown name.

        Bilingual labels such as 'Maarianhamina - Mariehamn' are matched on either part.
        """
        index = regions.name_index(self.registry, self.successors)

        def lookup(name: str) -> str:
            code = regions.match_name(index, name)
            if code is None:
                raise ConvertError(
                    f"municipality name {name!r} is neither current nor a known merger")
            return code

        unique = {name: lookup(name) for name in pd.unique(names)}
        return names.map(unique)

    def region_for_name(self, name: str) -> str:
        """Return the region code for a region name (fi, sv or en)."""
        code = regions.region_by_name(self.registry, name)
        if code is None:
            raise ConvertError(f"unknown region name {name!r}")
        return code

    def region_for_nuts2021(self) -> dict[str, str]:
        """Return NUTS 2021 code -> region code."""
        regions = self.registry.loc[self.registry["level"] == "region"]
        return dict(zip(regions["nuts3_2021"], regions["code"], strict=True))


def observations(frame: pd.DataFrame, indicator_id: str, source_id: str,
                 flag: pd.Series | str | None = None) -> pd.DataFrame:
    """Return area_code, period, value of a frame as tidy observation rows of one indicator."""
    out = pd.DataFrame({
        "indicator_id": indicator_id,
        "area_code": frame["area_code"].astype(str).to_numpy(),
        "period": frame["period"].astype(int).to_numpy(),
        "value": stored(frame["value"]),
    })
    if isinstance(flag, pd.Series):
        out["flag"] = flag.to_numpy()
    else:
        out["flag"] = flag
    out["flag"] = out["flag"].astype(object).where(out["flag"].notna(), None)
    out["source_id"] = source_id
    return out.loc[:, list(OBS_COLUMNS)]
