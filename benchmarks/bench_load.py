"""Load generation against 127.0.0.1: sequential latency and concurrent throughput.

Latency: one keep-alive connection (http.client), requests one after the other.
Throughput: wrk when installed (a C load generator, cheap on a 2-core box), otherwise Python threads
each holding its own keep-alive http.client connection. Every loop is bounded in time and count.
"""

import http.client
import json
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# What a browser would send; GZipMiddleware and WhiteNoise compress for it.
HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "binakarya-bench/1"}
WRK_INSTALL_HINT = (
    "wrk is not installed; install it with `sudo apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`."
)


@dataclass(frozen=True)
class Target:
    """An endpoint to measure; ``paths`` are rotated so that per-row caches do not flatter."""

    label: str
    paths: tuple[str, ...]
    storefront: bool = False  # an HTML page whose transfer size is reported


@dataclass
class Latency:
    count: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    errors: int


@dataclass
class Throughput:
    requests: int
    seconds: float
    errors: int
    client: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class Client:
    """A keep-alive HTTP/1.1 client bound to one host:port; reconnects when the server closes."""

    def __init__(self, base_url: str, timeout: float = 10):
        parts = urlsplit(base_url)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("benchmarks only talk to the local machine")
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        for attempt in (1, 2):
            try:
                self.conn.request("GET", path, headers=headers or HEADERS)
                response = self.conn.getresponse()
                body = response.read()
                if response.will_close:
                    self.conn.close()
                return response.status, {k.lower(): v for k, v in response.getheaders()}, body
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: retry once on a new one.
                self.conn.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(pct / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def warm_up(base_url: str, target: Target, requests: int, connections: int = 4, max_seconds: float = 20) -> int:
    """``requests`` requests spread over ``connections`` parallel connections (so every worker warms up)."""
    deadline = time.monotonic() + max_seconds
    done = [0]
    lock = threading.Lock()

    def run(offset: int) -> None:
        client = Client(base_url)
        try:
            i = offset
            while time.monotonic() < deadline:
                with lock:
                    if done[0] >= requests:
                        return
                    done[0] += 1
                client.get(target.paths[i % len(target.paths)])
                i += connections
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max_seconds + 15)
    return done[0]


def measure_latency(base_url: str, target: Target, requests: int, max_seconds: float = 60) -> Latency:
    """Sequential requests on one keep-alive connection: time from sending to the last body byte."""
    client = Client(base_url)
    samples: list[float] = []
    errors = 0
    deadline = time.monotonic() + max_seconds
    try:
        for i in range(requests):
            if time.monotonic() > deadline:
                break
            path = target.paths[i % len(target.paths)]
            start = time.perf_counter()
            try:
                status, _headers, _body = client.get(path)
            except (OSError, http.client.HTTPException):
                errors += 1
                client.close()
                continue
            elapsed = (time.perf_counter() - start) * 1000
            if status != 200:
                errors += 1
            samples.append(elapsed)
    finally:
        client.close()
    samples.sort()
    return Latency(
        count=len(samples),
        p50_ms=percentile(samples, 50),
        p95_ms=percentile(samples, 95),
        mean_ms=statistics.fmean(samples) if samples else float("nan"),
        errors=errors,
    )


# Throughput -----------------------------------------------------------------------------------

WRK_SCRIPT = """
local paths = {%(paths)s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_JSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"connect\\": %%d, \\"read\\": %%d, " ..
    "\\"write\\": %%d, \\"status\\": %%d, \\"timeout\\": %%d}\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def wrk_path() -> str | None:
    return shutil.which("wrk")


def throughput_wrk(base_url: str, target: Target, *, concurrency: int, seconds: float, threads: int = 1) -> Throughput:
    """wrk with a Lua script that rotates over ``target.paths`` and reports a JSON summary."""
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError(WRK_INSTALL_HINT)
    paths = ", ".join(json.dumps(p) for p in target.paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="binakarya-bench-", delete=False) as f:
        f.write(WRK_SCRIPT % {"paths": paths})
        script = Path(f.name)
    header_args = [arg for k, v in HEADERS.items() for arg in ("-H", f"{k}: {v}")]
    cmd = [
        wrk,
        "-t",
        str(max(1, min(threads, concurrency))),
        "-c",
        str(concurrency),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        *header_args,
        base_url,
    ]
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30)
    finally:
        script.unlink(missing_ok=True)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if result.returncode or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Throughput(requests=data["requests"], seconds=data["duration_us"] / 1e6, errors=errors, client="wrk")


def throughput_python(
    base_url: str, target: Target, *, concurrency: int, seconds: float, max_requests: int = 500_000
) -> Throughput:
    """``concurrency`` threads, each with its own keep-alive connection, for ``seconds`` seconds."""
    counts = [0] * concurrency
    errors = [0] * concurrency
    start = time.perf_counter()
    deadline = start + seconds
    per_thread_cap = max_requests // concurrency

    def run(n: int) -> None:
        client = Client(base_url, timeout=5)
        i = n
        try:
            while counts[n] + errors[n] < per_thread_cap and time.perf_counter() < deadline:
                try:
                    status, _h, _b = client.get(target.paths[i % len(target.paths)])
                except (OSError, http.client.HTTPException):
                    errors[n] += 1
                    client.close()
                    continue
                if status == 200:
                    counts[n] += 1
                else:
                    errors[n] += 1
                i += concurrency
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 15)
    elapsed = time.perf_counter() - start
    return Throughput(requests=sum(counts) + sum(errors), seconds=elapsed, errors=sum(errors), client="python")
