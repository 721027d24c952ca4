"""A deterministic, realistic CRM extract generator (docs/landing-contract.md, all 14 entities).

The data is shaped so the KPIs say something: reps differ in skill and ramp after
hire, lead sources differ in quality, BANT completeness drives AE acceptance,
opportunities move through stages over weeks, contracts renew, expand and churn,
SDRs get promoted to AE. Row-level work is vectorised with numpy; Python loops only
run over small things (teams, renewal generations, batches). Rows are buffered in a
scratch DuckDB database and written once per batch, so large scales spill to disk
instead of holding everything in pandas.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from salesperf.contract import BATCH_COMPLETE_MARKER, ENTITIES, SAMPLE_MARKER, SQL_TYPES
from salesperf.errors import UserError

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


class Sink:
    """Buffers generated versions per entity in a scratch DuckDB file."""

    def __init__(self, path: Path) -> None:
        self.con = duckdb.connect(str(path))
        self.con.execute("set preserve_insertion_order = true")
        self.counts: dict[str, int] = {}

    def append(self, entity: str, df: pd.DataFrame) -> None:
        if df.empty:
            return
        spec = ENTITIES[entity].all_columns
        df = df.reindex(columns=[c.name for c in spec])
        if entity not in self.counts:
            cols = ", ".join(f"{c.name} {SQL_TYPES[c.type]}" for c in spec)
            self.con.execute(f"create table {entity} ({cols})")
            self.counts[entity] = 0
        select = []
        for c in spec:
            if c.name in ID_PREFIX and pd.api.types.is_numeric_dtype(df[c.name]):
                # printf pads to 6 digits and, unlike lpad, never truncates: lpad cut ids
                # above 999999 to six digits, and a million activities in, ids collided
                select.append(
                    f"case when {c.name} is not null then '{ID_PREFIX[c.name]}' || "
                    f"printf('%06d', {c.name}) end"
                )
            elif df[c.name].isna().all():
                select.append("null")
            else:
                select.append(f"cast({c.name} as {SQL_TYPES[c.type]})")
        self.con.register("_df", df)
        self.con.execute(f"insert into {entity} select {', '.join(select)} from _df")
        self.con.unregister("_df")
        self.counts[entity] += len(df)

    def write_batches(
        self, out: Path, cfg: GeneratorConfig, rng: np.random.Generator
    ) -> list[Path]:
        """Split versions into an initial batch and daily deltas by `updated_at`.

        2 % of versions arrive late: they land in a later batch than their
        `updated_at` says, which is what upsert ordering by `updated_at` must handle.
        """
        cutoff = cfg.end - timedelta(days=cfg.delta_days)
        names = [f"{cutoff:%Y%m%d}T000000_initial"] + [
            f"{cutoff + timedelta(days=i + 1):%Y%m%d}T000000_delta" for i in range(cfg.delta_days)
        ]
        for entity in self.counts:
            late = float(rng.uniform(0, 1))  # per-entity salt keeps the choice deterministic
            self.con.execute(
                f"""create or replace table {entity}_b as
                select *, least({cfg.delta_days},
                    greatest(0, date_diff('day', DATE '{cutoff}', cast(updated_at as date)) + 1)
                    + case when hash(row_number() over () + {int(late * 1e6)}) % 50 = 0
                           then 1 else 0 end) as _batch
                from {entity}"""
            )
        paths = []
        for b, name in enumerate(names):
            folder = out / name
            folder.mkdir(parents=True, exist_ok=True)
            for entity in self.counts:
                rows = self.con.execute(
                    f"select count(*) from {entity}_b where _batch = {b}"
                ).fetchone()[0]
                if b > 0 and rows == 0:
                    continue  # a delta carries only the entities that changed
                columns = [c.name for c in ENTITIES[entity].all_columns]
                target = folder / f"{entity}.{cfg.file_format}"
                fmt = (
                    "(format parquet)"
                    if cfg.file_format == "parquet"
                    else "(format csv, header true, timestampformat '%Y-%m-%dT%H:%M:%S')"
                )
                self.con.execute(
                    f"""copy (select {", ".join(columns)} from {entity}_b where _batch = {b}
                    order by updated_at) to '{target}' {fmt}"""
                )
            # the loader keeps the sample and a user's own extracts in separate warehouses
            (folder / SAMPLE_MARKER).write_text(f"generated by salesperf, seed {cfg.seed}\n")
            (folder / BATCH_COMPLETE_MARKER).touch()
            paths.append(folder)
        return paths


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


def generate(
    cfg: GeneratorConfig,
    out: Path,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, int]:
    """Write landing batches for `cfg` under `out`; return rows written per entity."""
    if cfg.file_format not in ("csv", "parquet"):
        raise UserError(f"unknown format {cfg.file_format!r}: use csv or parquet")
    if cfg.reps < 10 or cfg.months < 2:
        raise UserError("the generator needs at least 10 reps and 2 months")
    if not 0 <= cfg.delta_days < 28:
        raise UserError("--delta-days must be between 0 and 27")
    if out.exists() and any(out.iterdir()):
        raise UserError(f"{out} is not empty: choose a new folder or remove it first")
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(cfg.seed)
    with tempfile.TemporaryDirectory(prefix="salesperf-gen-") as tmp:
        sink = Sink(Path(tmp) / "scratch.duckdb")
        progress("generating reps, teams and role history")
        org = _org(cfg, rng, sink)
        # coaching comes first: the reps it helps sell better afterwards
        org = _coaching(cfg, rng, org, sink)
        progress("generating leads and SDR->AE handoffs")
        leads = _leads(cfg, rng, org, sink)
        handoffs = _handoffs(cfg, rng, org, leads, sink)
        progress("generating opportunities, accounts and contracts")
        opps = _opportunities(cfg, rng, org, leads, handoffs, sink)
        progress("generating activities")
        _activities(cfg, rng, org, leads, opps, sink)
        progress("generating goals, costs, coaching, contests and fx rates")
        _goals(cfg, org, sink)
        _costs(cfg, rng, org, sink)
        _contests(cfg, sink)
        _fx_rates(cfg, rng, sink)
        progress("writing batches")
        batches = sink.write_batches(out, cfg, rng)
        progress(f"wrote {len(batches)} batches to {out}")
        counts = dict(sink.counts)
        sink.con.close()
    return counts


# --------------------------------------------------------------------------- leads


@dataclass
class Leads:
    owner: np.ndarray  # user index of the SDR
    created: np.ndarray  # seconds
    source: np.ndarray  # index into SOURCES
    bant: np.ndarray  # leads x 4 final flags
    employees: np.ndarray
    sent: np.ndarray  # bool: the SDR sends it to an AE


def _leads(cfg: GeneratorConfig, rng: np.random.Generator, org: Org, sink: Sink) -> Leads:
    users, days = _business_cells(cfg, org, 1)
    per_day = rng.poisson(3.2 * _ramp(org, users, days, 3) * org.skill_on(users, days) ** 0.3)
    owner = np.repeat(users, per_day)
    day = np.repeat(days, per_day)
    order = np.lexsort((day, owner))
    owner, day = owner[order], day[order]
    n = len(owner)
    created = _work_seconds(rng, day)
    source = rng.choice(len(SOURCES), n, p=SOURCE_SHARE)
    skill = org.skill_on(owner, day)
    quality = SOURCE_QUALITY[source] * np.clip(skill, 0.5, 1.6) ** 0.5
    bant = rng.random((n, 4)) < np.clip(quality, 0.05, 0.95)[:, None]
    employees = np.round(rng.lognormal(np.log(110), 1.0, n)).astype("int64")
    score = bant.sum(1) / 4 * np.where(employees >= 50, 1.0, 0.6)
    sent = rng.random(n) < np.clip(0.08 + 0.6 * score * skill**0.4, 0, 0.9)
    early = bant & (rng.random((n, 4)) < 0.5)  # half the facts are known at creation
    lead_id = np.arange(1, n + 1)
    base = {
        "lead_id": lead_id,
        "owner_id": org.user_id[owner],
        "source": SOURCES[source],
        "company_name": np.char.mod("Company %d", lead_id),
        "email": np.char.mod("contact%d@prospect.example", lead_id),
        "phone": np.char.mod("+1-555-%07d", lead_id),
        "industry": INDUSTRIES[rng.integers(0, len(INDUSTRIES), n)],
        "employee_count": employees,
        "created_at": _ts(cfg, created),
    }
    # unassigned inbound leads exist: 3 % have no owner in their first version
    first_owner = np.where(rng.random(n) < 0.03, pd.NA, base["owner_id"])
    flags = ["budget_confirmed", "authority_confirmed", "need_confirmed", "timing_confirmed"]
    worked = created + rng.integers(3600, 3 * DAY, n)
    v1 = pd.DataFrame(
        base | {"owner_id": first_owner, "status": "new", "updated_at": _ts(cfg, created)}
    )
    v1["owner_id"] = v1["owner_id"].astype("Int64")
    v2 = pd.DataFrame(base | {"status": "working", "updated_at": _ts(cfg, worked)})
    for i, f in enumerate(flags):
        v1[f] = early[:, i]
        v2[f] = bant[:, i]
    v2.loc[~sent & (bant.sum(1) <= 1), "status"] = "disqualified"
    sink.append("leads", pd.concat([v1, v2], ignore_index=True))
    return Leads(owner, created, source, bant, employees, sent)


def _handoffs(
    cfg: GeneratorConfig, rng: np.random.Generator, org: Org, leads: Leads, sink: Sink
) -> pd.DataFrame:
    idx = np.nonzero(leads.sent)[0]
    sent_at = leads.created[idx] + rng.integers(DAY, 10 * DAY, len(idx))
    # a rejected lead is sometimes worked again and re-sent (it counts again)
    score = leads.bant[idx].sum(1) / 4 * np.where(leads.employees[idx] >= 50, 1, 0.5)
    p_accept = np.clip(0.1 + 0.8 * score, 0.05, 0.95)
    accepted = rng.random(len(idx)) < p_accept
    resend = ~accepted & (rng.random(len(idx)) < 0.3)
    lead_ix = np.concatenate([idx, idx[resend]])
    sent_at = np.concatenate(
        [sent_at, sent_at[resend] + rng.integers(7 * DAY, 30 * DAY, resend.sum())]
    )
    accepted = np.concatenate([accepted, rng.random(resend.sum()) < 0.55])
    first_try = np.concatenate([np.ones(len(idx), bool), np.zeros(resend.sum(), bool)])
    keep = sent_at < cfg.days * DAY
    lead_ix, sent_at, accepted, first_try = (
        lead_ix[keep],
        sent_at[keep],
        accepted[keep],
        first_try[keep],
    )
    n = len(lead_ix)
    sent_day = sent_at // DAY
    sdr = leads.owner[lead_ix]
    # the AE: someone in the SDR's team who works as an AE that day, else any AE that day
    ae = np.full(n, -1)
    team = org.team_at[sdr, sent_day]
    for t in np.unique(team):
        mask = team == t
        cand_days = sent_day[mask]
        any_ae = org.role_at[:, cand_days] == 2  # users x handoffs of this team
        in_team = any_ae & (org.team_at[:, cand_days] == t)
        pool = np.where(in_team.any(0)[None, :], in_team, any_ae)
        ae[mask] = np.where(pool.any(0), (pool * rng.random(pool.shape)).argmax(0), -1)
    ok = ae >= 0
    lead_ix, sent_at, accepted, sdr, ae, first_try = (
        a[ok] for a in (lead_ix, sent_at, accepted, sdr, ae, first_try)
    )
    n = len(lead_ix)
    decided_at = sent_at + rng.integers(2 * 3600, 3 * DAY, n)
    pending = decided_at >= cfg.days * DAY - DAY  # the last day's decisions are not in yet
    missing = ~leads.bant[lead_ix]
    reason_ix = np.where(
        missing.any(1), missing.argmax(1), np.where(leads.employees[lead_ix] < 50, 4, 5)
    )
    handoff_id = np.arange(1, n + 1)
    decision = np.where(pending, "pending", np.where(accepted, "accepted", "rejected"))
    base = pd.DataFrame(
        {
            "handoff_id": handoff_id,
            "lead_id": lead_ix + 1,
            "sdr_id": org.user_id[sdr],
            "ae_id": org.user_id[ae],
            "sent_at": _ts(cfg, sent_at),
        }
    )
    v1 = base.assign(decision="pending", updated_at=_ts(cfg, sent_at))
    decided = ~pending
    v2 = base[decided].assign(
        decision=decision[decided],
        decided_at=_ts(cfg, decided_at[decided]),
        rejection_reason=np.where(accepted, None, REJECTION_REASONS[reason_ix])[decided],
        feedback=np.where(accepted, None, FEEDBACK[reason_ix])[decided],
        updated_at=_ts(cfg, decided_at[decided]),
    )
    info = pd.DataFrame(
        {
            "handoff_id": handoff_id,
            "lead_ix": lead_ix,
            "sdr": sdr,
            "ae": ae,
            "decided_at": decided_at,
            "accepted": accepted & decided,
            "v2_row": np.cumsum(decided) - 1,
        }
    )
    # the opportunity id is filled in by _opportunities once the ids exist
    sink_frames = {"v1": v1, "v2": v2}
    info.attrs["frames"] = sink_frames
    return info


# --------------------------------------------------------------- opportunities


def _opportunities(
    cfg: GeneratorConfig,
    rng: np.random.Generator,
    org: Org,
    leads: Leads,
    handoffs: pd.DataFrame,
    sink: Sink,
) -> pd.DataFrame:
    horizon = cfg.days * DAY
    acc = handoffs[handoffs["accepted"]]
    n_h = len(acc)
    # AEs also source their own deals: about one a month each
    ae_cells_u, ae_cells_d = _business_cells(cfg, org, 2)
    self_src = rng.random(len(ae_cells_u)) < 0.05
    n_s = int(self_src.sum())
    owner = np.concatenate([acc["ae"].to_numpy(), ae_cells_u[self_src]])
    created = np.concatenate(
        [acc["decided_at"].to_numpy() + 600, _work_seconds(rng, ae_cells_d[self_src])]
    )
    source_q = np.concatenate(
        [SOURCE_QUALITY[leads.source[acc["lead_ix"].to_numpy()]], np.full(n_s, 0.45)]
    )
    employees = np.concatenate(
        [leads.employees[acc["lead_ix"].to_numpy()], np.round(rng.lognormal(np.log(110), 1, n_s))]
    )
    n_new = n_h + n_s
    skill = org.skill_on(owner, created // DAY)
    p_win = np.clip(0.12 + 0.45 * source_q * skill, 0.05, 0.75)
    won = rng.random(n_new) < p_win
    cycle = rng.gamma(3.0, 14.0, n_new) / np.sqrt(skill) * np.where(won, 1.0, 0.7) + 5
    close_s = created + (cycle * DAY).astype("int64")
    amount = np.round(rng.lognormal(np.log(22_000), 0.55, n_new) * (employees / 110) ** 0.25, -2)

    # upsells: about 3 % of customer accounts per month, mostly by their AM
    accounts = _customer_book(cfg, rng, org, sink, owner, created, close_s, won, amount)
    up = accounts["upsells"]
    n_u = len(up["owner"])
    opp_owner = np.concatenate([owner, up["owner"]])
    opp_created = np.concatenate([created, up["created"]])
    opp_close = np.concatenate([close_s, up["close"]])
    opp_won = np.concatenate([won, up["won"]])
    opp_amount = np.concatenate([amount, up["amount"]])
    opp_type = np.concatenate([np.full(n_new, "new_business"), up["type"]])
    opp_account = np.concatenate([accounts["new_account"], up["account"]])
    n = n_new + n_u
    currency = rng.choice(np.array(["", "EUR", "GBP"]), n, p=[0.8, 0.12, 0.08])
    rate = np.select([currency == "EUR", currency == "GBP"], [1.08, 1.27], 1.0)
    local_amount = np.round(opp_amount / rate, 2)
    local_amount = np.where(rng.random(n) < 0.03, np.nan, local_amount)  # unknown amounts
    closed = opp_close < horizon
    opp_id = np.arange(1, n + 1)
    lead_id = np.concatenate([acc["lead_ix"].to_numpy() + 1, np.full(n - n_h, -1)])
    handoff_id = np.concatenate([acc["handoff_id"].to_numpy(), np.full(n - n_h, -1)])
    # 10 % of sourced deals don't name their handoff: the handoff names the deal instead
    handoff_named = handoff_id.copy()
    handoff_named[:n_h][rng.random(n_h) < 0.1] = -1

    def nullable(a: np.ndarray) -> pd.Series:
        return pd.Series(a).where(a > 0).astype("Int64")

    base = pd.DataFrame(
        {
            "opportunity_id": opp_id,
            "account_id": nullable(opp_account),
            "owner_id": org.user_id[opp_owner],
            "opportunity_type": opp_type,
            "amount": local_amount,
            "currency": currency,
            "created_at": _ts(cfg, opp_created),
            "close_date": _day(cfg, opp_close // DAY),
            "lead_id": nullable(lead_id),
            "handoff_id": nullable(handoff_named),
        }
    )
    v1 = base.assign(
        stage="prospecting", is_closed=False, is_won=False, updated_at=_ts(cfg, opp_created)
    )
    c = closed
    v2 = base[c].assign(
        stage=np.where(opp_won[c], "closed_won", "closed_lost"),
        is_closed=True,
        is_won=opp_won[c],
        loss_reason=np.where(opp_won[c], None, LOSS_REASONS[rng.integers(0, 5, c.sum())]),
        updated_at=_ts(cfg, opp_close[c] + 3600 * 17),
    )
    sink.append("opportunities", pd.concat([v1, v2], ignore_index=True))

    # stage history: open stages entered at fixed shares of the cycle, then the close
    share = np.array([0.0, 0.2, 0.5, 0.8])
    reached = np.where(opp_won | ~closed, 4, rng.integers(1, 5, n))
    o_rep = np.repeat(np.arange(n), 4)
    s_rep = np.tile(np.arange(4), n)
    entered = opp_created[o_rep] + ((opp_close - opp_created)[o_rep] * share[s_rep]).astype("int64")
    keep = (s_rep < reached[o_rep]) & (entered < horizon)
    hist = pd.DataFrame(
        {
            "opportunity_id": opp_id[o_rep[keep]],
            "entered_at": _ts(cfg, entered[keep]),
            "stage": OPEN_STAGES[s_rep[keep]],
            "updated_at": _ts(cfg, entered[keep]),
        }
    )
    fin = pd.DataFrame(
        {
            "opportunity_id": opp_id[c],
            "entered_at": _ts(cfg, opp_close[c] + 3600 * 17),
            "stage": np.where(opp_won[c], "closed_won", "closed_lost"),
            "updated_at": _ts(cfg, opp_close[c] + 3600 * 17),
        }
    )
    sink.append("opportunity_stage_history", pd.concat([hist, fin], ignore_index=True))

    # handoffs: the decided version names the opportunity it became
    frames = handoffs.attrs["frames"]
    v2h = frames["v2"].copy()
    v2h["opportunity_id"] = pd.Series(pd.NA, index=v2h.index, dtype="Int64")
    rows = acc["v2_row"].to_numpy()
    v2h.iloc[rows, v2h.columns.get_loc("opportunity_id")] = opp_id[:n_h]
    sink.append("lead_handoffs", pd.concat([frames["v1"], v2h], ignore_index=True))

    # a converted lead points at its account and says so
    conv = pd.DataFrame(
        {
            "lead_id": acc["lead_ix"].to_numpy() + 1,
            "account_id": opp_account[:n_h],
            "status": "converted",
            "updated_at": _ts(cfg, created[:n_h]),
        }
    )
    _append_lead_updates(cfg, rng, leads, conv, sink)
    return pd.DataFrame(
        {"owner": opp_owner, "created": opp_created, "close": opp_close, "id": opp_id}
    )


def _append_lead_updates(
    cfg: GeneratorConfig, rng: np.random.Generator, leads: Leads, conv: pd.DataFrame, sink: Sink
) -> None:
    """Later versions of leads: conversion, a few deletes, one delete that is undone."""
    all_leads = sink.con.execute(
        """select * from leads
        qualify row_number() over (partition by lead_id order by updated_at desc) = 1"""
    ).df()
    merged = all_leads.set_index("lead_id")
    conv_ids = "L" + conv["lead_id"].astype(str).str.zfill(6)
    upd = merged.loc[conv_ids].reset_index()
    upd["status"] = "converted"
    upd["account_id"] = "A" + conv["account_id"].astype(str).str.zfill(6).to_numpy()
    upd["updated_at"] = conv["updated_at"].to_numpy()
    # deletes: unsent leads, spread through the period; one comes back later
    # (old enough that the delete and its undo land inside the period)
    unsent = np.nonzero(~leads.sent & (leads.created < (cfg.days - 7) * DAY))[0]
    victims = rng.choice(unsent, min(len(unsent), max(3, len(unsent) // 400)), replace=False)
    dels = merged.loc["L" + pd.Series(victims + 1).astype(str).str.zfill(6)].reset_index()
    dels["updated_at"] = dels["updated_at"] + pd.Timedelta(days=2)
    dels["is_deleted"] = True
    undo = dels.iloc[:1].copy()
    undo["is_deleted"] = False
    undo["updated_at"] = undo["updated_at"] + pd.Timedelta(days=1)
    frame = pd.concat([upd, dels, undo], ignore_index=True)
    frame = frame[frame["updated_at"] < pd.Timestamp(cfg.end)]
    sink.append("leads", frame)


def _customer_book(
    cfg: GeneratorConfig,
    rng: np.random.Generator,
    org: Org,
    sink: Sink,
    nb_owner: np.ndarray,
    nb_created: np.ndarray,
    nb_close: np.ndarray,
    nb_won: np.ndarray,
    nb_amount: np.ndarray,
) -> dict:
    """Accounts, their AM ownership over time, and contracts that renew, expand or churn."""
    horizon = cfg.days * DAY
    ams = np.nonzero(org.role == 3)[0]
    # existing customers at the period start, spread over the AMs hired before it
    veteran_ams = ams[org.hire_day[ams] < 0]
    veteran_ams = veteran_ams if len(veteran_ams) else ams
    n_old = len(veteran_ams) * 15
    old_owner = veteran_ams[np.arange(n_old) % len(veteran_ams)]
    old_created = -rng.integers(60, 3 * 365, n_old) * DAY
    n_new = len(nb_owner)
    new_account = np.arange(n_old + 1, n_old + n_new + 1)
    # a won new-business deal hands the account to an AM of the AE's team
    nb_team = org.team_at[nb_owner, np.clip(nb_created // DAY, 0, cfg.days - 1)]
    am_of_team = np.full(int(org.team.max()) + 1, ams[0])
    am_of_team[org.team[ams][::-1]] = ams[::-1]  # the first AM of each team
    am_pick = am_of_team[nb_team]
    won_new = nb_won & (nb_close < horizon)
    acc_created = np.concatenate([old_created, nb_created])
    acc_owner0 = np.concatenate([old_owner, np.full(n_new, -1)])
    ids = np.arange(1, n_old + n_new + 1)
    emp = np.round(rng.lognormal(np.log(150), 1.0, len(ids))).astype("int64")
    base = pd.DataFrame(
        {
            "account_id": ids,
            "account_name": np.char.mod("Company %d", ids),
            "industry": INDUSTRIES[rng.integers(0, len(INDUSTRIES), len(ids))],
            "employee_count": emp,
            "country": rng.choice(np.array(["US", "DE", "GB", "KR", "TH", "JP"]), len(ids)),
            "created_at": _ts(cfg, acc_created),
        }
    )
    v1 = base.assign(
        owner_id=pd.Series(np.where(acc_owner0 >= 0, org.user_id[acc_owner0], 0))
        .where(acc_owner0 >= 0)
        .astype("Int64"),
        updated_at=_ts(cfg, acc_created),
    )
    won_ix = n_old + np.nonzero(won_new)[0]
    v2 = base.iloc[won_ix].assign(
        owner_id=org.user_id[am_pick[won_new]],
        updated_at=_ts(cfg, nb_close[won_new] + 18 * 3600),
    )
    owner = np.concatenate([old_owner, np.where(won_new, am_pick, -1)])
    # an AM who leaves hands the book to a colleague on the day after
    leaving = [a for a in ams if org.term_day[a] < cfg.days]
    moves = []
    for a in leaving:
        heirs = ams[(ams != a) & (org.term_day[ams] > org.term_day[a])]
        if not len(heirs):
            continue
        book = np.nonzero(owner == a)[0]
        heir = heirs[rng.integers(0, len(heirs), len(book))]
        owner[book] = heir
        moves.append(
            base.iloc[book].assign(
                owner_id=org.user_id[heir],
                updated_at=_ts(cfg, np.full(len(book), (org.term_day[a] + 1) * DAY + 9 * 3600)),
            )
        )
    sink.append("accounts", pd.concat([v1, v2, *moves], ignore_index=True))

    # contracts: a first one for every customer, then yearly renewals (85 %)
    start = np.concatenate(
        [old_created // DAY + 7, nb_close[won_new] // DAY + rng.integers(1, 14, won_new.sum())]
    )
    cust = np.concatenate([np.arange(n_old), won_ix])
    value = np.concatenate(
        [np.round(rng.lognormal(np.log(30_000), 0.7, n_old), -2), nb_amount[won_new]]
    )
    first_opp = np.concatenate([np.full(n_old, -1), np.nonzero(won_new)[0] + 1])
    c_acc, c_start, c_end, c_val, c_opp = [], [], [], [], []
    renew_opp: dict[str, list] = {
        k: [] for k in ("owner", "created", "close", "won", "amount", "account")
    }
    gen_acc, gen_start, gen_val, gen_opp = cust, start, value, first_opp
    while len(gen_acc):
        end = gen_start + 364
        c_acc.append(gen_acc), c_start.append(gen_start), c_end.append(end)
        c_val.append(gen_val), c_opp.append(gen_opp)
        renews = rng.random(len(gen_acc)) < 0.85
        nxt = end + 1
        in_window = (nxt < cfg.days) & renews
        # renewals inside the period are worked as renewal opportunities by the owner
        due = (end - 45 >= 0) & (end - 45 < cfg.days)
        ren_mask = due & (owner[gen_acc] >= 0)
        ren_close = (end[ren_mask] - rng.integers(0, 15, ren_mask.sum())) * DAY
        renew_opp["owner"].append(owner[gen_acc][ren_mask])
        renew_opp["created"].append((end[ren_mask] - 45) * DAY + 10 * 3600)
        renew_opp["close"].append(ren_close)
        renew_opp["won"].append(renews[ren_mask])
        growth = np.clip(rng.normal(1.06, 0.1, len(gen_acc)), 0.7, 1.5)
        renew_opp["amount"].append(np.round(gen_val[ren_mask] * growth[ren_mask], -2))
        renew_opp["account"].append(ids[gen_acc][ren_mask])
        gen_acc, gen_start = gen_acc[in_window], nxt[in_window]
        gen_val = np.round(gen_val[in_window] * growth[in_window], -2)
        gen_opp = np.full(len(gen_acc), -1)
    # upsells on customers with a live contract; the AM sells most, an AE some
    months = np.arange(0, cfg.days, 30)
    cand_acc = np.repeat(cust, len(months))
    cand_day = np.tile(months, len(cust)) + rng.integers(0, 30, len(cust) * len(months))
    live = (cand_day < cfg.days) & (owner[cand_acc] >= 0) & (rng.random(len(cand_acc)) < 0.03)
    cand_acc, cand_day = cand_acc[live], cand_day[live]
    up_owner = owner[cand_acc].copy()
    by_ae = rng.random(len(up_owner)) < 0.2
    aes = np.nonzero(org.role == 2)[0]
    up_owner[by_ae] = aes[rng.integers(0, len(aes), by_ae.sum())]
    up_created = _work_seconds(rng, cand_day)
    up_close = up_created + rng.integers(10, 45, len(cand_day)) * DAY
    up_won = rng.random(len(cand_day)) < 0.55
    up_amount = np.round(rng.lognormal(np.log(8_000), 0.6, len(cand_day)), -2)
    expand = up_won & (up_close < horizon)
    c_acc.append(cand_acc[expand])
    c_start.append(up_close[expand] // DAY + 1)
    c_end.append(up_close[expand] // DAY + 365)
    c_val.append(up_amount[expand])
    r = {k: np.concatenate(v) if v else np.array([]) for k, v in renew_opp.items()}
    n_r = len(r["owner"])
    # opportunity ids: new business first, then renewals, then upsells (see _opportunities)
    c_opp.append(n_new + n_r + np.nonzero(expand)[0] + 1)
    acc_all = np.concatenate(c_acc)
    contracts = pd.DataFrame(
        {
            "contract_id": np.arange(1, len(acc_all) + 1),
            "account_id": ids[acc_all],
            "start_date": _day(cfg, np.concatenate(c_start)),
            "end_date": _day(cfg, np.concatenate(c_end)),
            "annual_value": np.concatenate(c_val),
            "currency": "",
            "opportunity_id": pd.Series(np.concatenate(c_opp))
            .where(lambda x: x > 0)
            .astype("Int64"),
        }
    )
    starts = np.concatenate(c_start)
    contracts["updated_at"] = _ts(cfg, np.minimum(starts - 1, cfg.days - 1) * DAY + 12 * 3600)
    contracts = contracts[starts - 1 < cfg.days]  # future contracts are not signed yet
    sink.append("contracts", contracts)
    return {
        "new_account": new_account,
        "upsells": {
            "owner": np.concatenate([r["owner"].astype("int64"), up_owner]),
            "created": np.concatenate([r["created"].astype("int64"), up_created]),
            "close": np.concatenate([r["close"].astype("int64"), up_close]),
            "won": np.concatenate([r["won"].astype(bool), up_won]),
            "amount": np.concatenate([r["amount"], up_amount]),
            "account": np.concatenate([r["account"].astype("int64"), ids[cand_acc]]),
            "type": np.concatenate([np.full(n_r, "renewal"), np.full(len(up_owner), "upsell")]),
        },
    }


# ------------------------------------------------------------------ activities


def _activities(
    cfg: GeneratorConfig,
    rng: np.random.Generator,
    org: Org,
    leads: Leads,
    opps: pd.DataFrame,
    sink: Sink,
) -> None:
    rates = {1: (34.0, 18.0, 0.8), 2: (7.0, 12.0, 2.2), 3: (4.0, 10.0, 1.5), 4: (1.0, 6.0, 1.0)}
    opp_sorted = opps.sort_values(["owner", "created"])
    o_owner = opp_sorted["owner"].to_numpy()
    o_day = opp_sorted["created"].to_numpy() // DAY
    o_close_day = opp_sorted["close"].to_numpy() // DAY
    o_id = opp_sorted["id"].to_numpy()
    lead_day = leads.created // DAY
    next_id = 1
    for role_code, (calls, emails, meetings) in rates.items():
        users, days = _business_cells(cfg, org, role_code)
        ramp = _ramp(org, users, days, 3)
        per_type = [
            rng.poisson(r * cfg.activity_rate * ramp * org.skill_on(users, days) ** 0.5)
            for r in (calls, emails, meetings)
        ]
        for type_name, counts in zip(("call", "email", "meeting"), per_type, strict=True):
            owner = np.repeat(users, counts)
            day = np.repeat(days, counts)
            n = len(owner)
            if n == 0:
                continue
            at = _work_seconds(rng, day)
            lead_id = np.full(n, -1)
            opp_id = np.full(n, -1)
            if role_code == 1:
                pick = _pick_recent(leads.owner, lead_day, owner, day, rng)
                lead_id = np.where(pick >= 0, pick + 1, -1)
            elif role_code in (2, 3):
                pick = _pick_recent(o_owner, o_day, owner, day, rng, window=15)
                open_then = (pick >= 0) & (o_close_day[np.maximum(pick, 0)] >= day)
                opp_id = np.where(open_then, o_id[np.maximum(pick, 0)], -1)
            duration = np.where(
                type_name == "call",
                rng.gamma(2.0, 120.0, n),
                np.where(type_name == "meeting", rng.choice([1800, 2700, 3600], n), 0),
            ).astype("int64")
            outcome = (
                rng.choice(
                    np.array(["connected", "voicemail", "no_answer"]), n, p=[0.35, 0.35, 0.3]
                )
                if type_name == "call"
                else np.full(n, "completed")
            )
            frame = pd.DataFrame(
                {
                    "activity_id": np.arange(next_id, next_id + n),
                    "owner_id": org.user_id[owner],
                    "activity_type": type_name,
                    "occurred_at": _ts(cfg, at),
                    "duration_seconds": duration,
                    "outcome": outcome,
                    "lead_id": pd.Series(lead_id).where(lead_id > 0).astype("Int64"),
                    "opportunity_id": pd.Series(opp_id).where(opp_id > 0).astype("Int64"),
                    "updated_at": _ts(cfg, at + 600),
                }
            )
            next_id += n
            sink.append("activities", frame)
    # a handful of activities logged by mistake are deleted a day later
    sink.con.execute(
        """insert into activities
        select * replace (true as is_deleted, updated_at + interval 1 day as updated_at)
        from activities using sample 5 rows (reservoir, 42)"""
    )
    sink.counts["activities"] += 5


# ---------------------------------------------------- goals, costs, coaching, contests


def _month_starts(cfg: GeneratorConfig) -> list[date]:
    out, d = [], cfg.start
    while d < cfg.end:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


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
