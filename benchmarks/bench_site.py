"""Checker page benchmark: time to first verdict and per-claim time in the page (symw2v in
Pyodide, in headless Chromium) against the command line on the same claims.

Usage: python benchmarks/bench_site.py [--site DIR] [--repeat N] [--screenshots DIR]

1. Builds the site (``symw2v site``, cs224n profile) into a temporary folder unless --site is
   given, serves it on 127.0.0.1 and opens it in headless Chromium (no cache: a first visit).
2. Time to first verdict: from navigation to Python ready (Pyodide, the wheels, the imports),
   then the first claim's check.  Per-claim time: each claim checked in the page (as the page
   measures it: request to answer), best of N.
3. The same claims with the command line: ``symw2v check`` as a subprocess (whole process,
   best of N), and ``check_claim`` in process (the part comparable with the page's time).
With --screenshots, also writes the page's screenshots (site-loading, site-claim,
site-parse-error, site-document .png).  A measurement, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from symw2v.claim import Conventions, check_claim
from symw2v.site import build_site
from symw2v.site.browser import Chromium
from symw2v.sweep import DEFAULT
from symw2v.world import profile as profiles
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = (  # (what, loss, wrt, case, claim)
    (
        "eq. 13 (refuted)",
        "negative-sampling",
        "v_c",
        "",
        "-u_o (1 - sigma(u_o^T v_c)) - sum_k u_k (1 - sigma(u_k^T v_c))",
    ),
    ("eq. 14 (proved)", "negative-sampling", "u_o", "", "(sigma(u_o^T v_c) - 1) v_c"),
    ("softmax ∂J/∂v_c (proved)", "softmax", "v_c", "", "U (yhat - y)"),
    ("softmax ∂J/∂U as rows (refuted: shape)", "softmax", "U", "", "(yhat - y) v_c^T"),
    ("parse error", "softmax", "u_k", "", "(yhat - y)_k v_c +"),
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _fill(chromium: Chromium, loss: str, wrt: str, case: str, claim: str) -> None:
    values = json.dumps({"loss": loss, "wrt": wrt, "case": case, "claim": claim})
    chromium.evaluate(
        f"""(() => {{ const v = {values};
        document.getElementById('claim-result').replaceChildren();
        for (const name of ['loss', 'wrt', 'case']) document.getElementById(name).value = v[name];
        document.getElementById('wrt').dispatchEvent(new Event('change'));
        const box = document.getElementById('claim'); box.value = v.claim;
        box.dispatchEvent(new Event('input')); }})()"""
    )


def _check_in_page(chromium: Chromium, claim: tuple) -> tuple[str, float]:
    _fill(chromium, *claim[1:])
    chromium.evaluate("document.getElementById('check').click()")
    chromium.wait_for("!!document.querySelector('#claim-result [data-verdict]')", timeout=180)
    card = chromium.evaluate(
        "(() => { const c = document.querySelector('#claim-result [data-verdict]'); "
        "return [c.dataset.verdict, Number(c.dataset.ms)]; })()"
    )
    return card[0], card[1] / 1000


def _cli_process(claim: tuple) -> float:
    _, loss, wrt, case, text = claim
    command = [sys.executable, "-m", "symw2v", "check", "--profile", "cs224n", "--loss", loss, "--wrt", wrt]
    command += ["--case", case] if case else []
    started = time.perf_counter()
    subprocess.run([*command, "--", text], capture_output=True, check=False)
    return time.perf_counter() - started


def _cli_in_process(claim: tuple) -> float:
    _, loss_name, wrt, case, text = claim
    loss = named_loss(loss_name)
    cs224n = profiles.builtin()["cs224n"]
    conventions = Conventions(U=cs224n.U, y=cs224n.y, layout=cs224n.layout)
    started = time.perf_counter()
    check_claim(
        text, loss, wrt, Instance(V=5, d=3, K=3, o=2), conventions, time_limit_s=60, grid=DEFAULT, case=case
    )
    return time.perf_counter() - started


def _screenshots(chromium: Chromium, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _fill(chromium, *CLAIMS[0][1:])
    chromium.evaluate("document.getElementById('check').click()")
    chromium.wait_for("!!document.querySelector('#claim-result [data-verdict]')", timeout=180)
    chromium.screenshot(folder / "site-claim.png")
    _check_in_page(chromium, CLAIMS[4])
    chromium.wait_for("!!document.querySelector('#preview pre.error')", timeout=30)
    chromium.screenshot(folder / "site-parse-error.png")
    document = (ROOT / "examples" / "homework_cs224n.md").read_text(encoding="utf-8")
    chromium.evaluate(
        f"""(() => {{ document.getElementById('tab-document').click();
        document.getElementById('document').value = {json.dumps(document)};
        document.getElementById('check-document').click(); }})()"""
    )
    chromium.wait_for("!!document.querySelector('#document-result .summary')", timeout=300)
    chromium.evaluate("document.getElementById('document').rows = 8")
    chromium.screenshot(folder / "site-document.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a site built with `symw2v site` (default: build one)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N for each per-claim time")
    parser.add_argument("--screenshots", type=Path, help="also write the page's screenshots here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.site or Path(scratch) / "site"
        if args.site is None:
            started = time.perf_counter()
            summary = build_site(folder, profile="cs224n")
            seconds, mib = time.perf_counter() - started, 1024**2
            runtime, wheels = summary.size_of("pyodide/") / mib, summary.size_of("wheels/") / mib
            print(
                f"built {summary.total / mib:.1f} MiB in {seconds:.1f} s "
                f"(Pyodide {runtime:.1f} MiB, wheels {wheels:.1f} MiB)"
            )
        server, origin = _serve(folder)
        try:
            _measure(origin, args)
        finally:
            server.shutdown()


def _measure(origin: str, args) -> None:
    with Chromium() as chromium:
        started = time.perf_counter()
        chromium.goto(origin)
        if args.screenshots:
            time.sleep(3)
            chromium.screenshot(args.screenshots / "site-loading.png", full_page=False)
        chromium.wait_for("window.symw2vTimings && window.symw2vTimings.ready_s", timeout=300, every=0.1)
        ready = time.perf_counter() - started
        verdict, first = _check_in_page(chromium, CLAIMS[0])
        print(
            f"time to first verdict: {time.perf_counter() - started:.1f} s "
            f"(Python ready {ready:.1f} s, then the first check {first:.1f} s, {verdict})"
        )
        print()
        print(
            f"| claim | verdict | page: first, best of {args.repeat} | `check_claim` in process: first, best "
            f"| `symw2v check` process, best |"
        )
        print("|---|---|---|---|---|")
        for claim in CLAIMS:
            page = [_check_in_page(chromium, claim) for _ in range(args.repeat)]
            in_process = [_cli_in_process(claim) for _ in range(args.repeat)]
            process = min(_cli_process(claim) for _ in range(args.repeat))
            verdict, first = page[0]
            best = min(seconds for _, seconds in page)
            print(
                f"| {claim[0]} | {verdict} | {first:.2f} s, {best:.2f} s "
                f"| {in_process[0]:.2f} s, {min(in_process):.2f} s | {process:.2f} s |"
            )
        if args.screenshots:
            _screenshots(chromium, args.screenshots)
            print(f"\nscreenshots in {args.screenshots}")


if __name__ == "__main__":
    main()
