-- One row per month: company sales performance (docs/kpi-catalogue.md, Company and team).
-- The formulas are shared with kpi_team_monthly: see macros/sales_performance.sql.
{{ sales_performance(by_team=false) }}
