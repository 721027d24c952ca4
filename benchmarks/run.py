"""`make bench SCALE=S|M|L`: the warehouse against its physical limit (B1) and a pandas
peer (B2) on the same generated files, plus an incremental daily refresh; one results row
per run appended to benchmarks/results/results.csv, a chart, and the README table.

Each stage runs in its own process (benchmarks/stages.py) so each peak RSS is its own.
Data is generated once per scale and seed and reused (benchmarks/data/, git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(BENCH))

from scheduled import scheduled_runs  # noqa: E402

# generator scale per named size: scale 1 (60 reps) is ~0.41 M activities
SCALES = {"tiny": 0.3, "S": 2.5, "M": 25.0, "L": 250.0}
B2_SCALES = {"tiny", "S", "M"}  # the pandas peer stops being a realistic choice beyond M
FIELDS = [
    "run_at", "scale", "generator_scale", "seed", "activities", "rows",
    "generate_s", "load_s", "raw_quality_s", "dbt_parse_s", "dbt_build3_s", "dbt_overhead3_s",
    "pipeline3_s",
    "dbt_build_s", "dbt_nodes_s", "dbt_busy_s", "dbt_overhead_s",
    "mart_quality_s", "publish_s", "pipeline_s", "end_to_end_s", "peak_rss_mb",
    "duckdb_file_mb", "rows_quarantined", "marts_pass",
    "b1_s", "b1_peak_rss_mb", "b1_equal", "b2_s", "b2_peak_rss_mb", "b2_equal",
    "pipeline3_over_b1", "b2_over_pipeline3", "pipeline_over_b1", "b2_over_pipeline",
    "delta_rows", "delta_share_of_activities", "delta_load_s", "incremental_build_s",
    "full_rebuild_s", "incremental_over_full", "incremental_equal", "incremental_peak_rss_mb",
    "scheduled_full_s", "scheduled_full_rss_mb", "scheduled_refresh_s",
    "scheduled_refresh_rss_mb", "scheduled_over_b1", "refresh_over_scheduled",
    "raw_gate_over_load", "scheduled_full_steps", "scheduled_refresh_steps",
    "memory_limit", "cpus", "memory_gb", "machine", "python", "duckdb", "dbt_core",
    "dbt_duckdb", "pandas", "notes",
]  # fmt: skip


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_stage(stage: str, args: argparse.Namespace, landing: Path, work: Path) -> dict:
    """Run one stage in a child process; its JSON result plus its peak RSS (MB)."""
    command = [sys.executable, str(BENCH / "stages.py"), stage, "--landing", str(landing)]
    command += ["--work", str(work), "--scale", str(SCALES[args.scale]), "--seed", str(args.seed)]
    command += ["--memory-limit", args.memory_limit]
    if args.skip_raw_quality:
        command.append("--skip-raw-quality")
    say(f"{stage} ...")
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=PROJECT)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"benchmark stage {stage} failed (exit {child.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # Linux reports KB
    say(f"{stage}: {result}")
    return result


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {
        "python": platform.python_version(),
        "duckdb": version("duckdb"),
        "dbt_core": version("dbt-core"),
        "dbt_duckdb": version("dbt-duckdb"),
        "pandas": version("pandas"),
    }


def machine() -> dict[str, object]:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(pages / 2**30, 1),
        "machine": f"{platform.system()} {platform.machine()} {platform.processor()}".strip(),
    }


def bench(args: argparse.Namespace) -> dict:
    data = args.data / f"{args.scale}-seed{args.seed}"
    landing = data / "landing"
    marker = data / "generated.json"
    if marker.exists():
        generated = json.loads(marker.read_text())
        say(f"reusing the {args.scale} data in {landing}")
    else:
        generated = run_stage("generate", args, landing, data)
        marker.write_text(json.dumps(generated))
    work = args.work / args.scale
    row: dict[str, object] = {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "generator_scale": SCALES[args.scale],
        "seed": args.seed,
        "memory_limit": args.memory_limit,
        **{k: generated[k] for k in ("activities", "rows", "generate_s")},
        **machine(),
        **versions(),
    }
    pipeline = run_stage("pipeline", args, landing, work)
    row.update({k: v for k, v in pipeline.items() if k in FIELDS})
    row["pipeline_s"] = round(pipeline["load_s"] + pipeline["dbt_build_s"], 3)
    row["pipeline3_s"] = round(pipeline["load_s"] + pipeline["dbt_build3_s"], 3)
    row["end_to_end_s"] = round(
        sum(
            pipeline[k] or 0
            for k in ("load_s", "raw_quality_s", "dbt_build_s", "mart_quality_s", "publish_s")
        ),
        3,
    )
    notes = []
    b1 = run_stage("b1", args, landing, work)
    row.update(b1_s=b1["b1_s"], b1_equal=b1["b1_equal"], b1_peak_rss_mb=b1["peak_rss_mb"])
    if b1["b1_equal"]:
        row["pipeline_over_b1"] = round(row["pipeline_s"] / b1["b1_s"], 2)  # type: ignore[operator]
        row["pipeline3_over_b1"] = round(row["pipeline3_s"] / b1["b1_s"], 2)  # type: ignore[operator]
    else:
        notes.append(f"B1 differs from the warehouse, timing void: {b1['b1_diffs']}")
    if args.scale in B2_SCALES and not args.skip_b2:
        b2 = run_stage("b2", args, landing, work)
        row.update(b2_s=b2["b2_s"], b2_equal=b2["b2_equal"], b2_peak_rss_mb=b2["peak_rss_mb"])
        if b2["b2_equal"]:
            row["b2_over_pipeline"] = round(b2["b2_s"] / row["pipeline_s"], 2)  # type: ignore[operator]
            row["b2_over_pipeline3"] = round(b2["b2_s"] / row["pipeline3_s"], 2)  # type: ignore[operator]
        else:
            notes.append(f"B2 differs from the warehouse, timing void: {b2['b2_diffs']}")
    if not args.skip_incremental:
        inc = run_stage("incremental", args, landing, work)
        row.update({k: v for k, v in inc.items() if k in FIELDS and k != "peak_rss_mb"})
        row["incremental_peak_rss_mb"] = inc["peak_rss_mb"]
        row["incremental_over_full"] = round(inc["incremental_build_s"] / inc["full_rebuild_s"], 3)
        if not inc["incremental_equal"]:
            notes.append(f"incremental differs from a full rebuild: {inc['incremental_differs']}")
    if pipeline.get("raw_quality_s"):
        row["raw_gate_over_load"] = round(pipeline["raw_quality_s"] / pipeline["load_s"], 3)
    if not args.skip_scheduled:
        say("scheduled run (salesperf run), then the daily refresh ...")
        batches = sorted(p for p in landing.iterdir() if p.is_dir())
        scheduled = scheduled_runs(batches, work / "scheduled", args.memory_limit)
        say(f"scheduled: {scheduled}")
        row.update(scheduled)
        row["scheduled_over_b1"] = round(scheduled["scheduled_full_s"] / b1["b1_s"], 2)
        row["refresh_over_scheduled"] = round(
            scheduled["scheduled_refresh_s"] / scheduled["scheduled_full_s"], 3
        )
    row["notes"] = "; ".join(notes)
    if not args.keep_work:
        shutil.rmtree(work, ignore_errors=True)
    return row


def append(results: Path, row: dict) -> None:
    """Append one run; when the columns changed since earlier runs, rewrite the file with
    the new header (older rows keep their values, new columns empty)."""
    results.parent.mkdir(parents=True, exist_ok=True)
    old: list[dict] = []
    rewrite = not results.exists()
    if results.exists():
        with results.open(newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != FIELDS:
                old, rewrite = list(reader), True
    if rewrite:
        with results.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIELDS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(old)
    with results.open("a", newline="") as handle:
        csv.DictWriter(handle, fieldnames=FIELDS).writerow({k: row.get(k, "") for k in FIELDS})


def latest_per_scale(results: Path, measured: str | None = None) -> list[dict]:
    """The newest row of each scale; with `measured`, the newest that has that column (a run
    with --skip-scheduled leaves the scheduled table to the last run that measured it)."""
    with results.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    latest: dict[str, dict] = {}
    for r in rows:
        if measured is None or r.get(measured):
            latest[r["scale"]] = r
    order = list(SCALES)
    return sorted(
        latest.values(), key=lambda r: order.index(r["scale"]) if r["scale"] in order else 99
    )


def chart(results: Path, png: Path) -> None:
    """One panel per scale (linear seconds): the warehouse's stages stacked, the scheduled
    run and its daily refresh end to end, then B1 and B2."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = latest_per_scale(results)
    stages = ["load_s", "raw_quality_s", "dbt_build_s", "mart_quality_s", "publish_s"]
    colors = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3"]
    fig, axes = plt.subplots(1, len(rows), figsize=(4.5 * len(rows), 4.5), squeeze=False)
    for ax, r in zip(axes[0], rows, strict=True):
        bottom = 0.0
        for stage, color in zip(stages, colors, strict=True):
            value = float(r[stage] or 0)
            ax.bar("warehouse", value, bottom=bottom, color=color, label=stage[:-2])
            bottom += value
        ax.bar(
            "scheduled",
            float(r.get("scheduled_full_s") or 0),
            color="#64b5cd",
            label="scheduled run (salesperf run)",
        )
        ax.bar(
            "refresh",
            float(r.get("scheduled_refresh_s") or 0),
            color="#8c8c8c",
            label="daily refresh (salesperf run)",
        )
        ax.bar("B1 SQL", float(r["b1_s"] or 0), color="#937860", label="B1 hand SQL")
        ax.bar("B2 pandas", float(r["b2_s"] or 0), color="#da8bc3", label="B2 pandas")
        ax.set_title(f"{r['scale']}: {int(r['activities']) / 1e6:.1f} M activities")
        ax.tick_params(axis="x", labelrotation=30)
        ax.set_ylabel("seconds")
    axes[0][0].legend(fontsize=8)
    fig.suptitle("Stage times by scale (same run, same files)")
    fig.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=110)


def _seconds(row: dict, key: str) -> str:
    return f"{float(row[key]):.1f} s" if row.get(key) else "-"


def _ratio(row: dict, key: str, percent: bool = False) -> str:
    if not row.get(key):
        return "void" if key == "pipeline_over_b1" else "-"
    return f"{float(row[key]):.1%}" if percent else f"{float(row[key]):.2f}x"


def readme_table(results: Path, readme: Path) -> None:
    rows = latest_per_scale(results)
    lines = [
        "| scale | activities | load | dbt parse | dbt build, 3 marts (overhead) | dbt build, all "
        "(overhead) | GX raw + marts | publish | pipeline, 3 marts = load + build | B1 "
        "| ÷ B1 (3 marts / all) | B2 | B2 ÷ pipeline (3 marts / all) "
        "| incremental ÷ full rebuild | peak RSS | DuckDB file |",
        "|" + "---|" * 16,
    ]
    # a run with --skip-incremental leaves the column to the last run that measured it
    incremental = {r["scale"]: r for r in latest_per_scale(results, "incremental_over_full")}
    for r in rows:
        raw = f"{float(r['raw_quality_s']):.1f}" if r.get("raw_quality_s") else "not run"
        quality = raw, float(r["mart_quality_s"])
        lines.append(
            " | ".join(
                [
                    f"| {r['scale']}",
                    f"{int(r['activities']):,}",
                    _seconds(r, "load_s"),
                    _seconds(r, "dbt_parse_s"),
                    f"{_seconds(r, 'dbt_build3_s')} ({_seconds(r, 'dbt_overhead3_s')})",
                    f"{_seconds(r, 'dbt_build_s')} ({_seconds(r, 'dbt_overhead_s')})",
                    f"{quality[0]} + {quality[1]:.1f} s",
                    _seconds(r, "publish_s"),
                    _seconds(r, "pipeline3_s"),
                    _seconds(r, "b1_s"),
                    f"{_ratio(r, 'pipeline3_over_b1')} / {_ratio(r, 'pipeline_over_b1')}",
                    _seconds(r, "b2_s"),
                    f"{_ratio(r, 'b2_over_pipeline3')} / {_ratio(r, 'b2_over_pipeline')}",
                    _ratio(incremental.get(r["scale"], r), "incremental_over_full", percent=True),
                    f"{float(r['peak_rss_mb']) / 1024:.2f} GB",
                    f"{float(r['duckdb_file_mb']) / 1024:.2f} GB |",
                ]
            )
        )
    lines += [
        "",
        "What a scheduled run costs (`salesperf run`, Dagster's job in-process, on every batch "
        "but the last; then the daily refresh when the last batch lands; peak RSS of the "
        "whole process tree):",
        "",
        "| scale | scheduled run, full | ÷ B1 | peak RSS | daily refresh | ÷ full run | peak RSS "
        "| raw gate ÷ load | publish ÷ full run |",
        "|" + "---|" * 9,
    ]
    scheduled_rows = latest_per_scale(results, "scheduled_full_s")
    for r in scheduled_rows:
        publish_share = float(r["publish_s"]) / float(r["scheduled_full_s"])
        lines.append(
            " | ".join(
                [
                    f"| {r['scale']}",
                    _seconds(r, "scheduled_full_s"),
                    _ratio(r, "scheduled_over_b1"),
                    f"{float(r['scheduled_full_rss_mb']) / 1024:.2f} GB",
                    _seconds(r, "scheduled_refresh_s"),
                    _ratio(r, "refresh_over_scheduled", percent=True),
                    f"{float(r['scheduled_refresh_rss_mb']) / 1024:.2f} GB",
                    _ratio(r, "raw_gate_over_load"),
                    f"{publish_share:.1%} |",
                ]
            )
        )
    steps = [r for r in scheduled_rows if r.get("scheduled_full_steps")]
    if steps:
        lines += [
            "",
            "Where the scheduled runs' time goes (seconds per Dagster step; "
            "`outside`: process start, imports, run setup, the closing report):",
            "",
        ]
        lines += [
            f"- {r['scale']} ({r['run_at'][:10]}), full: `{r['scheduled_full_steps']}`; "
            f"refresh: `{r['scheduled_refresh_steps']}`"
            for r in steps
        ]
    last = rows[-1]
    lines.append(
        f"\nLatest run per scale, from `results/results.csv` ({last['cpus']} CPUs, "
        f"{last['memory_gb']} GB RAM, DuckDB memory limit {last['memory_limit']}, "
        f"duckdb {last['duckdb']}, dbt-core {last['dbt_core']}, pandas {last['pandas']})."
    )
    text = readme.read_text()
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    readme.write_text(f"{before}{start}\n" + "\n".join(lines) + f"\n{end}{after}")


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--scale", choices=SCALES, default="S")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--memory-limit", default="4GB", help="DuckDB memory limit (spills beyond)")
    p.add_argument("--data", type=Path, default=BENCH / "data", help="generated data, reused")
    p.add_argument("--work", type=Path, default=BENCH / "work", help="warehouses (deleted after)")
    p.add_argument("--results", type=Path, default=BENCH / "results")
    p.add_argument("--readme", type=Path, default=BENCH / "README.md")
    p.add_argument("--skip-b2", action="store_true")
    p.add_argument("--skip-incremental", action="store_true")
    p.add_argument(
        "--skip-raw-quality",
        action="store_true",
        help="leave out the raw GX suites in the pipeline stage",
    )
    p.add_argument(
        "--skip-scheduled", action="store_true", help="leave out the `salesperf run` measurement"
    )
    p.add_argument("--keep-work", action="store_true")
    args = p.parse_args()
    row = bench(args)
    csv_path = args.results / "results.csv"
    append(csv_path, row)
    chart(csv_path, args.results / "stage_times.png")
    if args.readme.exists():
        readme_table(csv_path, args.readme)
    say(f"results appended to {csv_path}")
    if row["notes"]:
        say(f"NOTE: {row['notes']}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
