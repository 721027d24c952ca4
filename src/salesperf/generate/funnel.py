"""Leads, SDR->AE handoffs, opportunities and the customer book (accounts, contracts)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesperf.generate.config import (
    DAY,
    FEEDBACK,
    INDUSTRIES,
    LOSS_REASONS,
    OPEN_STAGES,
    REJECTION_REASONS,
    SOURCE_QUALITY,
    SOURCE_SHARE,
    SOURCES,
    GeneratorConfig,
    _day,
    _ts,
    _work_seconds,
)
from salesperf.generate.org import Org, _business_cells, _ramp
from salesperf.generate.sink import Sink


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
    c = closed
    loss_reason = np.where(opp_won[c], None, LOSS_REASONS[rng.integers(0, 5, c.sum())])
    # stage history: open stages entered at fixed shares of the cycle, then the close
    share = np.array([0.0, 0.2, 0.5, 0.8])
    reached = np.where(opp_won | ~closed, 4, rng.integers(1, 5, n))
    o_rep = np.repeat(np.arange(n), 4)
    s_rep = np.tile(np.arange(4), n)
    entered = opp_created[o_rep] + ((opp_close - opp_created)[o_rep] * share[s_rep]).astype("int64")
    keep = (s_rep < reached[o_rep]) & (entered < horizon)

    # the deal as it moves: a version per stage entered. A separate generator keeps every
    # other draw (and so every other entity) as it was before deals moved.
    moves = np.random.default_rng([cfg.seed, 28])
    # a third of deals start with an optimistic close date and are pushed to the real one
    # once it passes or the deal reaches negotiation
    optimistic = moves.random(n) < 0.35
    planned = np.where(
        optimistic,
        opp_created + ((opp_close - opp_created) * moves.uniform(0.4, 0.85, n)).astype("int64"),
        opp_close,
    )
    # two deals in five are re-priced at the proposal: the earlier versions carry the first quote
    repriced = moves.random(n) < 0.4
    first_quote = np.where(
        repriced, np.round(local_amount / moves.lognormal(0.0, 0.2, n), -1), local_amount
    )
    stage_ix = s_rep[keep]
    opp_ix = o_rep[keep]
    at = entered[keep]
    pushed = (stage_ix == 3) | (at >= planned[opp_ix])
    versions = (
        base.iloc[opp_ix]
        .reset_index(drop=True)
        .assign(
            stage=OPEN_STAGES[stage_ix],
            amount=np.where(stage_ix >= 2, local_amount[opp_ix], first_quote[opp_ix]),
            close_date=_day(cfg, np.where(pushed, opp_close[opp_ix], planned[opp_ix]) // DAY),
            is_closed=False,
            is_won=False,
            updated_at=_ts(cfg, at),
        )
    )
    v_closed = base[c].assign(
        stage=np.where(opp_won[c], "closed_won", "closed_lost"),
        is_closed=True,
        is_won=opp_won[c],
        loss_reason=loss_reason,
        updated_at=_ts(cfg, opp_close[c] + 3600 * 17),
    )
    # a few wins are undone weeks later (deleted as a duplicate, or reopened when the
    # customer backs out): what commission clawbacks are for
    undo = np.random.default_rng([cfg.seed, 29])
    won_rows = v_closed[v_closed["is_won"].to_numpy()]
    undone_after = undo.integers(10, 80, len(won_rows)) * DAY
    undone_at = opp_close[c][opp_won[c]] + 3600 * 17 + undone_after
    picked = (undo.random(len(won_rows)) < 0.02) & (undone_at < horizon)
    reopened = undo.random(len(won_rows)) < 0.5
    v_undone = won_rows[picked].assign(
        stage=np.where(reopened[picked], "negotiation", won_rows["stage"].to_numpy()[picked]),
        is_closed=~reopened[picked],
        is_won=~reopened[picked],
        is_deleted=~reopened[picked],
        updated_at=_ts(cfg, undone_at[picked]),
    )
    sink.append("opportunities", pd.concat([versions, v_closed, v_undone], ignore_index=True))

    hist = pd.DataFrame(
        {
            "opportunity_id": opp_id[opp_ix],
            "entered_at": _ts(cfg, at),
            "stage": OPEN_STAGES[stage_ix],
            "updated_at": _ts(cfg, at),
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
    _forecast_submissions(cfg, moves, org, opp_owner, opp_close, opp_won, opp_amount, sink)

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


def _forecast_submissions(
    cfg: GeneratorConfig,
    rng: np.random.Generator,
    org: Org,
    owner: np.ndarray,
    close: np.ndarray,
    won: np.ndarray,
    amount: np.ndarray,
    sink: Sink,
) -> None:
    """Each rep with deals due in a month calls it a few days before it starts: a commit
    near what they will book (some sandbag, some hope) and a best case above it."""
    horizon = cfg.days * DAY
    month = pd.to_datetime(_day(cfg, close // DAY)).to_period("M")
    deals = pd.DataFrame({"owner": owner, "month": month, "won": np.where(won, amount, 0.0)})
    deals = deals[close < horizon + 40 * DAY]
    calls = deals.groupby(["owner", "month"], as_index=False)["won"].sum()
    starts = calls["month"].dt.start_time
    submitted = starts - pd.to_timedelta(rng.integers(1, 6, len(calls)), unit="D")
    calls = calls[submitted < pd.Timestamp(cfg.end)].reset_index(drop=True)
    submitted = submitted[submitted < pd.Timestamp(cfg.end)].reset_index(drop=True)
    commit = np.round(calls["won"].to_numpy() * rng.lognormal(-0.05, 0.3, len(calls)), -2)
    frames = []
    for category, value in (("commit", commit), ("best_case", np.round(commit * 1.35, -2))):
        frames.append(
            pd.DataFrame(
                {
                    "user_id": org.user_id[calls["owner"].to_numpy()],
                    "period_start": calls["month"].dt.start_time.dt.date,
                    "grain": "month",
                    "category": category,
                    "amount": value,
                    "currency": "",
                    "submitted_at": submitted + pd.Timedelta(hours=16),
                    "updated_at": submitted + pd.Timedelta(hours=16),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "submission_id", np.arange(1, len(out) + 1))
    sink.append("forecast_submissions", out)


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
