"""Derivation files: a loss, its conventions, an instance, and the hand-written claims about it.

A derivation file is TOML, so the loss and the closed forms that claim things about it are
read side by side.  See ``derivations/`` and the README for the format.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from symw2v.claim import Conventions, check_claim
from symw2v.derive import loss_expression
from symw2v.errors import DerivationFileError, InputError, ProofTimeout, SymW2VError
from symw2v.files import read_limited
from symw2v.limits import hard_time_limit
from symw2v.question import depends_on
from symw2v.results import ClaimResult, Report
from symw2v.schema import DERIVATION, quote, validate
from symw2v.sweep import DEFAULT, Grid
from symw2v.world.instance import Instance
from symw2v.world.losses import Loss, loss_from_table, named_loss

MAX_FILE = 1_000_000  # bytes
LOSS_SECONDS = 5.0


@dataclass(frozen=True)
class ClaimSpec:
    id: str
    wrt: str
    claim: str
    equation: str
    expect: str
    note: str
    conventions: Conventions
    case: str = ""


@dataclass(frozen=True)
class Derivation:
    name: str
    title: str
    description: str
    loss: Loss
    instance: Instance
    conventions: Conventions
    claims: tuple[ClaimSpec, ...]
    grid: Grid | None = DEFAULT


@dataclass(frozen=True)
class DerivationResult:
    derivation: Derivation
    results: tuple[ClaimResult, ...]
    skipped: tuple = ()  # equations of a document that could not be checked, with the reason

    @property
    def as_expected(self) -> bool:
        return all(r.as_expected for r in self.results)

    def report(self, source: str) -> Report:
        """The report of this derivation's results; ``source`` names where it was read from."""
        derivation, loss, instance = self.derivation, self.derivation.loss, self.derivation.instance
        note = ""
        if loss.sampled and not loss.sampled.distinct(instance):
            note = f"repeated {loss.sampled.name} or one equal to o"
        return Report(
            title=derivation.title,
            source=source,
            loss_name=loss.name,
            loss_expression=loss.expression,
            loss_description=loss.description,
            instance=instance.as_dict(loss.index_sets),
            instance_text=instance.describe(loss.index_sets)
            if loss.of_vectors
            else "a number x (no vectors)",
            results=self.results,
            description=derivation.description,
            instance_note=note,
            notes=tuple((spec.id, spec.note.strip()) for spec in derivation.claims),
            skipped=self.skipped,
        )


def _fail(path: Path, message: str) -> DerivationFileError:
    return DerivationFileError(f"{path}: {message}")


def _read(path: Path) -> dict:
    try:
        raw = read_limited(path, MAX_FILE, "derivation file")
    except SymW2VError as error:  # not a regular file, too large, or unreadable: it names the file
        raise DerivationFileError(str(error)) from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _fail(path, "not UTF-8 text") from None
    except ValueError as error:  # a TOMLDecodeError, or int() refusing a number of 4300 digits
        raise _fail(path, f"not valid TOML: {error}") from None
    except RecursionError:
        raise _fail(path, "not valid TOML: arrays or tables nest too deeply") from None


def _loss(path: Path, value: str | dict, instance: Instance) -> Loss:
    """The built-in loss named ``value``, or the ``[loss]`` table's, built at ``instance`` so that
    a loss that cannot be read fails here, naming the key, and not in the middle of a proof.

    A loss too large to build within ``LOSS_SECONDS`` is left to the prover and its time limit.
    """
    if isinstance(value, str):
        return named_loss(value)
    loss = loss_from_table(value)
    try:
        with hard_time_limit(LOSS_SECONDS):
            loss_expression(loss, instance, False)
    except ProofTimeout:
        pass
    except SymW2VError as error:
        raise _fail(path, f"[loss] expression: {error}") from None
    return loss


def _instance(path: Path, sizes: dict) -> Instance:
    try:
        return Instance(**sizes)
    except SymW2VError as error:
        raise _fail(path, f"[instance] {error}") from None


def _claim(table: dict, conventions: Conventions) -> ClaimSpec:
    declared = {key: table[key] for key in ("U", "y", "layout") if key in table}
    return ClaimSpec(
        id=table["id"],
        wrt=table["wrt"],
        claim=table["claim"],
        equation=table.get("equation", ""),
        expect=table.get("expect", "proved"),
        note=table.get("note", ""),
        conventions=replace(conventions, **declared),
        case=table.get("case", ""),
    )


def _distinct_ids(path: Path, claims: tuple[ClaimSpec, ...]) -> None:
    seen = set()
    for number, claim in enumerate(claims, start=1):
        if claim.id in seen:
            raise _fail(path, f"[[claims]] #{number}: the id {quote(claim.id)} is used twice")
        seen.add(claim.id)


def load_derivation(path: str | Path) -> Derivation:
    """Read and validate a derivation file; ``DerivationFileError`` names the file and the key."""
    path = Path(path)
    try:
        document = validate(DERIVATION, _read(path))
    except InputError as error:
        raise _fail(path, str(error)) from None
    instance = _instance(path, document.get("instance", {}))
    table = document.get("conventions", {})
    conventions = Conventions(U=table.get("U"), y=table.get("y"), layout=table.get("layout", "auto"))
    claims = tuple(_claim(table, conventions) for table in document["claims"])
    _distinct_ids(path, claims)
    loss = _loss(path, document["loss"], instance)
    for number, claim in enumerate(claims, 1):
        if not depends_on(loss, claim.wrt):
            raise _fail(
                path, f"[[claims]] #{number}: J of the {loss.name} loss does not depend on {claim.wrt}"
            )
    return Derivation(
        name=path.stem,
        title=document.get("title", path.stem),
        description=document.get("description", ""),
        loss=loss,
        instance=instance,
        conventions=conventions,
        claims=claims,
        grid=_grid(document.get("sweep", {})),
    )


def _grid(sweep: dict | bool) -> Grid | None:
    """``[sweep]`` with lists d, V, K (defaults for the ones left out), or ``sweep = false``."""
    if sweep is False:
        return None
    sizes = {key: tuple(sorted(set(values))) for key, values in sweep.items()}
    return Grid(**{**DEFAULT.__dict__, **sizes})


def prove_derivation(
    derivation: Derivation, progress=None, time_limit_s: float | None = None, grid: Grid | None | str = "file"
) -> DerivationResult:
    """Check every claim of ``derivation``; ``progress(result)`` is called after each one.

    ``grid``: the sweep; "file" uses the derivation's own (the default grid unless it says).
    """
    grid = derivation.grid if grid == "file" else grid
    results = []
    for spec in derivation.claims:
        result = check_claim(
            spec.claim,
            derivation.loss,
            spec.wrt,
            derivation.instance,
            spec.conventions,
            claim_id=spec.id,
            expected=spec.expect,
            equation_latex=spec.equation,
            time_limit_s=time_limit_s,
            grid=grid,
            case=spec.case,
        )
        results.append(result)
        if progress is not None:
            progress(result)
    return DerivationResult(derivation, tuple(results))
