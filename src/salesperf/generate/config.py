"""The generator's knobs (GeneratorConfig), its vocabularies and time helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

DAY = 86_400


ROLE_CODES = {"SDR": 1, "AE": 2, "AM": 3, "MANAGER": 4}


ROLE_NAMES = {v: k for k, v in ROLE_CODES.items()}


SOURCES = np.array(["inbound", "outbound", "event", "referral", "partner", "paid"])


SOURCE_SHARE = np.array([0.25, 0.35, 0.10, 0.10, 0.10, 0.10])


SOURCE_QUALITY = np.array([0.60, 0.30, 0.45, 0.78, 0.55, 0.35])


INDUSTRIES = np.array(
    ["software", "manufacturing", "retail", "finance", "healthcare", "logistics", "education"]
)


REJECTION_REASONS = np.array(
    [
        "no budget",
        "not the decision maker",
        "no clear need",
        "bad timing",
        "company too small",
        "duplicate lead",
    ]
)


FEEDBACK = np.array(
    [
        "Please confirm budget before sending.",
        "Talk to the economic buyer first.",
        "Pain point was not clear from the notes.",
        "Come back next quarter.",
        "Below our minimum company size.",
        "Already in an open opportunity.",
    ]
)


OPEN_STAGES = np.array(["prospecting", "discovery", "proposal", "negotiation"])


LOSS_REASONS = np.array(["price", "competitor", "no decision", "timing", "product fit"])


ID_PREFIX = {
    "user_id": "U",
    "owner_id": "U",
    "manager_id": "U",
    "sdr_id": "U",
    "ae_id": "U",
    "coach_id": "U",
    "coachee_id": "U",
    "team_id": "T",
    "account_id": "A",
    "lead_id": "L",
    "activity_id": "ACT",
    "handoff_id": "H",
    "opportunity_id": "O",
    "contract_id": "C",
    "goal_id": "G",
    "cost_id": "COST",
    "session_id": "S",
    "contest_id": "K",
    "submission_id": "FS",
    "assignment_id": "CPA",
}


@dataclass(frozen=True)
class GeneratorConfig:
    seed: int = 7
    reps: int = 60
    months: int = 12
    start: date = date(2025, 1, 1)
    delta_days: int = 5  # the last days arrive as daily delta batches
    activity_rate: float = 1.0  # multiplies calls/emails/meetings per rep-day
    file_format: str = "csv"
    # False leaves the compensation plans out: the benchmark's hand-written baselines
    # reproduce costs and CAC without commissions
    comp_plans: bool = True

    @property
    def end(self) -> date:
        """First day after the generated period."""
        y, m = divmod(self.start.month - 1 + self.months, 12)
        return date(self.start.year + y, m + 1, 1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @classmethod
    def for_scale(cls, scale: float, **kw: object) -> GeneratorConfig:
        """One knob: scale 1 is the default sample (~0.5 M activities), 20 is ~10 M."""
        return cls(reps=max(10, round(60 * scale)), **kw)  # type: ignore[arg-type]


def _ts(cfg: GeneratorConfig, seconds: np.ndarray) -> np.ndarray:
    """Seconds since the period start -> datetime64[s]."""
    base = np.datetime64(cfg.start.isoformat(), "s")
    return base + np.asarray(seconds, dtype="int64").astype("timedelta64[s]")


def _day(cfg: GeneratorConfig, days: np.ndarray) -> np.ndarray:
    base = np.datetime64(cfg.start.isoformat(), "D")
    return base + np.asarray(days, dtype="int64").astype("timedelta64[D]")


def _work_seconds(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """A time of day in office hours (08:00-18:00) on the given day offsets."""
    return days.astype("int64") * DAY + rng.integers(8 * 3600, 18 * 3600, len(days))


def _month_starts(cfg: GeneratorConfig) -> list[date]:
    out, d = [], cfg.start
    while d < cfg.end:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out
