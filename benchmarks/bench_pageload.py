#!/usr/bin/env python3
"""Page load on a cheap phone, one command: `.venv/bin/python benchmarks/bench_pageload.py` (`make bench-pageload`).

1. Builds a throwaway site in a temporary directory: a SQLite database, `migrate`, the demo data
   with its placeholder photos (`manage.py load_demo`), and `collectstatic` (WhiteNoise, compressed
   and hashed files).
2. Starts gunicorn (binakarya.wsgi) on 127.0.0.1:<free port> with production settings
   (DEBUG=false, WhiteNoise static files; the app serves its own media, SERVE_MEDIA=true).
3. Opens `/`, `/katalog/` and one product page in Debian's Chromium through Playwright, each in a
   new browser context (cold cache, cache disabled), at 360x740 CSS pixels, device pixel ratio 2:
   - "Slow 3G": 400 ms latency, 400 kbit/s down and up (CDP Network.emulateNetworkConditions) and
     the CPU slowed down 4x (CDP Emulation.setCPUThrottlingRate);
   - "unthrottled", the reference: the same pages over loopback at full CPU speed.
   It records Largest Contentful Paint (a PerformanceObserver installed before the page's own
   scripts), the bytes transferred (the sum of CDP Network.loadingFinished encodedDataLength, until
   the network has been quiet for a second) and the number of requests.
4. Prints a markdown table (median of --runs loads) and stops gunicorn.

Targets, on Slow 3G: LCP <= 2.5 s and <= 120 KB transferred per page, images included.
Exit status is non-zero for a missed target only with --strict. See benchmarks/README.md.
"""

import argparse
import datetime
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import finish, fmt, stop_on_signals, verdict, wait_until_idle  # noqa: E402
from bench_setup import REPO, Gunicorn, machine_description, project_python, remove_tree  # noqa: E402

LCP_TARGET_S = 2.5
BYTES_TARGET_KB = 120.0
VIEWPORT = {"width": 360, "height": 740}
# As in tests/browser/conftest.py: headless Debian Chromium on a machine without network but loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Chrome DevTools' "Slow 3G": 400 ms added to every response, 400 kbit/s each way (CDP wants bytes/s).
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
CPU_SLOWDOWN = 4
QUIET_SECONDS = 1.0
# Runs before any of the page's scripts (an init script, which the page's CSP does not govern).
LCP_OBSERVER = """
window.__lcp = null;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const el = entry.element;
    window.__lcp = {
      time: entry.startTime,
      element: el ? el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "") : "",
      url: entry.url || "",
    };
  }
}).observe({type: "largest-contentful-paint", buffered: true});
"""


@dataclass(frozen=True)
class Profile:
    name: str
    network: dict[str, Any] | None
    cpu_rate: int
    targets: bool  # the targets apply to this profile


PROFILES = [
    Profile("Slow 3G, 4x CPU", SLOW_3G, CPU_SLOWDOWN, True),
    Profile("unthrottled", None, 1, False),
]


@dataclass
class Load:
    lcp_ms: float | None
    lcp_element: str
    bytes: int
    requests: int
    bytes_by_type: dict[str, int] = field(default_factory=dict)


def log(message: str) -> None:
    print(f"[bench-pageload] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=3, help="loads per page and profile; the table gives the median (3)")
    p.add_argument("--dpr", type=float, default=2.0, help="device pixel ratio of the phone (2)")
    p.add_argument("--product", default="", help="slug of the product page (default: the first demo product by name)")
    p.add_argument(
        "--src",
        type=Path,
        default=REPO,
        help="the project tree to serve (default: this one); e.g. an older checkout, to compare",
    )
    p.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), help="Chromium binary")
    p.add_argument("--no-reference", action="store_true", help="skip the unthrottled reference loads")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    p.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before measuring, wait up to SECONDS for other work to leave the CPU (< 15 %% busy)",
    )
    p.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    p.add_argument("--keep", action="store_true", help="keep the temporary site directory (its path is logged)")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = p.parse_args(argv)
    if not 1 <= args.runs <= 20:
        p.error("--runs must be 1-20")
    if not (args.src / "manage.py").is_file():
        p.error(f"--src {args.src} has no manage.py")
    return args


def site_env(root: Path) -> dict[str, str]:
    """Production settings on a throwaway SQLite site under ``root``; secrets are benchmark-only."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "SQLITE_TEST_PATH"):
        env.pop(name, None)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-secret-key-not-for-production-5c1d8e2a9f7b",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SQLITE_PATH": str(root / "db.sqlite3"),
            "STATIC_ROOT": str(root / "static"),
            "MEDIA_ROOT": str(root / "media"),
            # No front server here: the app serves the photos itself.
            "SERVE_MEDIA": "true",
            # Plain HTTP on loopback: no redirect to HTTPS, cookies not restricted to it.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def manage(src: Path, env: dict[str, str], *args: str) -> None:
    import subprocess

    result = subprocess.run(
        [project_python(), str(src / "manage.py"), *args], cwd=src, env=env, capture_output=True, text=True, timeout=900
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")


def build_site(src: Path, root: Path) -> dict[str, str]:
    env = site_env(root)
    started = time.monotonic()
    manage(src, env, "migrate", "--noinput")
    manage(src, env, "load_demo")  # with its placeholder photos: --no-photos would leave the pages without images
    manage(src, env, "collectstatic", "--noinput")
    log(f"site built in {root} in {time.monotonic() - started:.0f} s")
    return env


def default_product(db_path: Path) -> str:
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "SELECT slug FROM catalog_product WHERE is_published AND cover_thumbnail != '' ORDER BY name, id LIMIT 1"
        ).fetchone()
    if row is None:
        raise RuntimeError("the demo data has no published product with a photo")
    return str(row[0])


def measure(browser, base_url: str, path: str, profile: Profile, dpr: float) -> Load:
    """One cold load of ``path`` in a fresh context; bytes and requests until the network is quiet."""
    context = browser.new_context(
        base_url=base_url,
        viewport=VIEWPORT,
        device_scale_factor=dpr,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    try:
        context.add_init_script(LCP_OBSERVER)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if profile.network is not None:
            cdp.send("Network.emulateNetworkConditions", profile.network)
        if profile.cpu_rate > 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile.cpu_rate})

        types: dict[str, str] = {}
        inflight: set[str] = set()
        totals = {"bytes": 0, "requests": 0, "last": time.monotonic()}
        by_type: dict[str, int] = {}

        def sent(event: dict) -> None:
            if event["request"]["url"].startswith("data:"):
                return
            if event["requestId"] not in inflight:
                totals["requests"] += 1
            inflight.add(event["requestId"])
            types[event["requestId"]] = event.get("type", "Other")
            totals["last"] = time.monotonic()

        def finished(event: dict) -> None:
            request_id = event["requestId"]
            if request_id in inflight:
                inflight.discard(request_id)
                size = int(event.get("encodedDataLength", 0))
                totals["bytes"] += size
                kind = types.get(request_id, "Other")
                by_type[kind] = by_type.get(kind, 0) + size
            totals["last"] = time.monotonic()

        def failed(event: dict) -> None:
            inflight.discard(event["requestId"])
            totals["last"] = time.monotonic()

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.loadingFailed", failed)

        page.goto(path, wait_until="load", timeout=120_000)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (inflight or time.monotonic() - totals["last"] < QUIET_SECONDS):
            page.wait_for_timeout(100)
        lcp = page.evaluate("window.__lcp")
        return Load(
            lcp_ms=float(lcp["time"]) if lcp else None,
            lcp_element=(lcp["element"] + (f" {lcp['url'].rsplit('/', 1)[-1]}" if lcp and lcp["url"] else ""))
            if lcp
            else "",
            bytes=totals["bytes"],
            requests=totals["requests"],
            bytes_by_type=dict(sorted(by_type.items())),
        )
    finally:
        context.close()


def median_load(loads: list[Load]) -> dict[str, Any]:
    lcps = [x.lcp_ms for x in loads if x.lcp_ms is not None]
    middle = sorted(loads, key=lambda x: x.bytes)[len(loads) // 2]
    return {
        "lcp_ms": statistics.median(lcps) if lcps else None,
        "lcp_ms_all": [x.lcp_ms for x in loads],
        "lcp_element": loads[-1].lcp_element,
        "bytes": statistics.median(x.bytes for x in loads),
        "requests": statistics.median(x.requests for x in loads),
        "bytes_by_type": middle.bytes_by_type,
    }


def kb(value: float) -> float:
    return value / 1024


def render(results: dict) -> tuple[str, bool]:
    all_ok = True
    lines = [
        f"Page load on a 360x740 phone (DPR {results['dpr']:g}), cold cache, median of {results['runs']} loads; "
        f"targets on Slow 3G: LCP <= {LCP_TARGET_S:g} s, <= {BYTES_TARGET_KB:g} KB transferred.",
        "",
        "| Page | Network | LCP | LCP element | Transferred | Images | Requests | Target |",
        "|---|---|---:|---|---:|---:|---:|---|",
    ]
    for row in results["rows"]:
        image_bytes = row["bytes_by_type"].get("Image", 0)
        if row["targets"]:
            ok = (
                row["lcp_ms"] is not None
                and row["lcp_ms"] <= LCP_TARGET_S * 1000
                and kb(row["bytes"]) <= BYTES_TARGET_KB
            )
            all_ok &= ok
            mark = verdict(ok)
        else:
            mark = "(reference)"
        lcp = "–" if row["lcp_ms"] is None else f"{row['lcp_ms'] / 1000:.2f} s"
        lines.append(
            f"| `{row['label']}` | {row['profile']} | {lcp} | {row['lcp_element'] or '–'} | "
            f"{fmt(kb(row['bytes']))} KB | {fmt(kb(image_bytes))} KB | {row['requests']:g} | {mark} |"
        )
    lines += [
        "",
        f"Server: gunicorn, {results['workers']} workers, DEBUG=false, SQLite with the demo data; "
        f"Chromium {results['chromium_version']}; {results['machine']}; source {results['src']}.",
        "LCP of every load (ms): "
        + "; ".join(
            f"{r['label']} {r['profile']}: {', '.join('–' if v is None else f'{v:.0f}' for v in r['lcp_ms_all'])}"
            for r in results["rows"]
        ),
    ]
    return "\n".join(lines), all_ok


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    from playwright.sync_api import sync_playwright

    if not os.access(args.chromium, os.X_OK):
        log(f"Chromium not found at {args.chromium}; install Debian's chromium or pass --chromium")
        return 2
    src = args.src.resolve()
    root = Path(tempfile.mkdtemp(prefix="binakarya-pageload-"))
    try:
        env = build_site(src, root)
        slug = args.product or default_product(root / "db.sqlite3")
        pages = [("/", "/"), ("/katalog/", "/katalog/"), ("/produk/<slug>/", f"/produk/{slug}/")]
        profiles = [p for p in PROFILES if p.targets or not args.no_reference]
        if args.wait_idle:
            wait_until_idle(args.wait_idle, log)
        results: dict[str, Any] = {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine_description(),
            "python": platform.python_version(),
            "src": str(src),
            "product": slug,
            "runs": args.runs,
            "dpr": args.dpr,
            "workers": args.workers,
            "rows": [],
        }
        with Gunicorn(env=env, workers=args.workers, cwd=src) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS)
            results["chromium_version"] = browser.version
            try:
                for _label, path in pages:  # warm the server (templates, caches) before measuring
                    measure(browser, server.base_url, path, PROFILES[-1], args.dpr)
                for profile in profiles:
                    for label, path in pages:
                        loads = [measure(browser, server.base_url, path, profile, args.dpr) for _ in range(args.runs)]
                        row = {"label": label, "path": path, "profile": profile.name, "targets": profile.targets}
                        row |= median_load(loads)
                        results["rows"].append(row)
                        log(
                            f"{label} {profile.name}: LCP {row['lcp_ms']} ms, {kb(row['bytes']):.1f} KB, "
                            f"{row['requests']:g} requests"
                        )
            finally:
                browser.close()
        report, all_ok = render(results)
        return finish(report, all_ok, results, json_path=args.json, strict=args.strict, log=log)
    except KeyboardInterrupt:
        log("interrupted; gunicorn stopped")
        return 130
    finally:
        if args.keep:
            log(f"kept {root}")
        else:
            remove_tree(root)


if __name__ == "__main__":
    sys.exit(main())
