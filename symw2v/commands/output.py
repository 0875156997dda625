"""Where ``symw2v check`` writes: its output to standard output or ``-o FILE``, its reports
(``--report FILE.md|FILE.html``), and a document's results as text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from symw2v.errors import SymW2VError
from symw2v.files import check_writable, write_text
from symw2v.notebook import report_of
from symw2v.render import render_html, render_markdown, render_text
from symw2v.results import ClaimResult, ReportKind
from symw2v.world.losses import Loss

REPORT_SUFFIXES = (".md", ".html")


def output_format(args: argparse.Namespace) -> str:
    """The output format asked for: ``--json`` is ``--format json``."""
    return "json" if args.json else args.format


def emit(text: str, args: argparse.Namespace) -> None:
    """The command's output: to ``-o FILE``, whole (never half a file), or to standard output."""
    if args.output:
        write_text(args.output, text)
    else:
        print_safely(text)


def print_safely(text: str) -> None:
    """Write to standard output; a character it cannot encode is written as its escape.

    Only a lone surrogate (from a ``\\ud800`` in a batch line, or undecodable bytes in an
    argument) cannot be written as UTF-8; its escape is the one JSON itself uses, so JSON output
    stays exact.
    """
    encoding = sys.stdout.encoding or "utf-8"
    sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))


def check_outputs(args: argparse.Namespace) -> None:
    """Refuse an output file that cannot be written before the checks, not after them."""
    if args.report and Path(args.report).suffix not in REPORT_SUFFIXES:
        raise SymW2VError("--report takes a file name ending in .md or .html")
    for option, path in (("-o", args.output), ("--report", args.report)):
        if path:
            check_writable(path, option)


def write_report(
    target: str,
    title: str,
    results: list[ClaimResult],
    loss: Loss | None,
    instance,
    skipped=(),
    kind: ReportKind = ReportKind.CLAIM,
    source: str = "command line",
) -> None:
    """A report of checked claims; ``loss`` None when each claim names its own."""
    renderers = {".md": render_markdown, ".html": render_html}
    path = Path(target)
    report = report_of(results, title, loss, instance, skipped, kind, source)
    write_text(path, renderers[path.suffix](report))


def document_lines(path: Path, document) -> list[str]:
    """A document's results as text: each claim with its line, then the skipped ones."""
    results = document.claims
    lines = [f"{path.as_posix()}: {len(results)} equations checked, {len(document.skipped)} skipped"]
    lines += [f"  note: {note}" for note in document.notes]
    for index, result in enumerate(results):
        where = document.lines[index] if index < len(document.lines) else 0
        source = document.sources[index] if index < len(document.sources) else ""
        rendered = render_text(result, "  ")
        rendered[0] += f"  (line {where})" if where else ""
        if source:
            rendered.insert(1, f"    loss: {result.loss} ({source})")
        lines += rendered
    lines += [f"  {s.id} (line {s.line}): skipped: {s.reason}" for s in document.skipped]
    return lines
