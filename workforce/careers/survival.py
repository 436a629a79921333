"""The Kaplan–Meier estimator of survival, in NumPy, with Greenwood confidence bands.

Each subject has a duration and whether it ended in the event (True) or was censored (False:
still under observation at that time, nothing known after it). At each distinct time where
anything happens the estimator records how many were at risk just before it (durations at or
after it), how many had the event and how many were censored; survival multiplies by
(1 − events ÷ at risk) at each event time. When events and censorings share a time, the events
are taken first: those censored at that time were still at risk of it.

The variance of survival is Greenwood's, Var(S) = S² Σ d ÷ (n (n − d)). The bands are either
on the log-log scale (the default; Kalbfleisch and Prentice), which stay within 0 and 1 and
suit small groups, or plain, S ± z·SE clipped to [0, 1]. Where survival is 1 (no event yet)
both bounds are 1; once it reaches 0 both are 0.

The median survival time is the first time at which survival is at or below one half; None
while the curve has not come down that far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

Z_95 = 1.959963984540054  # the normal quantile for a two-sided 95% band
Method = Literal["log-log", "plain"]


@dataclass(frozen=True)
class Survival:
    """The curve at each distinct time where an event or a censoring happened, in order."""

    times: npt.NDArray[np.float64]
    at_risk: npt.NDArray[np.int64]
    events: npt.NDArray[np.int64]
    censored: npt.NDArray[np.int64]
    survival: npt.NDArray[np.float64]
    lower: npt.NDArray[np.float64]
    upper: npt.NDArray[np.float64]
    method: Method = "log-log"

    @property
    def n(self) -> int:
        return int(self.at_risk[0]) if len(self.at_risk) else 0

    @property
    def total_events(self) -> int:
        return int(self.events.sum())

    @property
    def median(self) -> float | None:
        reached = np.nonzero(self.survival <= 0.5)[0]
        return float(self.times[reached[0]]) if len(reached) else None

    def at(self, time: float) -> float:
        """Survival at `time` (the step function: 1 before the first event)."""
        i = int(np.searchsorted(self.times, time, side="right"))
        return 1.0 if i == 0 else float(self.survival[i - 1])

    def bounds_at(self, time: float) -> tuple[float, float]:
        i = int(np.searchsorted(self.times, time, side="right"))
        return (1.0, 1.0) if i == 0 else (float(self.lower[i - 1]), float(self.upper[i - 1]))

    def at_risk_at(self, time: float) -> int:
        """How many were still at risk at `time`: durations at or after it."""
        i = int(np.searchsorted(self.times, time, side="left"))
        return 0 if i >= len(self.times) else int(self.at_risk[i])

    def events_by(self, time: float) -> int:
        """Events at or before `time`."""
        i = int(np.searchsorted(self.times, time, side="right"))
        return int(self.events[:i].sum())

    def observed_to(self, time: float) -> bool:
        """Whether the curve says something at `time`: someone was followed that long, or
        everyone had left before it."""
        if not len(self.times):
            return False
        return float(self.times[-1]) >= time or float(self.survival[-1]) == 0.0


def kaplan_meier(
    durations: Sequence[float] | npt.ArrayLike,
    observed: Sequence[bool] | npt.ArrayLike,
    *,
    method: Method = "log-log",
    z: float = Z_95,
) -> Survival:
    """The Kaplan–Meier curve of `durations`, where `observed[i]` says the i-th ended in the
    event (True) or was censored (False)."""
    t = np.asarray(durations, dtype=np.float64)
    d = np.asarray(observed, dtype=bool)
    if t.shape != d.shape or t.ndim != 1:
        raise ValueError("Durations and event flags must be two lists of the same length.")
    if np.any(t < 0) or np.any(~np.isfinite(t)):
        raise ValueError("Durations must be finite and not negative.")
    if method not in ("log-log", "plain"):
        raise ValueError(f"Unknown confidence band method {method!r}.")
    times, index = np.unique(t, return_inverse=True)
    events = np.bincount(index, weights=d, minlength=len(times)).astype(np.int64)
    total = np.bincount(index, minlength=len(times)).astype(np.int64)
    censored = total - events
    # At risk at each time: everyone whose duration is at or after it.
    at_risk = total[::-1].cumsum()[::-1].astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(at_risk > 0, 1.0 - events / at_risk, 1.0)
        survival = np.cumprod(factor).astype(np.float64)
        step = np.where(
            (events > 0) & (at_risk > events), events / (at_risk * (at_risk - events)), 0.0
        )
    greenwood = np.cumsum(step)  # Var(log S)
    lower, upper = _bands(survival, greenwood, method, z)
    return Survival(times, at_risk, events, censored, survival, lower, upper, method)


def _bands(
    survival: npt.NDArray[np.float64],
    greenwood: npt.NDArray[np.float64],
    method: Method,
    z: float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    lower = survival.copy()
    upper = survival.copy()
    inside = (survival > 0) & (survival < 1)
    s = survival[inside]
    v = greenwood[inside]
    if method == "plain":
        half = z * s * np.sqrt(v)
        lower[inside] = np.clip(s - half, 0.0, 1.0)
        upper[inside] = np.clip(s + half, 0.0, 1.0)
    else:
        # log(-log S) ± z·SE, with SE = sqrt(Var(log S)) / |log S|; back on the survival scale
        # S ** exp(±z·SE): the larger exponent gives the lower bound.
        se = np.sqrt(v) / np.abs(np.log(s))
        lower[inside] = s ** np.exp(z * se)
        upper[inside] = s ** np.exp(-z * se)
    return lower, upper
