"""Changes as shown: a number only where it is comparable, otherwise the reason in words.

Score changes follow the scoring contract's notes (change_1y_note, change_5y_note): NULL and
`partial` are shown (partial marked); `no_new_data`, `break`, `set_changed`, `no_base` and a
change whose comparability was never checked are not, whatever number is stored. Changes of an
observed value (a key indicator against its previous year) are judged here from the recorded
series breaks: never across a break, never from a value carried forward from an earlier year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from presentation import format as fmt
from presentation.display import Span
from presentation.i18n import t

SHOWN_NOTES = (None, "partial")
REASON_KEYS = {"no_new_data": "change.no_new_data", "break": "change.break",
               "set_changed": "change.set_changed", "no_base": "change.no_base",
               "unchecked": "change.unchecked"}
ONE_OFF, SERIES_BREAK = "one_off", "series_break"


@dataclass(frozen=True)
class Change:
    """One change as shown: the value when comparable, else the reason (note = the code)."""

    value: float | None
    text: str
    good: bool | None
    note: str | None

    @property
    def shown(self) -> bool:
        """Return True when a number is shown."""
        return self.value is not None

    def span(self) -> Span:
        """Return the change as a toned span: good/bad by direction, a reason muted."""
        if not self.shown:
            return Span(self.text, "muted" if self.text != fmt.MISSING else "")
        return Span(self.text, "good" if self.good is True else "bad" if self.good is False
                    else "")


def _note(value: object) -> str | None:
    """Return a note code, None for a missing one."""
    return None if fmt.is_missing(value) else str(value)


def arrow(value: float, decimals: int, lang: str) -> str:
    """Return a change as '▲ +1,2' / '▼ −0,4' / '● ±0,0' by its shown (rounded) value."""
    shown = round(float(value), max(0, int(decimals)))
    symbol = "▲" if shown > 0 else "▼" if shown < 0 else "●"
    return f"{symbol} {fmt.signed(value, decimals, lang)}"


def good(value: float, decimals: int, direction: str = "higher_better") -> bool | None:
    """Return True/False for a change in the good/bad direction, None when it shows as zero."""
    shown = round(float(value), max(0, int(decimals)))
    if shown == 0:
        return None
    return (shown > 0) == (direction != "lower_better")


def reason(note: str, lang: str, since: object = None) -> str:
    """Return why a change is not shown, in words ('ei uutta lukua vuoden 2019 jälkeen')."""
    key = REASON_KEYS.get(note, "change.not_comparable")
    if note == "no_new_data":
        if fmt.is_missing(since):
            key = "change.no_new_data_unknown"
        else:
            return t(key, lang, year=fmt.year(since))
    return t(key, lang)


def score_change(value: object, note: object, lang: str, since: object = None,
                 decimals: int = 1) -> Change:
    """Return a stored score change as shown, by its contract note.

    since: the newest value year of the scored year (for 'no new figure since <year>').
    """
    code = _note(note)
    if code not in SHOWN_NOTES:
        return Change(None, reason(code, lang, since), None, code)
    if fmt.is_missing(value):
        return Change(None, fmt.MISSING, None, code)
    number = float(value)
    text = arrow(number, decimals, lang)
    if code == "partial":
        text += " " + t("change.partial", lang)
    return Change(number, text, good(number, decimals), code)


def break_between(breaks: pd.DataFrame, base: int, period: int) -> bool:
    """Return True when a recorded break makes the change base -> period incomparable.

    breaks: the indicator's rows (period, kind) at the area's level. A one-off year may be
    neither end of a change; a series break at year b forbids base < b <= period.
    """
    for year, kind in zip(breaks["period"], breaks["kind"], strict=True):
        year = int(year)
        if kind == ONE_OFF and year in (base, period):
            return True
        if kind == SERIES_BREAK and base < year <= period:
            return True
    return False


def value_change(values: Mapping[int, float], period: int | None, year: int,
                 breaks: pd.DataFrame, decimals: int, direction: str, lang: str) -> Change:
    """Return the change of an observed value against the previous year, as shown.

    values: year -> value of the area; period: the year of the value shown (the latest at or
    before year). Not shown when the value is older than the picture's year (carried forward),
    when the previous year has no value, or across a recorded break.
    """
    if period is None:
        return Change(None, fmt.MISSING, None, None)
    if period < year:  # the value's own year is shown beside it
        return Change(None, t("change.no_newer", lang), None, "no_new_data")
    base = period - 1
    if base not in values:
        return Change(None, t("change.no_previous", lang), None, "no_base")
    if break_between(breaks, base, period):
        return Change(None, reason("break", lang), None, "break")
    number = values[period] - values[base]
    return Change(number, arrow(number, decimals, lang), good(number, decimals, direction), None)
