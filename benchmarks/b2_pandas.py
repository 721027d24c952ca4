"""B2, the peer a user would write: the same three marts as B1, in a pandas notebook style.

kpi_company_monthly, kpi_sdr_monthly and kpi_ae_monthly from the extract files (Parquet
batch folders), with docs/kpi-catalogue.md's definitions: latest version per key, deletes, role and
team as of the event, strict qualification as the lead stood when sent, money in USD at
the right date. Written the way a competent analyst would in pandas (vectorised, merge_asof
for "as of" lookups), not tuned further. benchmarks/run.py checks it equals the warehouse.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

FAR_PAST = pd.Timestamp("1900-01-01")
FAR_FUTURE = pd.Timestamp("2262-01-01")  # "always": the last day pandas nanoseconds reach


def read(landing: Path, entity: str, columns: list[str]) -> pd.DataFrame:
    """Every delivered row of an entity, with its delivery order (batch, row in file)."""
    frames = []
    for path in sorted(landing.glob(f"*/{entity}.parquet")):
        frame = pd.read_parquet(path, columns=[*columns, "updated_at", "is_deleted"])
        frame["_b"] = path.parent.name
        frame["_r"] = np.arange(len(frame))
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    frame["is_deleted"] = frame["is_deleted"].astype("boolean").fillna(False).astype(bool)
    frame["updated_at"] = pd.to_datetime(frame["updated_at"])
    return frame


def ordered(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    return frame.sort_values([*key, "updated_at", "_b", "_r"], kind="stable")


def latest(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    last = ordered(frame, key).drop_duplicates(key, keep="last")
    return last[~last["is_deleted"]]


def versions(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Non-deleted versions of live records with [valid_from, valid_to)."""
    live = latest(frame, [key])[key]
    v = ordered(frame[frame[key].isin(live) & ~frame["is_deleted"]], [key]).copy()
    first = ~v[key].duplicated()
    v["valid_to"] = v.groupby(key)["updated_at"].shift(-1).fillna(FAR_FUTURE)
    v["valid_from"] = v["updated_at"].where(~first, FAR_PAST)
    return v


def as_of(events: pd.DataFrame, on: str, by: str, vers: pd.DataFrame, by_v: str, cols: list[str]):
    """The version of `by` in force at each event's `on` instant (contiguous versions)."""
    left = events[[by, on]].reset_index()
    left[on] = left[on].astype("datetime64[ns]")
    left = left.sort_values(on)
    right = vers[[by_v, *dict.fromkeys(["valid_from", *cols])]].copy()
    right["valid_from"] = right["valid_from"].astype("datetime64[ns]")
    right = right.sort_values("valid_from")
    merged = pd.merge_asof(
        left,
        right,
        left_on=on,
        right_on="valid_from",
        left_by=by,
        right_by=by_v,
        direction="backward",
    )
    return merged.set_index("index").reindex(events.index)[cols]


def month(series: pd.Series) -> pd.Series:
    return series.dt.to_period("M").dt.to_timestamp()


def clean_currency(currency: pd.Series) -> pd.Series:
    """As the loader stores it: trimmed, upper case, empty is no currency (= USD)."""
    currency = currency.astype("string").str.strip().str.upper()
    return currency.mask(currency == "").astype(object)


def usd(amount: pd.Series, currency: pd.Series, on: pd.Series, fx: pd.DataFrame) -> pd.Series:
    currency = clean_currency(currency)
    frame = pd.DataFrame(
        {"amount": amount.astype(float), "currency": currency, "on": on.astype("datetime64[ns]")}
    )
    frame["rate"] = np.nan
    known = frame["on"].notna() & frame["currency"].notna() & (frame["currency"] != "USD")
    if known.any():
        left = frame[known].reset_index().sort_values("on")
        rates = fx.sort_values("rate_date")
        got = pd.merge_asof(
            left, rates, left_on="on", right_on="rate_date", by="currency", direction="backward"
        ).set_index("index")
        frame.loc[known, "rate"] = got["rate_to_reporting"].reindex(frame.index[known])
    home = frame["currency"].isna() | (frame["currency"] == "USD")
    return frame["amount"].where(home, frame["amount"] * frame["rate"])


def sum_known(values: pd.Series, groups: list[pd.Series]) -> pd.Series:
    """Sum of known values per group; NULL when all are unknown (groups with rows only)."""
    frame = pd.DataFrame({"v": values})
    for i, g in enumerate(groups):
        frame[f"g{i}"] = g.values
    keys = [f"g{i}" for i in range(len(groups))]
    return frame.groupby(keys, dropna=True)["v"].sum(min_count=1)


def compute(landing: Path, seeds: Path, ruleset: str) -> dict[str, pd.DataFrame]:
    users = versions(
        read(landing, "users", ["user_id", "role", "team_id", "hire_date", "termination_date"]),
        "user_id",
    )
    lead_rows = read(
        landing,
        "leads",
        [
            "lead_id",
            "created_at",
            "budget_confirmed",
            "authority_confirmed",
            "need_confirmed",
            "timing_confirmed",
            "employee_count",
            "industry",
        ],
    )
    lead_v = versions(lead_rows, "lead_id")
    leads = latest(lead_rows, ["lead_id"])
    handoffs = latest(
        read(
            landing,
            "lead_handoffs",
            ["handoff_id", "lead_id", "sdr_id", "ae_id", "sent_at", "decision", "opportunity_id"],
        ),
        ["handoff_id"],
    ).reset_index(drop=True)
    acts = latest(
        read(
            landing,
            "activities",
            ["activity_id", "owner_id", "activity_type", "occurred_at", "opportunity_id"],
        ),
        ["activity_id"],
    ).reset_index(drop=True)
    opps = latest(
        read(
            landing,
            "opportunities",
            [
                "opportunity_id",
                "account_id",
                "owner_id",
                "opportunity_type",
                "amount",
                "currency",
                "created_at",
                "close_date",
                "is_closed",
                "is_won",
                "lead_id",
                "handoff_id",
            ],
        ),
        ["opportunity_id"],
    ).reset_index(drop=True)
    fx = latest(
        read(landing, "fx_rates", ["currency", "rate_date", "rate_to_reporting"]),
        ["currency", "rate_date"],
    )
    fx = fx.assign(
        rate_date=pd.to_datetime(fx["rate_date"]).astype("datetime64[ns]"),
        currency=clean_currency(fx["currency"]),
    )
    fx = fx[["currency", "rate_date", "rate_to_reporting"]]
    account_rows = read(landing, "accounts", ["account_id"])
    last_accounts = ordered(account_rows, ["account_id"]).drop_duplicates("account_id", keep="last")
    deleted_accounts = set(last_accounts.loc[last_accounts["is_deleted"], "account_id"])
    costs = latest(
        read(landing, "costs", ["cost_id", "month", "category", "amount", "currency"]), ["cost_id"]
    )

    for frame, column in (
        (leads, "created_at"),
        (handoffs, "sent_at"),
        (acts, "occurred_at"),
        (opps, "created_at"),
    ):
        frame[column] = pd.to_datetime(frame[column])
    opps["close_date"] = pd.to_datetime(opps["close_date"])
    acts["is_call"] = acts["activity_type"].str.lower() == "call"

    # reporting period: first event month to the last event date
    days = pd.concat(
        [
            leads["created_at"].dt.normalize(),
            acts["occurred_at"].dt.normalize(),
            handoffs["sent_at"].dt.normalize(),
            opps["created_at"].dt.normalize(),
            opps.loc[opps["is_closed"].fillna(False).astype(bool), "close_date"],
        ]
    )
    first_month = days.min().to_period("M").to_timestamp()
    as_of_day = days.max()
    months = pd.DataFrame(
        {"month": pd.date_range(first_month, as_of_day.to_period("M").to_timestamp(), freq="MS")}
    )
    months["month_end"] = months["month"] + pd.offsets.MonthEnd(0)

    # role months: roles held on some day of the month while employed
    u = users[users["valid_to"] > users["valid_from"]].copy()
    hire = pd.to_datetime(u["hire_date"]).fillna(FAR_PAST)
    # a termination beyond what pandas can hold (the sample has a few in year 4762) is as
    # good as none inside any reporting period
    term = pd.to_datetime(u["termination_date"], errors="coerce").fillna(FAR_FUTURE)
    u["first_day"] = np.maximum(u["valid_from"].dt.normalize(), hire)
    u["last_day"] = np.minimum((u["valid_to"] - pd.Timedelta(microseconds=1)).dt.normalize(), term)
    u = u[u["first_day"] <= u["last_day"]]
    rm = u[["user_id", "role", "first_day", "last_day"]].merge(months, how="cross")
    role_months = rm[(rm["first_day"] <= rm["month_end"]) & (rm["last_day"] >= rm["month"])][
        ["user_id", "month", "role"]
    ].drop_duplicates()

    # opportunities
    o = opps
    o["is_closed"] = o["is_closed"].astype("boolean")
    o["is_won_raw"] = o["is_won"].astype("boolean")
    o["created_date"] = o["created_at"].dt.normalize()
    o["closed_on"] = o["close_date"].where(o["is_closed"].fillna(False))
    o["created_month"] = month(o["created_at"])
    o["close_month"] = month(o["closed_on"])
    o["won"] = (o["is_closed"] & o["is_won_raw"]).fillna(False).astype(bool)
    o["lost"] = (o["is_closed"] & ~o["is_won_raw"]).fillna(False).astype(bool)
    o["pipeline_amount"] = usd(o["amount"], o["currency"], o["created_date"], fx)
    closed_amount = usd(o["amount"], o["currency"], o["closed_on"], fx)
    o["won_amount"] = closed_amount.where(o["won"])
    o["sales_cycle_days"] = (o["closed_on"] - o["created_date"]).dt.days
    o["customer_account_id"] = o["account_id"].where(
        o["account_id"].notna() & ~o["account_id"].isin(deleted_accounts)
    )
    ever_ae = set(users.loc[users["role"] == "AE", "user_id"])
    o["ever_ae"] = o["owner_id"].isin(ever_ae)
    accepted = handoffs[handoffs["decision"] == "accepted"]
    named = o["handoff_id"].map(accepted.set_index("handoff_id")["sdr_id"])
    later = ordered(
        accepted[accepted["opportunity_id"].notna()], ["opportunity_id"]
    ).drop_duplicates("opportunity_id", keep="last")
    o["sourcing_sdr"] = named.fillna(
        o["opportunity_id"].map(later.set_index("opportunity_id")["sdr_id"])
    )
    calls = acts[acts["is_call"]]
    o["calls_logged"] = (
        o["opportunity_id"].map(calls["opportunity_id"].value_counts()).fillna(0).astype(int)
    )

    # handoffs judged against the rule set, on the lead as it stood when sent
    rules = pd.read_csv(seeds / "qualification_rules.csv")
    rule = rules[rules["ruleset_version"] == ruleset].iloc[0]
    industries = pd.read_csv(seeds / "qualification_target_industries.csv", dtype=str)
    targets = set(industries.loc[industries["ruleset_version"] == ruleset, "industry"].str.lower())
    h = handoffs
    lv = as_of(
        h,
        "sent_at",
        "lead_id",
        lead_v,
        "lead_id",
        [
            "valid_from",
            "budget_confirmed",
            "authority_confirmed",
            "need_confirmed",
            "timing_confirmed",
            "employee_count",
            "industry",
        ],
    )

    def confirmed(column: str) -> pd.Series:
        return lv[column].astype("boolean").fillna(False).astype(bool)

    qualified = lv["valid_from"].notna()
    for flag in ("budget", "authority", "need", "timing"):
        if str(rule[f"require_{flag}"]).lower() == "true":
            qualified &= confirmed(f"{flag}_confirmed")
    qualified &= lv["employee_count"].fillna(-1).astype(float) >= float(rule["min_employee_count"])
    if targets:
        qualified &= lv["industry"].str.lower().isin(targets)
    h["qualified"] = qualified.values
    h["sent_month"] = month(h["sent_at"])
    h["accepted"] = h["decision"] == "accepted"
    h["rejected"] = h["decision"] == "rejected"

    # company
    closed = o[o["close_month"].notna()]
    won = closed[closed["won"]]
    company = months[["month"]].set_index("month")
    company["revenue"] = won.groupby("close_month")["won_amount"].sum(min_count=1)
    company["revenue"] = company["revenue"].where(company.index.isin(won["close_month"]), 0.0)
    company["deals_won"] = won.groupby("close_month").size()
    company["deals_lost"] = closed[closed["lost"]].groupby("close_month").size()
    company["sales_cycle_days_total"] = won.groupby("close_month")["sales_cycle_days"].sum()
    company["opportunities_created"] = o.groupby("created_month").size()
    company["opportunities_won_to_date"] = o[o["won"]].groupby("created_month").size()
    converted = set(o["lead_id"].dropna())
    leads["created_month"] = month(leads["created_at"])
    company["leads_created"] = leads.groupby("created_month").size()
    company["leads_converted"] = (
        leads[leads["lead_id"].isin(converted)].groupby("created_month").size()
    )
    company["quota_carrying_reps"] = (
        role_months[role_months["role"].isin(["AE", "AM"])].groupby("month")["user_id"].nunique()
    )
    company["opportunities_closed"] = closed.groupby("close_month").size()
    company["calls_on_closed_opportunities"] = closed.groupby("close_month")["calls_logged"].sum()
    calls = calls.assign(month=month(calls["occurred_at"]))
    company["calls"] = calls.groupby("month").size()
    company["active_reps"] = (
        role_months[role_months["role"].isin(["SDR", "AE", "AM"])]
        .groupby("month")["user_id"]
        .nunique()
    )
    company["customers"] = won.groupby("close_month")["customer_account_id"].nunique()
    firsts = (
        won[(won["opportunity_type"] == "new_business") & won["customer_account_id"].notna()]
        .sort_values(["customer_account_id", "close_date", "opportunity_id"])
        .drop_duplicates("customer_account_id")
    )
    company["new_customers"] = firsts.groupby("close_month").size()
    counts = [c for c in company.columns if c != "revenue"]
    company[counts] = company[counts].fillna(0).astype("int64")
    costs["month"] = pd.to_datetime(costs["month"]).dt.to_period("M").dt.to_timestamp()
    costs = costs.merge(months, on="month")
    costs["usd"] = usd(costs["amount"], costs["currency"], costs["month_end"], fx)
    wanted = costs[costs["category"].isin(["sales", "marketing"])]
    company["sales_and_marketing_cost"] = wanted.groupby("month")["usd"].sum(min_count=1)
    company["sales_and_marketing_cost"] = company["sales_and_marketing_cost"].where(
        company.index.isin(wanted["month"]), 0.0
    )
    c = company

    def ratio(a: pd.Series, b: pd.Series) -> pd.Series:
        return a.astype(float) / b.astype(float).replace(0, np.nan)

    company_out = (
        pd.DataFrame(
            {
                "revenue": c["revenue"],
                "deals_won": c["deals_won"],
                "deals_lost": c["deals_lost"],
                "win_rate": ratio(c["deals_won"], c["deals_won"] + c["deals_lost"]),
                "sales_cycle_days_total": c["sales_cycle_days_total"],
                "avg_sales_cycle_days": ratio(c["sales_cycle_days_total"], c["deals_won"]),
                "opportunities_created": c["opportunities_created"],
                "opportunities_won_to_date": c["opportunities_won_to_date"],
                "opportunity_conversion_rate": ratio(
                    c["opportunities_won_to_date"], c["opportunities_created"]
                ),
                "leads_created": c["leads_created"],
                "leads_converted": c["leads_converted"],
                "lead_to_opportunity_rate": ratio(c["leads_converted"], c["leads_created"]),
                "quota_carrying_reps": c["quota_carrying_reps"],
                "revenue_per_rep": ratio(c["revenue"], c["quota_carrying_reps"]),
                "opportunities_closed": c["opportunities_closed"],
                "calls_on_closed_opportunities": c["calls_on_closed_opportunities"],
                "calls_per_opportunity": ratio(
                    c["calls_on_closed_opportunities"], c["opportunities_closed"]
                ),
                "calls": c["calls"],
                "active_reps": c["active_reps"],
                "calls_per_rep": ratio(c["calls"], c["active_reps"]),
                "customers": c["customers"],
                "avg_basket_per_customer": ratio(c["revenue"], c["customers"]),
                "new_customers": c["new_customers"],
                # the benchmark delivers no compensation plans: no commission expense
                "commission_expense": None,
                "includes_commission_expense": False,
                "sales_and_marketing_cost": c["sales_and_marketing_cost"],
                "cac": ratio(c["sales_and_marketing_cost"], c["new_customers"]),
            }
        )
        .rename_axis("month")
        .reset_index()
    )

    # SDR
    sourced = o[o["sourcing_sdr"].notna()]
    spine = pd.concat(
        [
            role_months.loc[role_months["role"] == "SDR", ["user_id", "month"]].set_axis(
                ["sdr", "month"], axis=1
            ),
            h[["sdr_id", "sent_month"]].set_axis(["sdr", "month"], axis=1),
            sourced[["sourcing_sdr", "created_month"]].set_axis(["sdr", "month"], axis=1),
            sourced.loc[sourced["won"], ["sourcing_sdr", "close_month"]].set_axis(
                ["sdr", "month"], axis=1
            ),
        ]
    ).drop_duplicates()
    spine = spine[spine["month"].isin(months["month"])].set_index(["sdr", "month"])
    by_sent = h.groupby(["sdr_id", "sent_month"])
    sdr = spine.copy()
    sdr["leads_sent"] = by_sent.size()
    sdr["qualified_leads_sent"] = by_sent["qualified"].sum()
    call_roles = as_of(calls, "occurred_at", "owner_id", users, "user_id", ["role"])
    sdr_calls = calls[call_roles["role"] == "SDR"]
    sdr["calls"] = sdr_calls.groupby(["owner_id", "month"]).size()
    sdr["handoffs_accepted"] = by_sent["accepted"].sum()
    sdr["handoffs_rejected"] = by_sent["rejected"].sum()
    count_cols = [
        "leads_sent",
        "qualified_leads_sent",
        "calls",
        "handoffs_accepted",
        "handoffs_rejected",
    ]
    sdr[count_cols] = sdr[count_cols].fillna(0).astype("int64")
    pipeline = sum_known(
        sourced["pipeline_amount"], [sourced["sourcing_sdr"], sourced["created_month"]]
    )
    sdr["sourced_pipeline_amount"] = pipeline.reindex(sdr.index)
    sdr.loc[~sdr.index.isin(pipeline.index), "sourced_pipeline_amount"] = 0.0
    sw = sourced[sourced["won"]]
    won_amounts = sum_known(sw["won_amount"], [sw["sourcing_sdr"], sw["close_month"]])
    sdr["sourced_won_amount"] = won_amounts.reindex(sdr.index)
    sdr.loc[~sdr.index.isin(won_amounts.index), "sourced_won_amount"] = 0.0
    s = sdr
    sdr_out = (
        pd.DataFrame(
            {
                "leads_sent": s["leads_sent"],
                "qualified_leads_sent": s["qualified_leads_sent"],
                "qualified_lead_rate": ratio(s["qualified_leads_sent"], s["leads_sent"]),
                "calls": s["calls"],
                "qualification_efficiency": ratio(s["qualified_leads_sent"], s["calls"]),
                "handoffs_accepted": s["handoffs_accepted"],
                "handoffs_rejected": s["handoffs_rejected"],
                "handoffs_decided": s["handoffs_accepted"] + s["handoffs_rejected"],
                "acceptance_rate": ratio(
                    s["handoffs_accepted"], s["handoffs_accepted"] + s["handoffs_rejected"]
                ),
                "sourced_pipeline_amount": s["sourced_pipeline_amount"],
                "sourced_won_amount": s["sourced_won_amount"],
                "qualification_ruleset": ruleset,
            }
        )
        .rename_axis(["sdr_user_id", "month"])
        .reset_index()
    )

    # AE
    owned = o[o["ever_ae"]]
    spine = pd.concat(
        [
            role_months.loc[role_months["role"] == "AE", ["user_id", "month"]].set_axis(
                ["ae", "month"], axis=1
            ),
            h.loc[h["ae_id"].isin(ever_ae), ["ae_id", "sent_month"]].set_axis(
                ["ae", "month"], axis=1
            ),
            owned[["owner_id", "created_month"]].set_axis(["ae", "month"], axis=1),
            owned.loc[owned["is_closed"].fillna(False), ["owner_id", "close_month"]].set_axis(
                ["ae", "month"], axis=1
            ),
        ]
    ).drop_duplicates()
    spine = spine.merge(months, on="month")
    pairs = spine.merge(o, left_on="ae", right_on="owner_id")
    open_then = (pairs["month_end"] >= pairs["created_date"]) & (
        (~pairs["is_closed"]).fillna(False) | (pairs["month"] <= pairs["closed_on"]).fillna(False)
    )
    ae = spine.set_index(["ae", "month"])[[]].copy()
    ae["opportunities_worked"] = pairs[open_then].groupby(["ae", "month"]).size()
    by_close = closed.groupby(["owner_id", "close_month"])
    ae["deals_won"] = by_close["won"].sum()
    ae["deals_lost"] = by_close["lost"].sum()
    bookings = sum_known(won["won_amount"], [won["owner_id"], won["close_month"]])
    ae["bookings_amount"] = bookings.reindex(ae.index)
    ae["sales_cycle_days_total"] = won.groupby(["owner_id", "close_month"])[
        "sales_cycle_days"
    ].sum()
    ae["handoffs_received"] = h.groupby(["ae_id", "sent_month"]).size()
    ae["handoffs_accepted"] = h.groupby(["ae_id", "sent_month"])["accepted"].sum()
    ae["handoffs_rejected"] = h.groupby(["ae_id", "sent_month"])["rejected"].sum()
    ae["opportunities_closed"] = by_close.size()
    ae["calls_on_closed_opportunities"] = by_close["calls_logged"].sum()
    count_cols = [c for c in ae.columns if c != "bookings_amount"]
    ae[count_cols] = ae[count_cols].fillna(0).astype("int64")
    ae.loc[ae["deals_won"] == 0, "bookings_amount"] = 0.0
    a = ae
    ae_out = (
        pd.DataFrame(
            {
                "opportunities_worked": a["opportunities_worked"],
                "deals_won": a["deals_won"],
                "deals_lost": a["deals_lost"],
                "close_rate": ratio(a["deals_won"], a["opportunities_worked"]),
                "win_rate": ratio(a["deals_won"], a["deals_won"] + a["deals_lost"]),
                "bookings_amount": a["bookings_amount"],
                "avg_deal_size": ratio(a["bookings_amount"], a["deals_won"]),
                "sales_cycle_days_total": a["sales_cycle_days_total"],
                "avg_sales_cycle_days": ratio(a["sales_cycle_days_total"], a["deals_won"]),
                "handoffs_received": a["handoffs_received"],
                "handoffs_accepted": a["handoffs_accepted"],
                "handoffs_rejected": a["handoffs_rejected"],
                "opportunities_closed": a["opportunities_closed"],
                "calls_on_closed_opportunities": a["calls_on_closed_opportunities"],
                "calls_per_opportunity": ratio(
                    a["calls_on_closed_opportunities"], a["opportunities_closed"]
                ),
            }
        )
        .rename_axis(["ae_user_id", "month"])
        .reset_index()
    )

    # each live user's name in their latest version, beside the id as the marts show it
    named = latest(read(landing, "users", ["user_id", "full_name"]), ["user_id"])
    names = named.set_index("user_id")["full_name"]

    def with_name(frame: pd.DataFrame, key: str) -> pd.DataFrame:
        frame.insert(2, "rep_name", frame[key].map(names))
        return frame

    return {
        "kpi_company_monthly": company_out,
        "kpi_sdr_monthly": with_name(sdr_out, "sdr_user_id"),
        "kpi_ae_monthly": with_name(ae_out, "ae_user_id"),
    }
