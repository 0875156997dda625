"""Write the claim grammar's parse tables, ``symw2v/claim_tables.json``, from ``symw2v/claim.lark``.

Run after every change to the grammar (a test fails while the tables are stale)::

    python tools/build_grammar_tables.py          # write the tables
    python tools/build_grammar_tables.py --check  # exit 1 where they are stale

The tables are Lark's own serialisation of its LALR analysis, as JSON; ``symw2v.grammar`` reads
them back in every process instead of redoing the analysis.  They depend on the installed
version of Lark: made with another, they are ignored (the parser is built from the grammar).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from symw2v.files import write_text
from symw2v.grammar import TABLES, tables_text

COMMAND = "tools/build_grammar_tables.py"
OUT = Path(__file__).resolve().parent.parent / "symw2v" / TABLES


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the tables are stale")
    args = parser.parse_args()
    text = tables_text(OUT.with_name("claim.lark").read_text(encoding="utf-8"))
    current = OUT.read_text(encoding="utf-8") if OUT.is_file() else None
    if args.check:
        print(f"{OUT.name}: {'up to date' if current == text else f'stale: run python {COMMAND}'}")
        return 0 if current == text else 1
    if current != text:
        write_text(OUT, text)
    print(f"{OUT.name}: {'written' if current != text else 'already up to date'} ({len(text)} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
