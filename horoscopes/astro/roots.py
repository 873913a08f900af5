"""A small bracketed root finder shared by the house maths and the event search."""

from __future__ import annotations

from collections.abc import Callable


def solve_bracketed(
    fn: Callable[[float], float],
    lo: float,
    hi: float,
    *,
    f_lo: float | None = None,
    f_hi: float | None = None,
    xtol: float = 1e-12,
    ftol: float = 1e-10,
    max_iter: int = 100,
) -> float:
    """Root of `fn` between lo and hi, whose values have opposite signs (Illinois regula falsi)."""
    f_lo = fn(lo) if f_lo is None else f_lo
    f_hi = fn(hi) if f_hi is None else f_hi
    if f_lo == 0.0:
        return lo
    if f_hi == 0.0:
        return hi
    if (f_lo > 0) == (f_hi > 0):
        raise ValueError("the root is not bracketed")
    # Orient so that fn(lo) < 0 < fn(hi); this keeps the update rule below simple.
    sign = 1.0 if f_lo < 0 else -1.0
    f_lo, f_hi = sign * f_lo, sign * f_hi
    retained = 0
    mid = lo
    for _ in range(max_iter):
        mid = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
        f_mid = sign * fn(mid)
        if abs(f_mid) <= ftol or abs(hi - lo) <= xtol:
            return mid
        if f_mid < 0:
            lo, f_lo = mid, f_mid
            if retained == -1:
                # The same end was kept twice: halve its weight so the bracket shrinks from both sides.
                f_hi /= 2.0
            retained = -1
        else:
            hi, f_hi = mid, f_mid
            if retained == 1:
                f_lo /= 2.0
            retained = 1
    return mid
