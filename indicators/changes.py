"""Changes of dimension scores and the index, only where comparable, with the reason otherwise."""

from __future__ import annotations

import numpy as np

from indicators.aggregate import Coverage, group_counts, membership, overall_means, weighted_means
from indicators.method import DEFAULT_RULES, Rules, meets_share
from indicators.panel import Panel, crosses_break

PARTIAL, NO_NEW_DATA, BREAK, SET_CHANGED, NO_BASE = (
    "partial", "no_new_data", "break", "set_changed", "no_base")




def dimension_change(panel: Panel, scores: np.ndarray, cov: Coverage, dims: np.ndarray, t: int,
                     b: int, ind_w: np.ndarray, aggregation: str,
                     rules: Rules = DEFAULT_RULES) -> tuple[np.ndarray, ...]:
    """Return the change of each dimension from year index b to t and its note, both [A, K].

    Also returns the restricted scores of both years [A, K] (the dimension computed on the
    comparable indicators only) and whether those are all the indicators used in both years,
    from which the index's change is built.
    """
    n_dims = len(panel.dims)
    member = membership(panel.ind_dim, n_dims)
    avail_t, avail_b = cov.available[t], cov.available[b]
    vp_t, vp_b = panel.value_period[t], panel.value_period[b]
    common = avail_t & avail_b
    comparable = common & ~crosses_break(panel, vp_b, vp_t)
    newer = vp_t > vp_b
    need = np.maximum(cov.n_expected[t], cov.n_expected[b])[None, :]
    n_comparable = group_counts(comparable, panel.ind_dim, n_dims)
    restricted_t = weighted_means(scores[t], comparable, ind_w[None], member, aggregation)[0]
    restricted_b = weighted_means(scores[b], comparable, ind_w[None], member, aggregation)[0]
    fresh = avail_t & ~(avail_b & (vp_t == vp_b))          # a value the base year did not use
    no_comparable_news = group_counts(comparable & newer, panel.ind_dim, n_dims) == 0
    conditions = [
        np.isnan(dims[t, :, :n_dims]) | np.isnan(dims[b, :, :n_dims]),
        group_counts(fresh, panel.ind_dim, n_dims) == 0,
        ~meets_share(group_counts(common, panel.ind_dim, n_dims), need, rules.dimension_coverage),
        ~meets_share(n_comparable, need, rules.dimension_coverage),
        no_comparable_news & (group_counts(common & newer, panel.ind_dim, n_dims) > 0),
        no_comparable_news,
    ]
    note = np.select(conditions, [NO_BASE, NO_NEW_DATA, SET_CHANGED, BREAK, BREAK, SET_CHANGED],
                     "").astype(object)
    same = (n_comparable == cov.n_available[t]) & (n_comparable == cov.n_available[b])
    note[(note == "") & ~same] = PARTIAL
    shown = (note == "") | (note == PARTIAL)
    change = np.where(shown, restricted_t - restricted_b, np.nan)
    return change, note, (restricted_t, restricted_b, same)


def overall_change(cov: Coverage, dims: np.ndarray, t: int, b: int, note: np.ndarray,
                   restricted: tuple[np.ndarray, np.ndarray, np.ndarray], dim_w: np.ndarray,
                   aggregation: str, rules: Rules = DEFAULT_RULES) -> tuple[np.ndarray,
                                                                          np.ndarray]:
    """Return the index's change from year index b to t and its note, both [A].

    The index is recomputed in both years from the dimensions that are comparable (shown, or
    without new data), each on its comparable indicators.
    """
    r_t, r_b, same_set = restricted
    comparable = (np.isin(note, ["", PARTIAL, NO_NEW_DATA]) & np.isfinite(r_t)
                  & np.isfinite(r_b))
    used = cov.dim_ok[t] | cov.dim_ok[b]
    weights = (dim_w * cov.dim_in_use)[None]
    index_t = overall_means(r_t[None], comparable, weights, aggregation)[0]
    index_b = overall_means(r_b[None], comparable, weights, aggregation)[0]
    set_changed = (used & ~comparable & np.isin(note, [SET_CHANGED, NO_BASE])).any(axis=-1)
    short = np.where(set_changed, SET_CHANGED, BREAK)
    conditions = [
        np.isnan(dims[t, :, -1]) | np.isnan(dims[b, :, -1]),
        (cov.dim_ok[t] & (note != NO_NEW_DATA)).sum(axis=-1) == 0,
        ~meets_share(comparable.sum(axis=-1), int(cov.dim_in_use.sum()),
                     rules.overall_coverage),
        (comparable & (note != NO_NEW_DATA)).sum(axis=-1) == 0,
    ]
    out = np.select(conditions, [NO_BASE, NO_NEW_DATA, short, short], "").astype(object)
    same = ((comparable == cov.dim_ok[t]) & (comparable == cov.dim_ok[b])
            & (same_set | ~comparable)).all(axis=-1)
    out[(out == "") & ~same] = PARTIAL
    shown = (out == "") | (out == PARTIAL)
    return np.where(shown, index_t - index_b, np.nan), out


def comparable_changes(panel: Panel, scores: np.ndarray, cov: Coverage, dims: np.ndarray,
                       lag: int, ind_w: np.ndarray, dim_w: np.ndarray, aggregation: str,
                       rules: Rules = DEFAULT_RULES) -> tuple[np.ndarray, np.ndarray]:
    """Return the lag-year changes [T, A, K + 1] and their notes (None = comparable)."""
    change = np.full(dims.shape, np.nan)
    note = np.full(dims.shape, NO_BASE, dtype=object)
    for t in range(lag, len(panel.periods)):
        b = t - lag
        dim_change, dim_note, restricted = dimension_change(panel, scores, cov, dims, t, b, ind_w,
                                                            aggregation, rules)
        index_change, index_note = overall_change(cov, dims, t, b, dim_note, restricted, dim_w,
                                                  aggregation, rules)
        change[t, :, :-1], note[t, :, :-1] = dim_change, dim_note
        change[t, :, -1], note[t, :, -1] = index_change, index_note
    note[note == ""] = None
    return change, note
