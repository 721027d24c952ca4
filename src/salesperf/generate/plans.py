"""Goals and quotas, costs, contests and FX rates."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from salesperf.generate.config import DAY, GeneratorConfig, _day, _month_starts, _ts
from salesperf.generate.org import Org
from salesperf.generate.sink import Sink


def _goals(cfg: GeneratorConfig, org: Org, sink: Sink) -> None:
    months = _month_starts(cfg)
    team_bookings = round(45_000 * cfg.reps / len(np.unique(org.team)), -3)
    rows = []
    for m in months:
        d = (m - cfg.start).days
        for u in range(len(org.user_id)):
            role = org.role_at[u, d] if d < cfg.days else 0
            uid = f"U{org.user_id[u]:06d}"
            if role == 2:
                rows.append(("user", uid, "bookings_amount", "month", m, 100_000))
                rows.append(("user", uid, "meetings", "month", m, 35))
            elif role == 3:
                rows.append(("user", uid, "expansion_amount", "month", m, 15_000))
                rows.append(("user", uid, "bookings_amount", "month", m, 60_000))
            elif role == 1:
                rows.append(("user", uid, "qualified_leads_sent", "month", m, 8))
                rows.append(("user", uid, "calls", "month", m, 650))
        for t in np.unique(org.team):
            rows.append(("team", f"T{t + 1:06d}", "bookings_amount", "month", m, team_bookings))
            if m.month in (1, 4, 7, 10):
                rows.append(("team", f"T{t + 1:06d}", "qualified_leads_sent", "quarter", m, 90))
        if m.month in (1, 4, 7, 10):
            rows.append(("company", None, "revenue", "quarter", m, cfg.reps * 125_000))
    for w in range(0, cfg.days, 7):
        week = cfg.start + timedelta(days=w - cfg.start.weekday())
        rows.append(("company", None, "calls", "week", week, 4_000))
    # a daily meetings target on every business day of the last month
    last = _month_starts(cfg)[-1]
    for d in range((last - cfg.start).days, cfg.days):
        day = cfg.start + timedelta(days=d)
        if day.weekday() < 5:
            rows.append(("company", None, "meetings", "day", day, 60))
    rows.append(
        ("company", None, "revenue", "year", date(cfg.start.year, 1, 1), cfg.reps * 500_000)
    )
    frame = pd.DataFrame(
        rows, columns=["scope", "scope_id", "metric", "grain", "period_start", "target"]
    )
    frame.insert(0, "goal_id", np.arange(1, len(frame) + 1))
    frame["updated_at"] = pd.to_datetime(frame["period_start"]) - pd.Timedelta(days=3)
    sink.append("goals", frame)


def _costs(cfg: GeneratorConfig, rng: np.random.Generator, org: Org, sink: Sink) -> None:
    salary = {1: 6_500, 2: 11_000, 3: 9_500, 4: 14_000}
    rows = []
    for m in _month_starts(cfg):
        d = (m - cfg.start).days
        roles = org.role_at[:, d]
        sales = sum(salary.get(int(r), 0) for r in roles)
        rows.append((m, "sales", round(sales * rng.uniform(0.95, 1.05), 2), ""))
        rows.append((m, "marketing", round(rng.normal(45_000, 6_000), 2), ""))
        rows.append((m, "marketing", round(rng.normal(8_000, 1_000), 2), "EUR"))
        rows.append((m, "tools", round(rng.normal(3_000, 200), 2), ""))
    frame = pd.DataFrame(rows, columns=["month", "category", "amount", "currency"])
    frame.insert(0, "cost_id", np.arange(1, len(frame) + 1))
    # the month's cost lines are booked on its last day, in the evening
    frame["updated_at"] = (
        pd.to_datetime(frame["month"]) + pd.DateOffset(months=1) - pd.Timedelta(hours=4)
    )
    frame = frame[frame["updated_at"] < pd.Timestamp(cfg.end)]
    sink.append("costs", frame)


def _contests(cfg: GeneratorConfig, sink: Sink) -> None:
    s, e = cfg.start, cfg.end
    mid = s + timedelta(days=cfg.days // 2)
    rows = [
        ("Call Blitz", "calls", "role", "SDR", s + timedelta(days=14), s + timedelta(days=27)),
        (
            "Qualified Lead Cup",
            "qualified_leads_sent",
            "role",
            "SDR",
            mid,
            mid + timedelta(days=30),
        ),
        ("Bookings Sprint", "bookings_amount", "role", "AE", s, s + timedelta(days=89)),
        ("Pod Challenge", "bookings_amount", "team", "all", mid, e - timedelta(days=1)),
        (
            "Next Quarter Kickoff",
            "meetings",
            "role",
            "AE",
            e + timedelta(days=5),
            e + timedelta(days=35),
        ),
    ]
    frame = pd.DataFrame(
        rows, columns=["contest_name", "metric", "scope", "scope_value", "start_date", "end_date"]
    )
    frame.insert(0, "contest_id", np.arange(1, len(frame) + 1))
    frame["updated_at"] = pd.to_datetime(frame["start_date"]) - pd.Timedelta(days=7)
    frame = frame[frame["updated_at"] < pd.Timestamp(cfg.end)]
    sink.append("contests", frame)


def _fx_rates(cfg: GeneratorConfig, rng: np.random.Generator, sink: Sink) -> None:
    # rates reach back far enough for the oldest contract of the initial book
    first = -4 * 365
    days = np.arange(first, cfg.days)
    frames = []
    for cur, level in (("EUR", 1.08), ("GBP", 1.27)):
        walk = level * np.exp(np.cumsum(rng.normal(0, 0.003, len(days))))
        frames.append(
            pd.DataFrame(
                {
                    "currency": cur,
                    "rate_date": _day(cfg, days),
                    "rate_to_reporting": np.round(walk, 6),
                    "updated_at": _ts(cfg, days * DAY + 20 * 3600),
                }
            )
        )
    sink.append("fx_rates", pd.concat(frames, ignore_index=True))


# one plan per role; money per plan period (the AE plan is quarterly). On-target variable
# pay is what each plan pays at 100 % of a typical month: the AE's 300,000 quarterly quota
# earns 150,000 x 5 % + 150,000 x 10 % = 22,500 through the tiers below
_PLANS = pd.DataFrame(
    [
        {"plan_id": "P-SDR", "plan_name": "SDR plan", "role": "SDR", "period_grain": "month",
         "base_salary": 6_500, "target_variable": 3_000,
         "per_accepted_handoff": 50, "sourced_won_rate": 0.005},
        {"plan_id": "P-AE", "plan_name": "AE plan", "role": "AE", "period_grain": "quarter",
         "base_salary": 33_000, "target_variable": 22_500,
         "commission_rate": 0.10, "cap_amount": 75_000},
        {"plan_id": "P-AM", "plan_name": "AM plan", "role": "AM", "period_grain": "month",
         "base_salary": 9_500, "target_variable": 5_000,
         "expansion_rate": 0.03, "renewal_rate": 0.01},
        {"plan_id": "P-MGR", "plan_name": "Manager plan", "role": "MANAGER",
         "period_grain": "month", "base_salary": 14_000, "target_variable": 4_000,
         "manager_override_rate": 0.003},
    ]
)  # fmt: skip
# the AE plan decelerates below half the quota and accelerates above it
_AE_TIERS = [(0.0, 0.5), (0.5, 1.0), (1.0, 1.5), (1.5, 2.0)]


def _comp_plans(cfg: GeneratorConfig, org: Org, sink: Sink) -> None:
    """Plans, the AE plan's tiers and one assignment per stretch a user holds a role."""
    published = pd.Timestamp(cfg.start) - pd.Timedelta(days=30)
    plans = _PLANS.assign(currency="", clawback_days=90, updated_at=published)
    sink.append("comp_plans", plans)
    tiers = pd.DataFrame(_AE_TIERS, columns=["from_attainment", "rate_multiplier"])
    sink.append("comp_plan_tiers", tiers.assign(plan_id="P-AE", updated_at=published))
    plan_of = {1: "P-SDR", 2: "P-AE", 3: "P-AM", 4: "P-MGR"}
    rows = []
    for u in range(len(org.user_id)):
        roles = org.role_at[u]
        starts = np.flatnonzero(np.diff(roles, prepend=0) != 0)
        for s in starts:
            if roles[s] == 0:
                continue
            ends = np.flatnonzero(roles[s:] != roles[s])
            last = s + ends[0] - 1 if len(ends) else None
            begin = cfg.start + timedelta(days=int(s))
            if s == 0:
                # already in the role when the data starts: assigned at hire
                begin = cfg.start + timedelta(days=int(max(org.hire_day[u], -1100)))
            rows.append(
                (
                    org.user_id[u],
                    plan_of[int(roles[s])],
                    begin,
                    None if last is None else cfg.start + timedelta(days=int(last)),
                )
            )
    frame = pd.DataFrame(rows, columns=["user_id", "plan_id", "start_date", "end_date"])
    frame.insert(0, "assignment_id", np.arange(1, len(frame) + 1))
    # recorded the day before it starts (never before the plans exist)
    frame["updated_at"] = (pd.to_datetime(frame["start_date"]) - pd.Timedelta(days=1)).clip(
        lower=published
    )
    sink.append("comp_plan_assignments", frame)
