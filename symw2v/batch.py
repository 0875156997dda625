"""Check a class's worth of claims: one JSON object per line in, one result per line out.

Each line is checked on its own (a bad line gets a ``parse-error`` result, not a crash) in a
worker process with a time and a memory limit (``isolate.py``): a line that runs out of either
is ``undecided``, and every other line is still checked; results come back in input order.
The derivations that several lines share are made once, before the workers fork from us.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

from symw2v.cache import ResultCache
from symw2v.claim import Conventions, check_claim
from symw2v.derive import derive
from symw2v.errors import InputError, ProofTimeout, SymW2VError
from symw2v.files import read_limited
from symw2v.isolate import DEFAULT_MEMORY_LIMIT, Failure, Limits, run_isolated
from symw2v.latex import case_pieces
from symw2v.limits import hard_time_limit
from symw2v.parse import read_claim
from symw2v.results import ClaimResult, Verdict
from symw2v.schema import BATCH_LINE, INSTANCE, validate
from symw2v.sizes import instance_for
from symw2v.world import Reading
from symw2v.world.instance import Instance
from symw2v.world.losses import Loss, named_loss

MAX_LINES = 20_000
MAX_LINE = 20_000
MAX_BATCH_BYTES = 64 * 1024**2
FIELDS = tuple(field.name for field in BATCH_LINE.fields)
PREPARE_SECONDS = 10.0  # the parent derives unprotected by the workers' limits: keep it short


def read_batch(path: str | Path) -> list[tuple[int, dict | str]]:
    """``(line number, object or error message)`` for every non-blank line of a JSONL file.

    A line that is not a JSON object (not UTF-8, not standard JSON, too long, too deep, a
    number that is not finite or has too many digits) gets its message here; the file as a
    whole is refused only when it is not a regular file, is larger than ``MAX_BATCH_BYTES``
    or has more than ``MAX_LINES`` lines.
    """
    lines = read_limited(path, MAX_BATCH_BYTES, "batch file").splitlines()
    if len(lines) > MAX_LINES:
        raise SymW2VError(f"{path}: more than {MAX_LINES} lines")
    items: list[tuple[int, dict | str]] = []
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            items.append((number, f"line {number} is not UTF-8 text (byte {error.start + 1})"))
            continue
        if line.strip():
            items.append((number, _json_object(number, line)))
    return items


def _json_object(number: int, line: str) -> dict | str:
    """The object on a line, or the message saying why there is none."""
    if len(line) > MAX_LINE:
        return f"line {number} is longer than {MAX_LINE} characters"
    try:
        data = json.loads(line, parse_constant=_constant, parse_int=_integer, parse_float=_real)
    except json.JSONDecodeError as error:
        return f"line {number} is not JSON: {error.msg}"
    except _NumberError as error:
        return f"line {number}: {error}"
    except RecursionError:
        return f"line {number} nests brackets too deeply"
    return data if isinstance(data, dict) else f"line {number} is not a JSON object"


class _NumberError(ValueError):
    """A number on a line that no field could use (kept from ``json`` turning it into a crash)."""


def _constant(name: str):
    raise _NumberError(f"{name} is not a JSON number")


def _integer(digits: str) -> int:
    # past Python's limit, int() raises a ValueError that json lets through
    limit, count = sys.get_int_max_str_digits(), len(digits.lstrip("-"))
    if limit and count > limit:
        raise _NumberError(f"a number has {count} digits; the limit is {limit}")
    return int(digits)


def _real(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NumberError(f"the number {text[:20]}{'…' if len(text) > 20 else ''} is out of range")
    return value


def _described(number: int, data, verdict: Verdict, **fields) -> ClaimResult:
    data = data if isinstance(data, dict) else {}
    text = lambda key: data.get(key) if isinstance(data.get(key), str) else ""  # noqa: E731
    return ClaimResult(
        id=text("id") or f"line-{number}",
        loss=text("loss"),
        wrt=text("wrt"),
        claim=text("claim"),
        verdict=verdict,
        **fields,
    )


def _invalid(number: int, data, message: str) -> ClaimResult:
    return _described(number, data, Verdict.PARSE_ERROR, message=message)


def _failed(item: tuple[int, dict | str], failure: Failure) -> ClaimResult:
    """The result of a line whose worker ran out of time or memory, or died."""
    number, data = item
    fields = dict(method=failure.reason, message=failure.message, seconds=failure.seconds)
    return _described(number, data, Verdict.UNDECIDED, **fields)


def unchecked(item: tuple[int, dict | str], method: str, message: str) -> ClaimResult:
    """The ``undecided`` result of a line that was not checked: the batch was stopped before
    it (``method`` "interrupted"), or a bug lost its result ("internal error")."""
    number, data = item
    return _described(number, data, Verdict.UNDECIDED, method=method, message=message)


def check_line(item: tuple[int, dict | str], time_limit_s: float | None = 60.0) -> ClaimResult:
    """The result of one batch line; never raises for bad input."""
    number, data = item
    if isinstance(data, str):
        return _invalid(number, None, data)
    try:
        line, loss, instance = _question(item)
        conventions = Conventions(U=line.get("U"), y=line.get("y"), layout=line.get("layout", "auto"))
        result = check_claim(
            line["claim"],
            loss,
            line["wrt"],
            instance,
            conventions,
            claim_id=line.get("id", f"line-{number}"),
            time_limit_s=time_limit_s,
            syntax=line.get("syntax", "auto"),
            case=line.get("case", ""),
        )
        return result.complete()  # every field, here in the worker: a line's JSON shows them all
    except InputError as error:
        return _invalid(number, data, str(error))
    except SymW2VError as error:
        return _invalid(number, data, f"line {number}: {error}")


def _question(item: tuple[int, dict | str]) -> tuple[dict, Loss, Instance]:
    """The line's fields, validated, its loss and its instance; ``SymW2VError`` for a bad line.

    Only validated values go on: the derivation caches are keyed by what this returns.
    """
    number, data = item
    where = f"line {number}: "
    line = validate(BATCH_LINE, data, where)
    loss = named_loss(line["loss"])
    sizes = {field.name: line.get(field.name) for field in INSTANCE.fields}
    return line, loss, instance_for(loss, sizes, where)


def _prepare(items: list[tuple[int, dict | str]]) -> None:
    """Derive what several lines share once, before the workers fork from us.

    Most shared first, within ``PREPARE_SECONDS``: the rest is derived in the workers, under
    their limits, so a hostile batch cannot stall the parent.
    """
    counts: Counter = Counter()
    for item in items:
        try:
            line, loss, instance = _question(item)
        except SymW2VError:
            continue  # check_line reports it
        counts[loss, line["wrt"], instance] += 1
    try:
        with hard_time_limit(PREPARE_SECONDS):
            for (loss, wrt, instance), count in counts.most_common():
                if count < 2:
                    break
                for U in ("columns", "rows"):
                    for y in ("column", "row"):
                        derive(loss, wrt, instance, Reading(U, y))
    except ProofTimeout:
        pass


def check_batch(
    items: list[tuple[int, dict | str]],
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    time_limit_s: float | None = 60.0,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    cache: ResultCache | None = None,
) -> Iterator[ClaimResult]:
    """Results in input order, one for every item, each checked in one of ``jobs`` workers.

    ``time_limit_s`` and ``memory_limit`` (bytes a worker may add to its address space) bound
    each line; a line past either is ``undecided``, with the reason as its method.  A question
    several lines ask is checked once; one ``cache`` holds is not checked at all.  Whatever goes
    wrong in the parent, every item still gets a result (``undecided``, "internal error").
    """
    total = len(items)
    firsts, first_of, keys = _distinct(items)
    answers: dict[int, ClaimResult] = {}  # by the position of the first line that asks it
    for first in firsts:
        stored = cache.get(keys[first]) if cache is not None and keys[first] is not None else None
        if stored is not None:
            answers[first] = _as_line(stored, items[first])
    todo = [first for first in firsts if first not in answers]
    _prepare_safely([items[i] for i in todo])
    check = partial(check_line, time_limit_s=time_limit_s)
    limits = Limits(seconds=time_limit_s or None, memory=memory_limit)
    done = 0

    def answered() -> Iterator[ClaimResult]:
        """Every line whose question is answered now, in order, from the first not yet out."""
        nonlocal done
        while done < total and first_of[done] in answers:
            first = first_of[done]
            yield answers[first] if first == done else _as_line(answers[first], items[done])
            done += 1
            if progress:
                progress(done, total)

    try:
        yield from answered()
        results = run_isolated(check, [items[i] for i in todo], _failed, jobs, limits)
        for first, result in zip(todo, results, strict=True):
            answers[first] = result
            if cache is not None and keys[first] is not None:
                cache.put(keys[first], result)
            yield from answered()
    except Exception as error:  # noqa: BLE001 - a bug here must not cost the lines after it their results
        message = f"internal error ({type(error).__name__}) before this line was checked; please report it"
        for item in items[done:]:
            yield unchecked(item, "internal error", message)


KEY_SECONDS = 1.0  # reading one line's claim in the parent, to find the lines that ask the same


def _distinct(items: list[tuple[int, dict | str]]) -> tuple[list[int], list[int], list[tuple | None]]:
    """The positions of the lines that ask a question no line before them asks, for every line
    the position of the first that asks its question, and every line's question (its key).

    Two lines ask the same when their validated fields (loss, variable, instance, conventions,
    case) and their claims' trees are the same, and the claims are written in the same syntax
    (a hint quotes the claim in its own notation): handed in fifteen times, a form is checked
    once.  A line whose claim cannot be read quickly here is its own question.
    """
    firsts, first_of, seen, keys = [], [], {}, []
    for position, item in enumerate(items):
        key = _question_key(item)
        keys.append(key)
        if key is None or key not in seen:
            firsts.append(position)
            if key is not None:
                seen[key] = position
            first_of.append(position)
        else:
            first_of.append(seen[key])
    return firsts, first_of, keys


def _question_key(item: tuple[int, dict | str]) -> tuple | None:
    try:
        line, loss, instance = _question(item)
        with hard_time_limit(KEY_SECONDS):
            if case_pieces(line["claim"]) is not None:
                return None  # an answer by cases: its pieces are read in the worker
            node, stated = read_claim(line["claim"], line.get("syntax", "auto"))
    except (SymW2VError, RecursionError):
        return None
    fields = tuple(line.get(name) for name in ("wrt", "U", "y", "layout", "case"))
    return (loss, instance, fields, node, stated, "\\" in line["claim"])


def _as_line(result: ClaimResult, item: tuple[int, dict | str]) -> ClaimResult:
    """The result of the line ``item`` that asks what an earlier line asked (``result``): the
    same verdict and evidence, under the line's own id and its claim as written."""
    old, new = result.id, _line_id(item)
    claim = item[1]["claim"]
    steps = tuple(
        replace(step, id=new + step.id[len(old) :]) if step.id.startswith(old) else step
        for step in result.steps
    )
    return replace(result, id=new, claim=claim, steps=steps)


def _line_id(item: tuple[int, dict | str]) -> str:
    number, data = item
    return data.get("id", f"line-{number}")


def _prepare_safely(items: list[tuple[int, dict | str]]) -> None:
    """``_prepare``, which only saves time: whatever fails in it fails again in the line's own
    worker, under its limits, and becomes that line's result."""
    try:
        _prepare(items)
    except Exception:  # noqa: BLE001 - see the docstring
        pass
