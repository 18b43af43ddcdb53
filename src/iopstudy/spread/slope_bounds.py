"""The extreme logit slope over all placements of *k* extra adopters, by the profile score.

:func:`iopstudy.spread.bounds.logit_bounds` needs, for a logit with one intercept per stratum
and a common slope, the largest (smallest) slope estimate over every way of turning *k* of the
zeros into ones. Enumerating the allocations of *k* to the strata and fitting each one costs
thousands of fits (seconds) when *k* is large. This module finds the same extreme without
enumerating: a root search on the slope, with a small dynamic programme over the strata at
each step. It returns the extreme allocation, which the caller refits to get the estimate.

=========================  ===================================================
extreme_allocation         the allocation of k that gives the largest / smallest slope
=========================  ===================================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["extreme_allocation"]


def _intercepts(xs: np.ndarray, b: float, m: np.ndarray) -> np.ndarray:
    """For each target m (0 < m < n), the alpha with ``sum_i expit(alpha + b x_i) = m``."""
    n = len(xs)
    bx = b * xs
    base = np.log(m / (n - m))
    lo, hi = base - bx.max(), base - bx.min()  # g(lo) <= m <= g(hi)
    a = base - bx.mean()  # exact when all x are equal
    for _ in range(200):
        mu = 1.0 / (1.0 + np.exp(-(a[:, None] + bx[None, :])))
        g = mu.sum(axis=1) - m
        done = np.abs(g) < 1e-11
        if done.all():
            return a
        lo = np.where(g < 0, a, lo)
        hi = np.where(g > 0, a, hi)
        d = (mu * (1 - mu)).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            new = a - g / d
        outside = ~np.isfinite(new) | (new < lo) | (new > hi)  # Newton left the bracket: bisect
        new = np.where(done, a, np.where(outside, (lo + hi) / 2, new))
        if np.max(np.abs(new - a)) < 1e-15 * max(1.0, float(np.max(np.abs(a)))):
            return new
        a = new
    return a


class _Stratum:
    def __init__(self, x: np.ndarray, y: np.ndarray, zero_x_sorted: np.ndarray, high: bool):
        self.x = x
        self.n = len(x)
        self.n1 = int(y.sum())
        t0 = float(np.sum(x * y))
        add = zero_x_sorted[::-1] if high else zero_x_sorted
        self.T = t0 + np.concatenate([[0.0], np.cumsum(add)])  # sum of x * y with k extra ones
        self.m = self.n1 + np.arange(len(self.T))
        self.free = (self.m > 0) & (self.m < self.n)  # a stratum all 0 or all 1 drops out

    def score(self, b: float) -> np.ndarray:
        """Profile score of the slope at b, for k = 0, 1, … extra ones in this stratum."""
        out = np.zeros(len(self.T))
        if self.free.any():
            m = self.m[self.free].astype(float)
            a = _intercepts(self.x, b, m)
            mu = 1.0 / (1.0 + np.exp(-(a[:, None] + b * self.x[None, :])))
            out[self.free] = self.T[self.free] - mu @ self.x
        return out


def _best(parts: Sequence[np.ndarray], k: int) -> tuple[float, tuple[int, ...]]:
    """max of sum_s f_s(k_s) over k_s >= 0 with sum k_s = k (a max-plus convolution)."""
    value = parts[0][: k + 1].copy()
    choice: list[np.ndarray] = []
    for f in parts[1:]:
        new = np.full(min(len(value) + len(f) - 1, k + 1), -np.inf)
        arg = np.zeros(len(new), dtype=int)
        for i, fi in enumerate(f[: k + 1]):
            j = np.arange(i, min(i + len(value), len(new)))
            cand = value[j - i] + fi
            better = cand > new[j]
            new[j[better]] = cand[better]
            arg[j[better]] = i
        value = new
        choice.append(arg)
    if k >= len(value) or not np.isfinite(value[k]):
        raise ValueError("k exceeds the zeros")
    alloc = []
    j = k
    for arg in reversed(choice):
        alloc.append(int(arg[j]))
        j -= int(arg[j])
    alloc.append(j)
    return float(value[k]), tuple(reversed(alloc))


def extreme_allocation(
    x: np.ndarray,
    y: np.ndarray,
    stratum: np.ndarray,
    zeros_sorted: Sequence[np.ndarray],
    k: int,
    high: bool,
    fit: Callable[[tuple[int, ...]], float],
    start: float,
    *,
    max_steps: int = 100,
) -> tuple[tuple[int, ...], float]:
    """The allocation of *k* extra ones to the strata that gives the extreme slope, and the slope.

    Parameters
    ----------
    x, y, stratum
        The term, the 0/1 outcome and the stratum code (0 … S-1) of every unit.
    zeros_sorted
        Per stratum, the indices of its zeros sorted by ``x`` (ascending).
    k
        Number of zeros turned into ones.
    high
        True: the largest slope (ones on the largest ``x`` of each stratum); False: the smallest.
    fit
        The slope estimate of the extreme placement of an allocation (``k_s`` per stratum);
        ±inf when it diverges, NaN when it is undefined.
    start
        A slope to start from (e.g. the estimate without extra ones).

    Returns
    -------
    allocation : tuple of int
        ``k_s`` per stratum.
    estimate : float
        ``fit(allocation)``.

    Notes
    -----
    In the logit :math:`\\mathrm{logit}\\,P(y_i = 1) = \\alpha_{s(i)} + \\beta x_i`, the
    profile score :math:`U(b) = \\sum_s [T_s - \\sum_{i \\in s} x_i\\,
    \\mathrm{expit}(\\hat\\alpha_s(b) + b x_i)]`, with :math:`T_s = \\sum_{i\\in s} x_i y_i` and
    :math:`\\hat\\alpha_s(b)` solving :math:`\\sum_{i\\in s}\\mathrm{expit}(\\alpha + b x_i) =
    \\sum_{i \\in s} y_i`, is strictly decreasing in *b* and zero at the MLE, so
    :math:`\\hat\\beta > b \\iff U(b) > 0`. For a placement with :math:`k_s` extra ones in
    stratum *s*, the second term depends on :math:`k_s` only, and :math:`T_s` is largest when
    the ones go to the largest *x*. So with :math:`F(b) = \\max_{k_1+\\dots+k_S = k} \\sum_s
    U_s(b; k_s)` (a max-plus convolution over the strata), an allocation :math:`a` is the
    maximiser exactly when :math:`F(\\hat\\beta(a)) = 0`; otherwise the argmax :math:`a'` of
    :math:`F(\\hat\\beta(a))` has :math:`\\hat\\beta(a') > \\hat\\beta(a)`. The search climbs
    from allocation to allocation (as Dinkelbach's method for fractional programmes) and stops
    in a few steps. The smallest slope is found the same way with the minimum. A stratum all 0
    or all 1 contributes 0, the limit of its diverging intercept.

    Examples
    --------
    >>> import statsmodels.api as sm
    >>> x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8]); y = np.array([0.0, 1, 0, 1, 0, 0, 1, 0])
    >>> st = np.zeros(8, dtype=int); zs = [np.flatnonzero(y == 0)]  # zeros, sorted by x
    >>> def fit(a):  # the slope with the a[0] largest zeros set to 1
    ...     yy = y.copy(); yy[zs[0][len(zs[0]) - a[0]:]] = 1
    ...     return float(sm.Logit(yy, sm.add_constant(x)).fit(disp=0).params[1])
    >>> alloc, b = extreme_allocation(x, y, st, zs, 2, True, fit, start=0.0)
    >>> alloc, round(b, 4) == round(fit((2,)), 4)
    ((2,), True)
    """
    strata = range(int(stratum.max()) + 1)
    parts = [_Stratum(x[stratum == s], y[stratum == s], x[zeros_sorted[s]], high) for s in strata]
    sign = 1.0 if high else -1.0
    scale = 1e-9 * (1.0 + float(np.sum(np.abs(x))))

    def F(b: float) -> tuple[float, tuple[int, ...]]:
        return _best([sign * p.score(b) for p in parts], k)

    _, alloc = F(start)
    value = fit(alloc)
    for _ in range(max_steps):
        if not np.isfinite(value):
            break
        gap, nxt = F(value)
        if gap <= scale or nxt == alloc:
            break
        new = fit(nxt)
        if np.isnan(new) or sign * new <= sign * value:
            break
        alloc, value = nxt, new
    return alloc, value
