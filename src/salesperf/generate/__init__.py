"""A deterministic, realistic CRM extract generator (docs/landing-contract.md, all 18 entities).

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
from pathlib import Path

import numpy as np

from salesperf.errors import UserError
from salesperf.generate.activities import _activities
from salesperf.generate.config import GeneratorConfig
from salesperf.generate.funnel import _handoffs, _leads, _opportunities
from salesperf.generate.org import _coaching, _org
from salesperf.generate.plans import _comp_plans, _contests, _costs, _fx_rates, _goals
from salesperf.generate.sink import Sink

__all__ = ["GeneratorConfig", "Sink", "generate"]


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
        if cfg.comp_plans:
            _comp_plans(cfg, org, sink)
        progress("writing batches")
        batches = sink.write_batches(out, cfg, rng)
        progress(f"wrote {len(batches)} batches to {out}")
        counts = dict(sink.counts)
        sink.con.close()
    return counts
