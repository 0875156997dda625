"""The claim grammar (``claim.lark``) as Lark's LALR parser, loaded from tables made once.

Building the parser from the grammar (Lark's LALR analysis) cost every process a tenth of a second
of CPU or more, though the grammar changes only when someone edits it.  ``tools/build_grammar_tables.py``
runs Lark on the grammar once and writes its parse tables, Lark's own serialisation
(``Lark.memo_serialize``), as JSON to ``claim_tables.json``; each process reads them back with
``Lark.load``, which takes that data as a dictionary.  Neither pickle nor anything that runs code
reads the tables: ``json.loads`` turns them into dictionaries, lists, strings and numbers, and
Lark makes its own objects of those.

The tables are used only when they were made from this very grammar, with these options and this
version of Lark (its serialisation is its own, and may change between versions).  Otherwise the
parser is built from the grammar, as before: slower, never different.  Tables that match but do
not load are a bug, and raise.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from importlib import resources
from typing import Any

import lark
from lark import Lark
from lark.grammar import Rule
from lark.lexer import TerminalDef

from symw2v.errors import SymW2VError

GRAMMAR = "claim.lark"
TABLES = "claim_tables.json"
OPTIONS = {"parser": "lalr", "maybe_placeholders": False, "propagate_positions": True}

# JSON has no tuples and no integer keys, both of which Lark's tables hold: a tuple is written
# as {"__tuple__": [...]} and a key of digits (never a name in the tables) is read as an integer
_TUPLE = "__tuple__"
_SHIFT = 0  # an action in Lark's serialised parse table: (0, state to go to) or (1, rule to reduce)


def claim_parser() -> Lark:
    """The claim grammar's parser: from the shipped tables where they fit, else built anew."""
    grammar = _grammar()
    return load_tables(grammar) or build_parser(grammar)


def build_parser(grammar: str | None = None) -> Lark:
    """The parser built from ``grammar`` (default: the shipped ``claim.lark``), by Lark's analysis."""
    return Lark(_grammar() if grammar is None else grammar, **OPTIONS)


def load_tables(grammar: str | None = None) -> Lark | None:
    """The parser read from the shipped tables, or None where they were not made from ``grammar``
    (default: the shipped ``claim.lark``) with ``OPTIONS`` by the Lark installed here."""
    path = resources.files("symw2v").joinpath(TABLES)
    if not path.is_file():
        return None
    tables = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_decode_object)
    if tables["made_for"] != made_for(_grammar() if grammar is None else grammar):
        return None
    return Lark.load({"data": tables["data"], "memo": tables["memo"]})


def made_for(grammar: str) -> dict[str, Any]:
    """What tables must have been made from to be used: the grammar, the options, Lark's version."""
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()
    return {"grammar_sha256": digest, "options": dict(OPTIONS), "lark": lark.__version__}


def tables_text(grammar: str | None = None) -> str:
    """The tables file for ``grammar`` (default: the shipped ``claim.lark``): the same bytes for
    the same grammar and Lark.

    Raises ``SymW2VError`` where the tables would not read back exactly as Lark wrote them.
    """
    grammar = _grammar() if grammar is None else grammar
    data, memo = build_parser(grammar).memo_serialize([TerminalDef, Rule])
    data["parser"]["parser"] = _canonical(data["parser"]["parser"])
    tables = {"made_for": made_for(grammar), "data": data, "memo": memo}
    text = json.dumps(_encode(tables), ensure_ascii=False, separators=(",", ":")) + "\n"
    if json.loads(text, object_pairs_hook=_decode_object) != tables:
        raise SymW2VError("Lark's tables do not read back from JSON as written (keys of digits?)")
    return text


def _canonical(table: dict[str, Any]) -> dict[str, Any]:
    """Lark's parse table with its symbols numbered in sorted order and its states in the order a
    walk from the start meets them (symbols in sorted order): Lark numbers both in the order its
    analysis met them, which changes from run to run; the parser is the same."""
    names = table["tokens"]
    symbols = {name: number for number, name in enumerate(sorted(names.values()))}
    sorted_actions = {
        state: sorted(actions.items(), key=lambda item: names[item[0]])
        for state, actions in table["states"].items()
    }
    renumbered: dict[int, int] = {}
    queue = deque(table["start_states"][start] for start in sorted(table["start_states"]))
    while queue:
        state = queue.popleft()
        if state not in renumbered:
            renumbered[state] = len(renumbered)
            queue.extend(target for _, (action, target) in sorted_actions[state] if action == _SHIFT)
    if len(renumbered) != len(sorted_actions):
        raise SymW2VError("Lark's parse table has states that no shift reaches")
    states = {
        renumbered[state]: {
            symbols[names[symbol]]: (action, renumbered[target] if action == _SHIFT else target)
            for symbol, (action, target) in sorted_actions[state]
        }
        for state in sorted(sorted_actions, key=renumbered.__getitem__)
    }
    return {
        **table,
        "tokens": {number: name for name, number in symbols.items()},
        "states": states,
        "start_states": {start: renumbered[state] for start, state in table["start_states"].items()},
        "end_states": {start: renumbered[state] for start, state in table["end_states"].items()},
    }


def _grammar() -> str:
    return resources.files("symw2v").joinpath(GRAMMAR).read_text(encoding="utf-8")


def _encode(value: Any) -> Any:
    if isinstance(value, tuple):
        return {_TUPLE: [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    return value


def _decode_object(pairs: list[tuple[str, Any]]) -> Any:
    if len(pairs) == 1 and pairs[0][0] == _TUPLE:
        return tuple(pairs[0][1])
    return {int(key) if key.isascii() and key.isdigit() else key: value for key, value in pairs}
