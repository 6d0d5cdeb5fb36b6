"""What the three benchmark scripts share around their measurements: signals, waiting for an idle
machine, number formatting and the report at the end."""

import json
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench_setup import cpu_busy_percent

Log = Callable[[str], None]


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """SIGTERM behaves like Ctrl-C, so that the scripts' finally blocks stop servers and clean up;
    SIGINT raises KeyboardInterrupt even when the script was started with it ignored."""
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def wait_until_idle(max_seconds: float, log: Log, threshold: float = 15.0) -> None:
    """Wait up to ``max_seconds`` for other work to leave the CPU (below ``threshold`` % busy)."""
    deadline = time.monotonic() + max_seconds
    while True:
        busy = cpu_busy_percent(3)
        if busy < threshold or time.monotonic() >= deadline:
            log(f"CPU {busy:.0f} % busy" + ("" if busy < threshold else f"; gave up waiting after {max_seconds:g} s"))
            return
        log(f"CPU {busy:.0f} % busy with other work; waiting")
        time.sleep(2)


def fmt(value: float | None, digits: int = 1, *, grouped: bool = True) -> str:
    """A figure for a markdown table; "–" for a missing one (None or NaN)."""
    if value is None or value != value:
        return "–"
    return f"{value:,.{digits}f}" if grouped else f"{value:.{digits}f}"


def verdict(ok: bool) -> str:
    return "pass" if ok else "**MISS**"


def finish(report: str, all_ok: bool, results: dict, *, json_path: Path | None, strict: bool, log: Log) -> int:
    """Print the report, write the JSON if asked, and return the exit status."""
    sys.stderr.flush()
    print("\n" + report + "\n", flush=True)
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, indent=2, default=str))
        log(f"wrote {json_path}")
    if not all_ok:
        log("some targets were missed" + ("" if strict else " (exit status 0 without --strict)"))
    return 1 if strict and not all_ok else 0
