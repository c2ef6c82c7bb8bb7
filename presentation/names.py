"""Area names in running text: the registry's names and the inflected forms of the regions.

The forms come from indicators/region_forms.toml ("Lapin pisteet", "Lapplands poäng").
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.regions import region_forms


@dataclass(frozen=True)
class AreaNames:
    """The names of the areas in one language, with inflected forms where the texts need them."""

    lang: str
    names: dict[str, str]
    forms: dict[str, dict[str, str]]

    def name(self, code: str) -> str:
        """Return the area's name (the code when unknown)."""
        return self.names.get(code, code)

    def _form(self, code: str, form: str) -> str:
        """Return one inflected form; the name itself when the area has none recorded."""
        return self.forms.get(code, {}).get(form) or self.name(code)

    def genitive(self, code: str) -> str:
        """Return the genitive: 'Lapin', 'Lapplands', "Lapland's"."""
        return self._form(code, "gen")

    def locative(self, code: str) -> str:
        """Return the Finnish place case ('Lapissa', 'Uudellamaalla'); other languages: name."""
        return self._form(code, "loc")


def area_names(areas: pd.DataFrame, lang: str) -> AreaNames:
    """Return the names of the areas frame in lang with the registry's inflected forms."""
    names = dict(zip(areas["code"], areas[f"name_{lang}"], strict=True))
    forms = {code: by_lang.get(lang, {}) for code, by_lang in region_forms().items()
             if names.get(code) == by_lang.get(lang, {}).get("nom")}
    return AreaNames(lang=lang, names=names, forms=forms)
