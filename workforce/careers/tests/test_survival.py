"""The Kaplan–Meier estimator against curves worked out by hand, and its general properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workforce.careers.survival import Z_95, kaplan_meier

Z = Z_95


def test_six_people_with_an_event_and_a_censoring_at_the_same_time() -> None:
    """Leaving after 2, 3, 5 and 8 years; still employed (censored) after 3 and 6.

    t=2: 6 at risk, 1 leaves: S = 5/6.
    t=3: 5 at risk, 1 leaves and 1 is censored (the leaving comes first): S = 5/6 × 4/5 = 2/3.
    t=5: 3 at risk, 1 leaves: S = 2/3 × 2/3 = 4/9.
    t=6: 2 at risk, 1 censored: S stays 4/9.
    t=8: 1 at risk, 1 leaves: S = 0.
    Greenwood Σ d/(n(n−d)): 1/30 at 2; 1/30 + 1/20 = 1/12 at 3; 1/12 + 1/6 = 1/4 at 5.
    """
    curve = kaplan_meier([2, 3, 3, 5, 6, 8], [True, True, False, True, False, True])
    assert curve.times.tolist() == [2, 3, 5, 6, 8]
    assert curve.at_risk.tolist() == [6, 5, 3, 2, 1]
    assert curve.events.tolist() == [1, 1, 1, 0, 1]
    assert curve.censored.tolist() == [0, 1, 0, 1, 0]
    assert curve.survival.tolist() == pytest.approx([5 / 6, 2 / 3, 4 / 9, 4 / 9, 0])
    assert curve.median == 5
    # Log-log bands: S ** exp(±z·sqrt(V) / |log S|).
    for s, v, i in ((5 / 6, 1 / 30, 0), (2 / 3, 1 / 12, 1), (4 / 9, 1 / 4, 2)):
        se = math.sqrt(v) / abs(math.log(s))
        assert curve.lower[i] == pytest.approx(s ** math.exp(Z * se))
        assert curve.upper[i] == pytest.approx(s ** math.exp(-Z * se))
    assert curve.lower[4] == curve.upper[4] == 0
    plain = kaplan_meier([2, 3, 3, 5, 6, 8], [True, True, False, True, False, True], method="plain")
    assert plain.lower[1] == pytest.approx(2 / 3 - Z * (2 / 3) * math.sqrt(1 / 12))
    assert plain.upper[1] == 1  # 2/3 + 1.96 × 2/3 × sqrt(1/12) = 1.04 is clipped to 1
    assert plain.lower[2] == pytest.approx(4 / 9 - Z * (4 / 9) * math.sqrt(1 / 4))
    assert plain.upper[2] == pytest.approx(4 / 9 + Z * (4 / 9) * math.sqrt(1 / 4))
    assert curve.at(1) == 1 and curve.at(4) == pytest.approx(2 / 3)
    assert curve.at_risk_at(4) == 3 and curve.events_by(5) == 3


def test_tied_events_and_censorings() -> None:
    """Eight people: at 1, two leave and one is censored; at 2, one of each; at 4, two leave
    and one is censored.

    t=1: 8 at risk, 2 leave: S = 6/8 = 3/4.
    t=2: 5 at risk, 1 leaves: S = 3/4 × 4/5 = 3/5.
    t=4: 3 at risk, 2 leave: S = 3/5 × 1/3 = 1/5.
    Greenwood: 2/(8×6) = 1/24 at 1; 1/24 + 1/(5×4) = 11/120 at 2.
    """
    curve = kaplan_meier([1, 1, 1, 2, 2, 4, 4, 4], [1, 1, 0, 1, 0, 0, 1, 1])
    assert curve.times.tolist() == [1, 2, 4]
    assert curve.at_risk.tolist() == [8, 5, 3]
    assert curve.events.tolist() == [2, 1, 2]
    assert curve.censored.tolist() == [1, 1, 1]
    assert curve.survival.tolist() == pytest.approx([3 / 4, 3 / 5, 1 / 5])
    assert curve.median == 4
    se = math.sqrt(11 / 120) / abs(math.log(3 / 5))
    assert curve.lower[1] == pytest.approx((3 / 5) ** math.exp(Z * se))
    assert curve.upper[1] == pytest.approx((3 / 5) ** math.exp(-Z * se))
    assert curve.at_risk_at(3) == 3 and curve.events_by(2) == 3


def test_no_events_means_no_median() -> None:
    curve = kaplan_meier([1, 2, 3], [False, False, False])
    assert curve.survival.tolist() == [1, 1, 1]
    assert curve.lower.tolist() == [1, 1, 1] and curve.upper.tolist() == [1, 1, 1]
    assert curve.median is None


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        kaplan_meier([1, 2], [True])
    with pytest.raises(ValueError):
        kaplan_meier([-1], [True])
    with pytest.raises(ValueError):
        kaplan_meier([1], [True], method="arcsine")  # type: ignore[arg-type]


spells = st.lists(
    st.tuples(st.integers(min_value=0, max_value=40), st.booleans()), min_size=1, max_size=60
)


@settings(max_examples=200, deadline=None)
@given(spells, st.sampled_from(["log-log", "plain"]))
def test_survival_is_a_falling_step_between_0_and_1(data, method) -> None:
    durations, observed = zip(*data, strict=True)
    curve = kaplan_meier(durations, observed, method=method)
    assert np.all(np.diff(curve.survival) <= 1e-12)
    assert np.all((curve.survival >= 0) & (curve.survival <= 1))
    assert np.all(curve.lower <= curve.survival + 1e-12)
    assert np.all(curve.upper >= curve.survival - 1e-12)
    assert np.all((curve.lower >= 0) & (curve.upper <= 1))
    assert curve.n == len(durations)
    assert int(curve.events.sum() + curve.censored.sum()) == len(durations)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=60))
def test_without_censoring_survival_is_the_share_not_yet_left(durations) -> None:
    curve = kaplan_meier(durations, [True] * len(durations))
    n = len(durations)
    for time, s in zip(curve.times, curve.survival, strict=True):
        left = sum(1 for d in durations if d <= time)
        assert s == pytest.approx(1 - left / n)
