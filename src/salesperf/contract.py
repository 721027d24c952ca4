"""The landing contract of docs/landing-contract.md, as data.

The generator writes it, the loader enforces it, and the dbt sources mirror it.
Changing a column here is changing the contract: update docs/landing-contract.md in the same commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Logical types and the DuckDB type each is stored as in raw.<entity>.
SQL_TYPES: dict[str, str] = {
    "id": "VARCHAR",
    "text": "VARCHAR",
    "int": "BIGINT",
    "money": "DECIMAL(18, 2)",
    "rate": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
    # ISO-8601, stored as a naive UTC timestamp (an offset-less value is UTC already)
    "timestamp": "TIMESTAMP",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    required: bool = False
    enum: tuple[str, ...] | None = None
    # how a value is normalised before the enum check: "lower", "upper" or None
    case: str | None = None
    # the moment something happened: a value after the batch's delivery is a clock error
    event: bool = False
    # inclusive (low, high) a number must lie in, e.g. a probability
    bounds: tuple[float, float] | None = None


@dataclass(frozen=True)
class Entity:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """Contract columns plus the two every entity carries."""
        return (
            *self.columns,
            Column("updated_at", "timestamp", required=True, event=True),
            Column("is_deleted", "bool"),
        )

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.all_columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.all_columns if c.name == name)


def _ids(*names: str, required: bool = False) -> tuple[Column, ...]:
    return tuple(Column(n, "id", required=required) for n in names)


ROLES = ("SDR", "AE", "AM", "MANAGER")
LEAD_STATUSES = ("new", "working", "sent", "converted", "disqualified")
ACTIVITY_TYPES = ("call", "email", "meeting")
DECISIONS = ("pending", "accepted", "rejected")
OPPORTUNITY_TYPES = ("new_business", "upsell", "renewal")
GOAL_SCOPES = ("user", "team", "company")
GRAINS = ("day", "week", "month", "quarter", "year")
CONTEST_SCOPES = ("role", "team")
FORECAST_CATEGORIES = ("commit", "best_case", "pipeline", "omitted", "closed")
# a submitted forecast names what the rep calls: omitted and closed are no calls
SUBMISSION_CATEGORIES = ("commit", "best_case", "pipeline")
FORECAST_GRAINS = ("month", "quarter")
PLAN_GRAINS = ("month", "quarter")
# a share of an amount paid as commission: 0-1
COMMISSION_RATE = (0.0, 1.0)

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity(
            "users",
            ("user_id",),
            (
                Column("user_id", "id", required=True),
                Column("full_name", required=True),
                Column("email"),
                Column("role", required=True, enum=ROLES, case="upper"),
                *_ids("team_id", "manager_id"),
                Column("hire_date", "date"),
                Column("termination_date", "date"),
            ),
        ),
        Entity(
            "teams",
            ("team_id",),
            (
                Column("team_id", "id", required=True),
                Column("team_name", required=True),
                Column("region"),
                Column("manager_id", "id"),
            ),
        ),
        Entity(
            "accounts",
            ("account_id",),
            (
                Column("account_id", "id", required=True),
                Column("account_name", required=True),
                Column("industry"),
                Column("employee_count", "int"),
                Column("country"),
                Column("owner_id", "id"),
                Column("created_at", "timestamp", event=True),
            ),
        ),
        Entity(
            "leads",
            ("lead_id",),
            (
                Column("lead_id", "id", required=True),
                Column("created_at", "timestamp", required=True, event=True),
                Column("owner_id", "id"),
                # free text: lower-cased on load, empty becomes 'unknown' (no enum)
                Column("source", case="lower"),
                Column("company_name"),
                Column("email"),
                Column("phone"),
                Column("industry"),
                Column("employee_count", "int"),
                Column("budget_confirmed", "bool"),
                Column("authority_confirmed", "bool"),
                Column("need_confirmed", "bool"),
                Column("timing_confirmed", "bool"),
                Column("status", enum=LEAD_STATUSES, case="lower"),
                Column("account_id", "id"),
            ),
        ),
        Entity(
            "activities",
            ("activity_id",),
            (
                Column("activity_id", "id", required=True),
                Column("owner_id", "id", required=True),
                Column("activity_type", required=True, enum=ACTIVITY_TYPES, case="lower"),
                Column("occurred_at", "timestamp", required=True, event=True),
                Column("duration_seconds", "int"),
                Column("outcome"),
                *_ids("lead_id", "opportunity_id", "account_id"),
            ),
        ),
        Entity(
            "lead_handoffs",
            ("handoff_id",),
            (
                *_ids("handoff_id", "lead_id", "sdr_id", "ae_id", required=True),
                Column("sent_at", "timestamp", required=True, event=True),
                Column("decision", enum=DECISIONS, case="lower"),
                Column("decided_at", "timestamp", event=True),
                Column("rejection_reason"),
                Column("feedback"),
                Column("opportunity_id", "id"),
            ),
        ),
        Entity(
            "opportunities",
            ("opportunity_id",),
            (
                Column("opportunity_id", "id", required=True),
                Column("account_id", "id"),
                Column("owner_id", "id", required=True),
                Column("opportunity_type", required=True, enum=OPPORTUNITY_TYPES, case="lower"),
                Column("stage", required=True),
                Column("amount", "money"),
                Column("currency", case="upper"),
                Column("created_at", "timestamp", required=True, event=True),
                Column("close_date", "date"),
                Column("is_closed", "bool", required=True),
                Column("is_won", "bool", required=True),
                Column("loss_reason"),
                *_ids("lead_id", "handoff_id"),
                # optional: the CRM's own win probability (0-1) and forecast category;
                # when absent the stage_probabilities seed maps them from the stage
                Column("probability", "rate", bounds=(0.0, 1.0)),
                Column("forecast_category", enum=FORECAST_CATEGORIES, case="lower"),
            ),
        ),
        Entity(
            "opportunity_stage_history",
            ("opportunity_id", "entered_at"),
            (
                Column("opportunity_id", "id", required=True),
                Column("entered_at", "timestamp", required=True, event=True),
                Column("stage", required=True),
            ),
        ),
        Entity(
            "contracts",
            ("contract_id",),
            (
                *_ids("contract_id", "account_id", required=True),
                Column("opportunity_id", "id"),
                Column("start_date", "date", required=True),
                Column("end_date", "date"),
                Column("annual_value", "money", required=True),
                Column("currency", case="upper"),
            ),
        ),
        Entity(
            "goals",
            ("goal_id",),
            (
                Column("goal_id", "id", required=True),
                Column("scope", required=True, enum=GOAL_SCOPES, case="lower"),
                Column("scope_id", "id"),
                Column("metric", required=True, case="lower"),
                Column("grain", required=True, enum=GRAINS, case="lower"),
                Column("period_start", "date", required=True),
                Column("target", "money", required=True),
            ),
        ),
        Entity(
            "costs",
            ("cost_id",),
            (
                Column("cost_id", "id", required=True),
                Column("month", "date", required=True),
                # open list: sales and marketing feed CAC, anything else is kept
                Column("category", required=True, case="lower"),
                Column("amount", "money", required=True),
                Column("currency", case="upper"),
            ),
        ),
        Entity(
            "coaching_sessions",
            ("session_id",),
            (
                *_ids("session_id", "coach_id", "coachee_id", required=True),
                Column("occurred_at", "timestamp", required=True, event=True),
                Column("duration_minutes", "int"),
                Column("topic"),
                Column("target_metric", case="lower"),
            ),
        ),
        Entity(
            "contests",
            ("contest_id",),
            (
                Column("contest_id", "id", required=True),
                Column("contest_name", required=True),
                Column("metric", required=True, case="lower"),
                Column("scope", required=True, enum=CONTEST_SCOPES, case="lower"),
                Column("scope_value", required=True),
                Column("start_date", "date", required=True),
                Column("end_date", "date", required=True),
            ),
        ),
        Entity(
            "fx_rates",
            ("currency", "rate_date"),
            (
                Column("currency", required=True, case="upper"),
                Column("rate_date", "date", required=True),
                Column("rate_to_reporting", "rate", required=True),
            ),
        ),
        Entity(
            "forecast_submissions",
            ("submission_id",),
            (
                *_ids("submission_id", "user_id", required=True),
                Column("period_start", "date", required=True),
                Column("grain", required=True, enum=FORECAST_GRAINS, case="lower"),
                Column("category", required=True, enum=SUBMISSION_CATEGORIES, case="lower"),
                Column("amount", "money", required=True),
                Column("currency", case="upper"),
                Column("submitted_at", "timestamp", required=True, event=True),
            ),
        ),
        Entity(
            "comp_plans",
            ("plan_id",),
            (
                *_ids("plan_id", required=True),
                Column("plan_name", required=True),
                Column("role", required=True, enum=ROLES, case="upper"),
                Column("period_grain", required=True, enum=PLAN_GRAINS, case="lower"),
                # pay per plan period (a month or a quarter), in the plan's currency
                Column("base_salary", "money"),
                Column("target_variable", "money"),
                Column("currency", case="upper"),
                Column("commission_rate", "rate", bounds=COMMISSION_RATE),
                Column("cap_amount", "money"),
                Column("per_accepted_handoff", "money"),
                Column("sourced_won_rate", "rate", bounds=COMMISSION_RATE),
                Column("expansion_rate", "rate", bounds=COMMISSION_RATE),
                Column("renewal_rate", "rate", bounds=COMMISSION_RATE),
                Column("manager_override_rate", "rate", bounds=COMMISSION_RATE),
                Column("clawback_days", "int"),
            ),
        ),
        Entity(
            "comp_plan_tiers",
            ("plan_id", "from_attainment"),
            (
                *_ids("plan_id", required=True),
                # from this attainment (1.0 = 100 %) up to the next tier's
                Column("from_attainment", "rate", required=True),
                Column("rate_multiplier", "rate", required=True),
            ),
        ),
        Entity(
            "comp_plan_assignments",
            ("assignment_id",),
            (
                *_ids("assignment_id", "user_id", "plan_id", required=True),
                Column("start_date", "date", required=True),
                Column("end_date", "date"),
            ),
        ),
    )
}

# extract file kinds, longest first: an entity's name is the file name without it
FILE_SUFFIXES = (".csv.gz", ".csv", ".parquet")
# A batch folder is complete (ready to load) when this marker file exists in it.
BATCH_COMPLETE_MARKER = "_SUCCESS"
# The generator marks its batches: a warehouse holds the sample or real extracts, never both.
SAMPLE_MARKER = "_SAMPLE"
