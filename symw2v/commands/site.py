"""``symw2v site``: build the checker page, a static site that runs symw2v in the browser."""

from __future__ import annotations

import argparse
from pathlib import Path

from symw2v.site.pyodide import VERSION
from symw2v.world import profile as profiles

HELP = f"""\
Build a static checker page into DIR: the page, its script and styles, the Pyodide {VERSION}
runtime (fetched once with npm and verified) and the wheels symw2v needs there (fetched once
with pip). Students paste a gradient or a whole document; symw2v checks it in their browser,
with the same verdicts and words as `symw2v check`, and nothing they type leaves the page.

  symw2v site public/ --profile cs224n
  python -m http.server -d public/      (or copy public/ to any static host)
"""


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "site",
        help="build the static checker page (runs symw2v in the browser)",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("folder", metavar="DIR", help="the folder to write the site into")
    parser.add_argument(
        "--profile",
        choices=sorted(profiles.builtin()),
        help="the course conventions the page starts with (a student may change them there)",
    )
    parser.add_argument(
        "--pyodide",
        metavar="DIR|TGZ",
        type=Path,
        help=f"a local Pyodide {VERSION}: its npm tarball (verified) or an unpacked distribution",
    )
    parser.add_argument(
        "--cache", metavar="DIR", type=Path, help="where downloads are kept (default ~/.cache/symw2v)"
    )
    parser.add_argument(
        "--source-wheels",
        action="store_true",
        help="ship the wheels as source, not compiled to bytecode with Node.js (the page starts slower)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from symw2v.site.build import build_site  # the page's renderer, only for this command

    summary = build_site(
        args.folder, args.profile, runtime=args.pyodide, cache=args.cache, compile=not args.source_wheels
    )
    mib = 1024**2
    print(f"{summary.folder}: {len(summary.files)} files, {summary.total / mib:.1f} MiB")
    runtime, wheels = summary.size_of("pyodide/") / mib, summary.size_of("wheels/") / mib
    form = "bytecode" if summary.compiled else "source"
    print(f"  Pyodide runtime {runtime:.1f} MiB, wheels {wheels:.1f} MiB ({form})")
    print(f"serve it: python -m http.server -d {summary.folder} (or copy the folder to any static host)")
    return 0
