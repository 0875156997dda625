"""Screenshots of the HTML reports for the README (docs/screenshots/), taken with headless Chromium.

Each shot is a copy of a report cut down to the parts named (the page's header, a section by
its id), with every <details> open where asked; the reports themselves run no script.

    python tools/report_screenshots.py          # needs chromium; pngquant makes the files small
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
HOMEWORK = "examples/homework_cs224n.md"

# name -> (report, ids of the parts to keep ("header" is everything before the summary), open
# the <details>, window height)
SHOTS = {
    "homework.png": ("homework", ["header", "to-fix", "summary"], False, 720),
    "refuted.png": ("reports/negative_sampling.html", ["eq13"], False, 1020),
    "counterexample.png": ("homework", ["claim-f-iii-fc6d3dfb3e"], True, 1320),
}
# the test's copy of a page keeps the parts named and drops the rest
CUT = """<script>
const keep = new Set(%s), openDetails = %s;
const parts = [...document.body.children];
let header = true;
for (const part of parts) {
  if (part.id === "to-fix" || part.id === "summary") header = false;
  const kept = keep.has(part.id) || (header && keep.has("header"))
    || (part.tagName === "TABLE" && keep.has("summary") && part.previousElementSibling?.id === "summary");
  if (!kept) part.remove();
}
if (openDetails) document.querySelectorAll("details").forEach(d => { d.open = true; });
</script>"""


def _homework_report(folder: Path) -> Path:
    report = folder / "homework.html"
    command = [sys.executable, "-m", "symw2v", "check", HOMEWORK, "--report", str(report)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if not report.exists():  # exit code 1 is the refuted answer; no report is a failure
        raise SystemExit(f"symw2v check wrote no report:\n{done.stderr}")
    return report


def _shot(page: Path, keep: list[str], open_details: bool, height: int, target: Path, folder: Path) -> None:
    html = page.read_text(encoding="utf-8")
    cut = folder / f"cut-{target.stem}.html"
    script = CUT % (keep, "true" if open_details else "false")
    cut.write_text(html.replace("</body>", script + "</body>"), encoding="utf-8")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]
    subprocess.run(
        [
            browser,
            *flags,
            f"--user-data-dir={folder / 'profile'}",
            "--virtual-time-budget=2000",
            f"--screenshot={target}",
            f"--window-size=900,{height}",
            cut.as_uri(),
        ],
        capture_output=True,
        check=True,
    )
    if shutil.which("pngquant"):
        subprocess.run(["pngquant", "--force", "--skip-if-larger", "--output", str(target), str(target)])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        homework = _homework_report(folder)
        for name, (report, keep, open_details, height) in SHOTS.items():
            page = homework if report == "homework" else ROOT / report
            _shot(page, keep, open_details, height, OUT / name, folder)
            print(f"wrote {OUT / name} ({(OUT / name).stat().st_size} bytes)")


if __name__ == "__main__":
    main()
