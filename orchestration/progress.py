"""One line per finished step on stderr, for `salesperf run`: what a person at a terminal
wants to see while the pipeline works (the full logs stay in Dagster and in files)."""

from __future__ import annotations

import logging
import sys

import dagster as dg


class _StepLines(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        if event is None or event.event_type_value not in ("STEP_SUCCESS", "STEP_FAILURE"):
            return
        seconds = getattr(event.event_specific_data, "duration_ms", None)
        took = f"{seconds / 1000:6.1f}s" if seconds is not None else "       "
        status = "done" if event.event_type_value == "STEP_SUCCESS" else "FAILED"
        sys.stderr.write(f"  {event.step_key:<28} {took}  {status}\n")
        sys.stderr.flush()


@dg.logger(description="One line per finished step (name, seconds, status) on stderr.")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("salesperf.progress")
    logger.setLevel(logging.DEBUG)
    logger.handlers = [_StepLines()]
    logger.propagate = False
    return logger
