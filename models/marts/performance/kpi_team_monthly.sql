-- One row per team per month: team sales performance (docs/kpi-catalogue.md, Company and team).
-- The formulas are shared with kpi_company_monthly: see macros/sales_performance.sql.
{{ sales_performance(by_team=true) }}
