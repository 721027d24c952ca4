"""The sales organisation: reps, teams, role history, skill and ramp, and coaching."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from salesperf.generate.config import DAY, ROLE_NAMES, GeneratorConfig, _day, _month_starts, _ts
from salesperf.generate.sink import Sink


@dataclass
class Org:
    user_id: np.ndarray
    role: np.ndarray  # role code at hire
    team: np.ndarray
    skill: np.ndarray
    hire_day: np.ndarray
    term_day: np.ndarray  # large when still employed
    role_at: np.ndarray  # users x days, role code while employed, 0 otherwise
    team_at: np.ndarray  # users x days
    # coaching that works: from `coached_from` (a day) on, skill grows by `lift`
    coached_from: np.ndarray | None = None
    lift: np.ndarray | None = None

    def skill_on(self, idx: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Skill of users `idx` on day offsets `day`, with the lift coaching gave them."""
        if self.coached_from is None or self.lift is None:
            return self.skill[idx]
        helped = np.asarray(day) >= self.coached_from[idx]
        return self.skill[idx] * (1 + self.lift[idx] * helped)


def _org(cfg: GeneratorConfig, rng: np.random.Generator, sink: Sink) -> Org:
    n_teams = max(2, round(cfg.reps / 10))
    pattern = np.array([1, 2, 1, 2, 3, 1, 2, 3, 1, 2])  # SDR/AE/AM mix of a pod
    team = np.concatenate([np.arange(n_teams), np.arange(cfg.reps) % n_teams])
    role = np.concatenate([np.full(n_teams, 4), pattern[(np.arange(cfg.reps) // n_teams) % 10]])
    n = len(role)
    user_id = np.arange(1, n + 1)
    skill = np.clip(rng.lognormal(0, 0.35, n), 0.4, 2.2)
    new_hire = rng.random(n) < 0.3
    new_hire[:n_teams] = False
    hire_day = np.where(
        new_hire,
        rng.integers(0, max(1, cfg.days - 60), n),
        -rng.integers(120, 1100, n),
    )
    never = 10**6
    term_day = np.full(n, never)
    promo_day = np.full(n, never)
    move_day = np.full(n, never)
    veteran_sdr = (role == 1) & (hire_day < -180)
    promoted = veteran_sdr & (rng.random(n) < 0.25)
    if veteran_sdr.any() and not promoted.any():
        # role changes are part of what attribution must handle: always have one
        promoted[np.nonzero(veteran_sdr)[0][np.argmax(skill[veteran_sdr])]] = True
    promo_day[promoted] = rng.integers(60, max(61, cfg.days - 60), promoted.sum())
    quitting = (role < 4) & ~promoted & (rng.random(n) < 0.08)
    term_day[quitting] = np.maximum(hire_day[quitting] + 90, rng.integers(30, cfg.days - 10))
    term_day[term_day >= cfg.days] = never
    # hired too late to leave within the period: no termination record (it was written
    # with the "never" sentinel as its date, year 4762)
    quitting &= term_day < never
    movers = (role != 4) & ~promoted & ~quitting & (rng.random(n) < 0.05)
    move_day[movers] = rng.integers(30, max(31, cfg.days - 30), movers.sum())
    new_team = (team + 1 + rng.integers(0, max(1, n_teams - 1), n)) % n_teams

    day = np.arange(cfg.days)[None, :]
    employed = (day >= hire_day[:, None]) & (day <= term_day[:, None])
    role_now = np.where(day >= promo_day[:, None], 2, role[:, None])
    role_at = np.where(employed, role_now, 0).astype("int8")
    team_at = np.where(day >= move_day[:, None], new_team[:, None], team[:, None]).astype("int16")

    manager_of_team = user_id[:n_teams]
    first_names = np.array(["Ana", "Ben", "Chen", "Dara", "Eli", "Fay", "Gus", "Hana", "Ivo"])
    last_names = np.array(["Kim", "Park", "Lee", "Suk", "Chai", "Wong", "Diaz", "Berg", "Rossi"])
    names = np.char.add(
        np.char.add(first_names[user_id % 9], " "),
        np.char.add(last_names[(user_id // 9) % 9], np.char.mod(" %d", user_id)),
    )
    emails = np.char.add(np.char.lower(np.char.replace(names, " ", ".")), "@example.com")

    def versions(mask: np.ndarray, updated: np.ndarray, role_v, team_v, term=None) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "user_id": user_id[mask],
                "full_name": names[mask],
                "email": emails[mask],
                "role": [ROLE_NAMES[r] for r in role_v[mask]],
                "team_id": team_v[mask] + 1,
                "manager_id": np.where(role[mask] == 4, pd.NA, manager_of_team[team_v[mask]]),
                "hire_date": _day(cfg, hire_day[mask]),
                "termination_date": (
                    np.full(mask.sum(), np.datetime64("NaT"), "datetime64[D]")
                    if term is None
                    else _day(cfg, term[mask])
                ),
                "updated_at": _ts(cfg, updated[mask]),
            }
        )

    everyone = np.ones(n, bool)
    first_update = np.minimum(hire_day, -1) * DAY + 9 * 3600
    first_update = np.where(hire_day >= 0, hire_day * DAY + 7 * 3600, first_update)
    frames = [
        versions(everyone, first_update, role, team),
        versions(promoted, promo_day * DAY + 8 * 3600, np.full(n, 2), team),
        versions(movers, move_day * DAY + 8 * 3600, role, new_team),
        # HR closes the record the day after the last working day
        versions(quitting, (term_day + 1) * DAY + 10 * 3600, role, team, term=term_day),
    ]
    users = pd.concat([f for f in frames if len(f)], ignore_index=True)
    users["manager_id"] = users["manager_id"].astype("Int64")
    sink.append("users", users)

    regions = np.array(["NA", "EMEA", "APAC"])
    sink.append(
        "teams",
        pd.DataFrame(
            {
                "team_id": np.arange(1, n_teams + 1),
                "team_name": [f"{regions[t % 3]} Pod {t // 3 + 1}" for t in range(n_teams)],
                "region": regions[np.arange(n_teams) % 3],
                "manager_id": manager_of_team,
                "updated_at": _ts(cfg, np.full(n_teams, -400 * DAY)),
            }
        ),
    )
    return Org(user_id, role, team, skill, hire_day, term_day, role_at, team_at)


def _ramp(org: Org, idx: np.ndarray, day: np.ndarray, months_to_full: float) -> np.ndarray:
    tenure = day - org.hire_day[idx]
    return np.clip(0.25 + 0.75 * tenure / (months_to_full * 30), 0.25, 1.0)


def _business_cells(cfg: GeneratorConfig, org: Org, role_code: int) -> tuple[np.ndarray, ...]:
    """(user index, day) for every weekday on which a user works in the role."""
    weekday = (np.arange(cfg.days) + cfg.start.weekday()) % 7 < 5
    users, days = np.nonzero((org.role_at == role_code) & weekday[None, :])
    return users, days


def _pick_recent(
    owner_keys: np.ndarray,
    day_keys: np.ndarray,
    owner: np.ndarray,
    day: np.ndarray,
    rng: np.random.Generator,
    window: int = 25,
) -> np.ndarray:
    """For each (owner, day), the index of one of the owner's `window` latest items
    created on or before that day, or -1. Items must be sorted by (owner, day)."""
    combined = owner_keys.astype("int64") * 10_000_000 + day_keys
    query = owner.astype("int64") * 10_000_000 + day
    hi = np.searchsorted(combined, query, side="right")
    lo = np.searchsorted(owner_keys, owner, side="left")
    available = hi - lo
    pick = hi - 1 - (rng.random(len(owner)) * np.minimum(available, window)).astype("int64")
    return np.where(available > 0, pick, -1)


def _coaching(cfg: GeneratorConfig, rng: np.random.Generator, org: Org, sink: Sink) -> Org:
    """Managers coach their reps; AEs coach SDRs, AMs coach AEs (SDR <- AE <- AM).
    Coaching starts for a rep in a random month (some never get any), and lifts the
    skill of about half the coachees from their first session on."""
    targets = {1: "qualified_lead_rate", 2: "win_rate", 3: "net_revenue_retention"}
    coach_of = {1: 2, 2: 3}
    rows = []
    n_users = len(org.user_id)
    months = _month_starts(cfg)
    starts = rng.integers(0, len(months) + 3, n_users)  # beyond the last month: never
    for mi, m in enumerate(months):
        d = (m - cfg.start).days
        roles, teams = org.role_at[:, d], org.team_at[:, d]
        for u in np.nonzero((roles > 0) & (roles < 4) & (starts <= mi))[0]:
            same_team = teams == teams[u]
            if rng.random() < 0.6:
                mgr = np.nonzero(same_team & (roles == 4))[0]
                if len(mgr):
                    rows.append((mgr[0], u, m, rng.integers(1, 28), int(roles[u])))
            if roles[u] in coach_of and rng.random() < 0.35:
                peers = np.nonzero(same_team & (roles == coach_of[roles[u]]))[0]
                if len(peers):
                    rows.append((rng.choice(peers), u, m, rng.integers(1, 28), int(roles[u])))
    coach, coachee, month, day, role = (np.array(c) for c in zip(*rows, strict=True))
    occurred = pd.to_datetime(month) + pd.to_timedelta(day, unit="D") + pd.Timedelta(hours=15)
    frame = pd.DataFrame(
        {
            "session_id": np.arange(1, len(rows) + 1),
            "coach_id": org.user_id[coach],
            "coachee_id": org.user_id[coachee],
            "occurred_at": occurred,
            "duration_minutes": rng.choice([15, 30, 45, 60], len(rows)),
            "topic": np.array(["discovery calls", "objection handling", "pipeline review"])[
                role - 1
            ],
            "target_metric": [targets[r] for r in role],
            "updated_at": occurred + pd.Timedelta(hours=2),
        }
    )
    sink.append("coaching_sessions", frame[frame["updated_at"] < pd.Timestamp(cfg.end)])
    first_day = np.full(n_users, 10**6)
    offsets = np.asarray((occurred - pd.Timestamp(cfg.start)) // pd.Timedelta(days=1))
    np.minimum.at(first_day, coachee, offsets)
    lift = np.where(rng.random(n_users) < 0.5, 0.35, 0.0)
    return replace(org, coached_from=first_day, lift=lift)
