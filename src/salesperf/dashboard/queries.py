"""What the dashboard reads: every query against the published marts, each returning
plain rows, so the figures and pages never hold SQL."""

from __future__ import annotations

from datetime import date

import duckdb

Rows = list[dict]


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Rows:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def publication(con: duckdb.DuckDBPyConnection) -> tuple[str, str | None, str]:
    """The published version, the entities never delivered, the reporting currency."""
    return con.execute(
        "select version, entities_not_delivered, reporting_currency from marts._publication"
    ).fetchone()


def as_of(con: duckdb.DuckDBPyConnection) -> date:
    """The as-of date the publication was computed for (no event at all: today)."""
    return con.execute("select as_of_date from marts._publication").fetchone()[0] or date.today()


def latest_complete_month(con: duckdb.DuckDBPyConnection, as_of: date) -> date:
    row = con.execute(
        """select max(month) from marts.kpi_company_monthly
        where last_day(month) <= ?""",
        [as_of],
    ).fetchone()
    if row[0] is None:  # not one complete month yet: show the one in progress
        row = con.execute("select max(month) from marts.kpi_company_monthly").fetchone()
    return row[0] or as_of.replace(day=1)  # no month at all: an empty page, not a crash


def names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Display names of reps and teams by id (the id where a name is missing)."""
    reps = con.execute("select user_id, full_name from marts.dim_reps").fetchall()
    teams = con.execute("select team_id, team_name from marts.dim_teams").fetchall()
    return {k: v or k for k, v in reps + teams}


def company_month_and_previous(
    con: duckdb.DuckDBPyConnection, month: date, columns: list[str]
) -> tuple[dict, dict]:
    """The company's `columns` in `month` and in the month before ({} where absent)."""
    found = rows(
        con,
        f"select month, {', '.join(columns)} from marts.kpi_company_monthly "
        "where month in (?, ?::date - interval 1 month) order by month desc",
        [month, month],
    )
    values = found[0] if found and found[0]["month"] == month else {}
    before = found[-1] if found and found[-1]["month"] != month else {}
    return values, before


def company_targets(con: duckdb.DuckDBPyConnection, month: date) -> dict[str, dict]:
    """The company's monthly goals in `month`, by metric: target and attainment."""
    return {
        r["metric"]: r
        for r in rows(
            con,
            """select metric, target, attainment from marts.kpi_scorecard
            where scope = 'company' and grain = 'month' and period_start = ?""",
            [month],
        )
    }


def immature_from(con: duckdb.DuckDBPyConnection, as_of: date) -> date | None:
    """The first month whose cohorts are too recent to have converted: created less than
    the mean sales cycle of the won deals before the as-of date."""
    cycle = con.execute(
        """select sum(sales_cycle_days_total) / nullif(sum(deals_won), 0)
        from marts.kpi_company_monthly"""
    ).fetchone()[0]
    if cycle is None:
        return None
    return con.execute(
        "select date_trunc('month', ?::date - to_days(cast(round(?) as integer)))::date",
        [as_of, cycle],
    ).fetchone()[0]


def company_trends(con: duckdb.DuckDBPyConnection) -> Rows:
    return rows(
        con,
        """select month, revenue, win_rate, opportunity_conversion_rate, cac,
                  lead_to_opportunity_rate
        from marts.kpi_company_monthly order by month""",
    )


def current_scorecard(con: duckdb.DuckDBPyConnection, metric: str, role: str) -> Rows:
    """This month's user goals on `metric` for reps of `role`, best pace first."""
    return rows(
        con,
        """select s.scope_id, s.target, s.actual, s.attainment, s.expected_to_date, s.pace
        from marts.kpi_scorecard as s
        inner join marts.dim_reps as r on s.scope_id = r.user_id
        where s.scope = 'user' and s.grain = 'month' and s.period_status = 'current'
          and s.metric = ? and r.role = ?
        order by s.pace desc nulls last, s.scope_id""",
        [metric, role],
    )


def quota_attainments(con: duckdb.DuckDBPyConnection, month: date) -> Rows:
    return rows(
        con,
        """select attainment from marts.kpi_quota_attainment
        where grain = 'month' and period_start = ? and attainment is not null""",
        [month],
    )


def share_at_quota(con: duckdb.DuckDBPyConnection) -> Rows:
    return rows(
        con,
        """select period_start, share_at_or_above_quota from marts.kpi_quota_attainment_company
        where grain = 'month' order by period_start""",
    )


def leaderboard(
    con: duckdb.DuckDBPyConnection, role: str, metric: str, month: date, top: int
) -> Rows:
    return rows(
        con,
        """select entity_id, value, rank from marts.kpi_leaderboard
        where role = ? and metric = ? and grain = 'month' and period_start = ?
          and entity_type = 'rep'
        order by rank, entity_id limit ?""",
        [role, metric, month, top],
    )


def contests(con: duckdb.DuckDBPyConnection) -> Rows:
    return rows(
        con,
        """select distinct contest_id, contest_name, metric, status, start_date, end_date,
                  standings_through
        from marts.kpi_contest_standings order by start_date desc, contest_id""",
    )


def contest_top(con: duckdb.DuckDBPyConnection, contest_id: str, top: int = 10) -> Rows:
    return rows(
        con,
        """select participant_id, total, rank, is_leader from marts.kpi_contest_standings
        where contest_id = ? order by rank nulls last, participant_id limit ?""",
        [contest_id, top],
    )


def lead_source_quality(con: duckdb.DuckDBPyConnection) -> Rows:
    # pooled over the whole period from the published sums: never an average of ratios
    return rows(
        con,
        """select lead_source,
                  sum(leads_sent_qualified) / nullif(sum(leads_created), 0) as qualified_share,
                  sum(leads_converted) / nullif(sum(leads_created), 0) as lead_to_opportunity_rate,
                  sum(deals_won) / nullif(sum(deals_won + deals_lost), 0) as win_rate,
                  sum(revenue) as revenue
        from marts.kpi_lead_source_monthly group by lead_source order by revenue desc nulls last""",
    )


def am_books(con: duckdb.DuckDBPyConnection) -> Rows:
    return rows(
        con,
        """select month, sum(portfolio_value) as portfolio_value,
                  sum(initial_portfolio_value) as initial_portfolio_value,
                  sum(retained_portfolio_value) / nullif(sum(starting_portfolio_value), 0)
                      as net_revenue_retention
        from marts.kpi_am_monthly group by month order by month""",
    )


def pipeline_by_week(con: duckdb.DuckDBPyConnection) -> Rows:
    """The company's open pipeline at every week start, per stage, as it then stood."""
    return rows(
        con,
        """select snapshot_date, stage, min(stage_order) as stage_order,
            sum(open_pipeline_amount) as amount
        from marts.kpi_pipeline_snapshots
        where snapshot_grain = 'week' and scope = 'company'
        group by snapshot_date, stage
        order by snapshot_date, stage_order nulls last, stage""",
    )


def forecast_by_month(con: duckdb.DuckDBPyConnection) -> Rows:
    return rows(
        con,
        """select period_start, statistical_forecast, bookings_amount, is_backtested,
            forecast_mape
        from marts.kpi_pipeline_forecast
        where scope = 'company' and period_grain = 'month'
        order by period_start""",
    )


def slippage_by_month(con: duckdb.DuckDBPyConnection) -> Rows:
    return rows(
        con,
        """select period_start, expected_count, pushed_count, slip_rate, coverage_at_start
        from marts.kpi_pipeline_periods
        where scope = 'company' and period_grain = 'month'
        order by period_start""",
    )


def stage_conversion(con: duckdb.DuckDBPyConnection, since: date) -> Rows:
    """Each stage's conversion and median days over the months since `since`, company-wide;
    the rate is recomputed from the summed parts."""
    return rows(
        con,
        """with conversion as (
            select stage, sum(stays_converted) as converted, sum(stays_moved_on) as moved_on
            from marts.kpi_stage_conversion
            where dimension = 'company' and entered_month >= ?
            group by stage
        ),
        velocity as (
            select stage, sum(median_days_in_stage * stays_completed) / sum(stays_completed)
                as typical_days
            from marts.kpi_stage_velocity
            where dimension = 'company' and left_month >= ?
            group by stage
        ),
        ordered as (
            select distinct stage, stage_order from marts.kpi_pipeline_snapshots
        )
        select conversion.stage, conversion.converted / nullif(conversion.moved_on, 0) as rate,
            velocity.typical_days
        from conversion
        left join velocity using (stage)
        left join ordered using (stage)
        order by ordered.stage_order nulls last, conversion.stage""",
        [since, since],
    )


def stalled(con: duckdb.DuckDBPyConnection, limit: int) -> Rows:
    return rows(
        con,
        """select opportunity_id, owner_user_id, stage, days_in_stage, p75_days_in_stage,
            pipeline_amount, expected_close_date
        from marts.kpi_stalled_opportunities
        order by days_in_stage - p75_days_in_stage desc, opportunity_id
        limit ?""",
        [limit],
    )


def comp_plans_delivered(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "select coalesce(bool_or(are_comp_plans_delivered), false) "
            "from marts.kpi_commission_expense"
        ).fetchone()[0]
    )


def pay_by_month(con: duckdb.DuckDBPyConnection) -> Rows:
    """The company's base pay and commission expense per month."""
    return rows(
        con,
        """select month, base_pay, commission_expense
        from marts.kpi_commission_expense
        where scope = 'company'
        order by month""",
    )


def pay_of_month(con: duckdb.DuckDBPyConnection, month: date) -> Rows:
    """Each rep's pay in the month, the best OTE attainment first."""
    return rows(
        con,
        """select user_id, base_pay, commission_earned, cap_adjustment, clawback,
            variable_pay, compensation, ote_attainment
        from marts.kpi_compensation_monthly
        where month = ?
        order by ote_attainment desc nulls last, user_id""",
        [month],
    )
