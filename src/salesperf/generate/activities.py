"""Activities: calls, e-mails and meetings by reps, on their leads and deals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesperf.generate.config import DAY, GeneratorConfig, _ts, _work_seconds
from salesperf.generate.funnel import Leads
from salesperf.generate.org import Org, _business_cells, _pick_recent, _ramp
from salesperf.generate.sink import Sink


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
