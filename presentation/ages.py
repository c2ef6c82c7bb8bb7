"""How old the figures of a picture are: the newest and oldest value years, and plain notices.

Thresholds: a notice when the picture's newest figure is more than STALE_AFTER_YEARS years
before today, or a dimension uses a figure more than OLD_AFTER_YEARS years before today. Today
is passed in (the real date in the app, a fixed one in tests).
"""

from __future__ import annotations

import datetime as dt

from presentation import format as fmt
from presentation.i18n import t

STALE_AFTER_YEARS = 2
OLD_AFTER_YEARS = 3
MOSTLY_CARRIED = 0.5  # more than this share of a score's values from earlier years


def _year(value: object) -> int | None:
    """Return a year as int, None when missing."""
    return None if fmt.is_missing(value) else int(value)


def span_text(newest: object, oldest: object, lang: str) -> str:
    """Return 'Tuorein luku 2025 · vanhin käytetty 2017' ('' when no figure was used)."""
    new, old = _year(newest), _year(oldest)
    if new is None:
        return ""
    if old is None or old == new:
        return t("age.single", lang, year=new)
    return t("age.span", lang, newest=new, oldest=old)


def short_span(newest: object, oldest: object) -> str:
    """Return '2017–2025' (or '2024', or the missing mark) for a table cell."""
    new, old = _year(newest), _year(oldest)
    if new is None:
        return fmt.MISSING
    return str(new) if old is None or old == new else f"{old}–{new}"


def is_stale(newest: object, today: dt.date) -> bool:
    """Return True when the newest figure is more than STALE_AFTER_YEARS before today."""
    new = _year(newest)
    return new is not None and today.year - new > STALE_AFTER_YEARS


def is_old(oldest: object, today: dt.date) -> bool:
    """Return True when the oldest figure is more than OLD_AFTER_YEARS before today."""
    old = _year(oldest)
    return old is not None and today.year - old > OLD_AFTER_YEARS


def stale_notice(newest: object, today: dt.date, lang: str, where: str) -> str:
    """Return the notice that the picture's newest figure is old ('' when it is not)."""
    if not is_stale(newest, today):
        return ""
    return t("age.stale", lang, year=_year(newest), years=STALE_AFTER_YEARS, where=where)


def old_notice(labels: list[tuple[str, int]], today: dt.date, lang: str) -> str:
    """Return the notice naming the dimensions that use figures older than OLD_AFTER_YEARS."""
    if not labels:
        return ""
    parts = ", ".join(t("age.old_part", lang, name=name, year=year) for name, year in labels)
    return t("age.old", lang, years=OLD_AFTER_YEARS, dimensions=parts)


def score_notes(n_indicators: object, n_carried: object, lang: str) -> tuple[str, ...]:
    """Return the card's notes: one indicator only; most values carried from earlier years."""
    notes = []
    used = 0 if fmt.is_missing(n_indicators) else int(n_indicators)
    carried = 0 if fmt.is_missing(n_carried) else int(n_carried)
    if used == 1:
        notes.append(t("age.single_indicator", lang))
    if used and carried / used > MOSTLY_CARRIED:
        notes.append(t("age.mostly_carried", lang, carried=carried, used=used))
    return tuple(notes)
