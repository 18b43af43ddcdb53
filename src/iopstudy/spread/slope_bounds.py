"""The extreme logit slope over all placements of *k* extra adopters, by the profile score.

:func:`iopstudy.spread.bounds.logit_bounds` needs, for a logit with one intercept per stratum
and a common slope, the largest (smallest) slope estimate over every way of turning *k* of the
zeros into ones. Enumerating the allocations of *k* to the strata and fitting each one costs
thousands of fits (seconds) when *k* is large. This module finds the same extreme without
enumerating: a root search on the slope, with a small dynamic programme over the strata at
each step. It returns the extreme allocation, which the caller refits to get the estimate.

=========================  ===================================================
extreme_allocation         the allocation of k that gives the largest / smallest slope
LogitProblem               the design and strata of a logit, refitted fast for many placements
logit_newton               maximum-likelihood logit by Newton–Raphson (vectorised refits)
=========================  ===================================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import product

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.spread.design import as_list, binary_outcome, check_no_na, design, require_columns

__all__ = ["extreme_allocation", "LogitProblem", "logit_newton"]


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


# --------------------------------------------------------------------------- the logit refitted
def logit_newton(X: np.ndarray, y: np.ndarray, beta0: np.ndarray | None = None,
                  maxiter: int = 60) -> tuple[np.ndarray, bool]:
    """Maximum likelihood logit by Newton–Raphson with step halving (vectorised, for many refits).

    Returns the coefficients and whether it converged (False also on a singular information
    matrix, e.g. under separation).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.column_stack([np.ones(200), rng.normal(size=200)])
    >>> y = (rng.random(200) < 1 / (1 + np.exp(-(0.5 + X[:, 1])))).astype(float)
    >>> beta, ok = logit_newton(X, y)
    >>> ok, [round(float(b), 1) for b in beta]
    (True, [0.4, 1.0])
    """
    from scipy.special import expit, log_expit

    beta = np.zeros(X.shape[1]) if beta0 is None else beta0.copy()

    def ll(b):
        eta = X @ b
        return float(np.sum(y * log_expit(eta) + (1 - y) * log_expit(-eta)))

    cur = ll(beta)
    for _ in range(maxiter):
        p = expit(X @ beta)
        g = X.T @ (y - p)
        H = (X * (p * (1 - p))[:, None]).T @ X
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            return beta, False
        if np.max(np.abs(g)) < 1e-8:
            return beta, True
        t = 1.0
        while t > 1e-6:
            new = ll(beta + t * step)
            if new >= cur - 1e-12:
                break
            t /= 2
        beta, cur = beta + t * step, new
        if np.max(np.abs(t * step)) < 1e-10:
            return beta, True
    return beta, False


class LogitProblem:
    """Design, strata and fitting of the logit bounds (:func:`iopstudy.spread.bounds.logit_bounds`).

    ``data[outcome]`` (0/1) on ``covariates``; ``term`` is the numeric covariate whose slope is
    bounded, the categorical covariates define the strata. :meth:`fit` refits with extra units
    set to 1, :meth:`search` finds the extreme slope over the placements of *k* of them.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=80), "g": ["a", "b"] * 40})
    >>> d["y"] = (rng.random(80) < 1 / (1 + np.exp(-d["x"]))).astype(int)
    >>> prob = LogitProblem(d, "y", ["x", "g"], "x")
    >>> prob.stratum_names, bool(prob.sharp)
    (['a', 'b'], True)
    >>> slope = prob.fit(np.array([], dtype=int))  # no extra adopters: the ML slope
    >>> high = prob.fit(prob.extreme((3, 0), True))  # 3 extra adopters on the largest x of stratum a
    >>> bool(high > slope)
    True
    """

    def __init__(self, data, outcome, covariates, term):
        where = "logit_bounds"
        covs = as_list(covariates)
        if term not in covs:
            raise InputError(f"{where}: term {term!r} must be one of the covariates {covs}")
        require_columns(data, [outcome, *covs], where)
        check_no_na(data, [outcome, *covs], where)
        self.y = binary_outcome(data[outcome], where, outcome)
        des = design(data, covs, intercept=True, where=where)
        self.X = des.X.to_numpy(dtype=float)
        self.names = list(des.X.columns)
        if term not in self.names:
            raise InputError(f"{where}: {term!r} must be a numeric covariate")
        self.j = self.names.index(term)
        self.x = self.X[:, self.j]
        others = [c for c in covs if c != term]
        cats = [c for c in others if not pd.api.types.is_numeric_dtype(data[c]) or
                isinstance(data[c].dtype, pd.CategoricalDtype)]
        self.sharp = len(cats) == len(others)  # every other covariate defines strata
        self.single = len(cats) == 1 and self.sharp
        if cats:
            codes, uniques = pd.factorize(data[cats].astype(str).agg(" / ".join, axis=1), sort=True)
            self.stratum, self.stratum_names = np.asarray(codes), [str(u) for u in uniques]
        else:
            self.stratum = np.zeros(len(self.y), dtype=int)
            self.stratum_names = ["all"]
        self.S = int(self.stratum.max()) + 1
        if self.single or not cats:
            # one intercept per stratum (the same model, reparametrised), so that a stratum
            # can be dropped without leaving collinear dummies behind
            onehot = (self.stratum[:, None] == np.arange(self.S)[None, :]).astype(float)
            self.X = np.column_stack([onehot, self.x])
            self.j = self.S
        zeros = np.flatnonzero(self.y == 0)
        # zeros of each stratum, sorted by the term
        self.zs = [zeros[self.stratum[zeros] == s] for s in range(self.S)]
        self.zs = [z[np.argsort(self.x[z], kind="mergesort")] for z in self.zs]
        b0, ok = logit_newton(self.X, self.y)
        self.beta0 = b0 if ok else np.zeros(self.X.shape[1])  # never warm-start from a divergent fit

    def fit(self, extra: np.ndarray) -> float:
        """The term's MLE with ``extra`` units set to 1 (±inf if it diverges, NaN if undefined)."""
        yy = self.y.copy()
        yy[extra] = 1.0
        keep = np.ones(len(yy), dtype=bool)
        if self.single:
            # a stratum all 1 (or all 0) has its own intercept going to ±inf and then carries no
            # information on the term: its limit MLE is the MLE without it
            for s in range(self.S):
                m = self.stratum == s
                if yy[m].min() == yy[m].max():
                    keep &= ~m
        X, yv = self.X[keep], yy[keep]
        if len(yv) == 0 or yv.min() == yv.max():
            return float("nan")
        cols = np.flatnonzero(np.abs(X).sum(axis=0) > 0)
        X = X[:, cols]
        b, ok = logit_newton(X, yv, self.beta0[cols])
        if not ok:
            # separation: from zero, Newton with step halving climbs along the separating
            # direction, so the sign of the diverging coefficient is that of its iterate
            b, ok = logit_newton(X, yv, np.zeros(X.shape[1]), maxiter=200)
        jj = int(np.flatnonzero(cols == self.j)[0]) if self.j in cols else None
        if jj is None:
            return float("nan")
        sd = X[:, jj].std()
        if not ok or abs(b[jj]) * sd > 15:
            return float(np.sign(b[jj]) * np.inf) if b[jj] != 0 else float("nan")
        return float(b[jj])

    def extreme(self, alloc: Sequence[int], high: bool) -> np.ndarray:
        idx = [z[len(z) - a:] if high else z[:a] for z, a in zip(self.zs, alloc) if a > 0]
        return np.concatenate(idx) if idx else np.array([], dtype=int)

    def allocations(self, k: int, max_allocations: int) -> tuple[list[tuple[int, ...]], bool]:
        caps = [len(z) for z in self.zs]
        if sum(caps) < k:
            raise InputError(f"logit_bounds: k = {k} exceeds the {sum(caps)} units without a found adopter")
        n = 1
        for c in caps[:-1]:
            n *= min(c, k) + 1
        if n <= max_allocations:
            out = []
            for head in product(*[range(min(c, k) + 1) for c in caps[:-1]]):
                last = k - sum(head)
                if 0 <= last <= caps[-1]:
                    out.append((*head, last))
            return out, True
        return [], False

    def search(self, k: int, high: bool, max_allocations: int) -> tuple[float, tuple[int, ...], bool]:
        if (self.single or self.S == 1) and k > 0:
            # exact without enumerating the allocations (a root search on the profile score)

            if sum(len(z) for z in self.zs) < k:
                raise InputError(f"logit_bounds: k = {k} exceeds the {sum(len(z) for z in self.zs)} "
                                 "units without a found adopter")
            alloc, value = extreme_allocation(
                self.x, self.y, self.stratum, self.zs, k, high,
                lambda a: self.fit(self.extreme(a, high)), start=self.beta0[self.j])
            if not np.isnan(value):
                return value, alloc, True
        allocs, complete = self.allocations(k, max_allocations)
        sign = 1.0 if high else -1.0
        if complete:
            vals = [self.fit(self.extreme(a, high)) for a in allocs]
            arr = np.array([sign * v if not np.isnan(v) else -np.inf for v in vals])
            i = int(np.argmax(arr))
            return vals[i], allocs[i], True
        # greedy: start proportional, move one unit between strata while it helps
        caps = np.array([len(z) for z in self.zs])
        a = np.floor(k * caps / caps.sum()).astype(int)
        while a.sum() < k:
            a[np.argmax(caps - a)] += 1
        best = self.fit(self.extreme(a, high))
        improved = True
        while improved:
            improved = False
            for s, t in product(range(self.S), range(self.S)):
                if s == t or a[s] == 0 or a[t] >= caps[t]:
                    continue
                b = a.copy()
                b[s] -= 1
                b[t] += 1
                v = self.fit(self.extreme(b, high))
                if not np.isnan(v) and sign * v > sign * best + 1e-12:
                    a, best, improved = b, v, True
        return best, tuple(int(x) for x in a), False
