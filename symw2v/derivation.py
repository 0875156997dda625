"""Derivation files: a loss, its conventions, an instance, and the hand-written claims about it.

A derivation file is TOML, so the loss and the closed forms that claim things about it are
read side by side.  See ``derivations/`` and the README for the format.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from symw2v.check import Conventions, check_claim
from symw2v.derive import WRT
from symw2v.errors import DerivationFileError, SymW2VError
from symw2v.instance import Instance
from symw2v.losses import Loss, named_loss
from symw2v.results import ClaimResult, Verdict
from symw2v.sweep import DEFAULT, Grid

VERDICTS = tuple(v.value for v in Verdict)
_TOP_KEYS = {"title", "description", "loss", "conventions", "instance", "claims", "sweep"}
_CLAIM_KEYS = {"id", "wrt", "claim", "equation", "expect", "note", "U", "y", "layout"}


@dataclass(frozen=True)
class ClaimSpec:
    id: str
    wrt: str
    claim: str
    equation: str
    expect: str
    note: str
    conventions: Conventions


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


def _fail(path: Path, message: str) -> DerivationFileError:
    return DerivationFileError(f"{path}: {message}")


def _loss(path: Path, value) -> Loss:
    if isinstance(value, str):
        try:
            return named_loss(value)
        except SymW2VError as error:
            raise _fail(path, str(error)) from None
    if isinstance(value, dict):
        missing = {"name", "expression"} - set(value)
        if missing:
            raise _fail(path, f"[loss] needs {', '.join(sorted(missing))}")
        k_over = value.get("k_over", "K")
        if k_over not in ("K", "V"):
            raise _fail(path, "[loss] k_over must be 'K' (negatives) or 'V' (vocabulary)")
        return Loss(value["name"], value["expression"], k_over, value.get("description", value["expression"]))
    raise _fail(path, "loss must be a built-in name or a table with name and expression")


def _conventions(path: Path, table: dict, where: str) -> Conventions:
    try:
        return Conventions(U=table.get("U"), y=table.get("y"), layout=table.get("layout", "auto"))
    except SymW2VError as error:
        raise _fail(path, f"{where}: {error}") from None


def load_derivation(path: str | Path) -> Derivation:
    """Read and validate a derivation file; ``DerivationFileError`` names the file and the key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise _fail(path, f"cannot read it ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise _fail(path, f"not valid TOML: {error}") from None
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise _fail(path, f"unknown key(s) {', '.join(sorted(unknown))}")
    if "loss" not in data:
        raise _fail(path, "no loss given")
    loss = _loss(path, data["loss"])
    try:
        raw = data.get("instance", {})
        instance = Instance(**{k: tuple(v) if k == "negatives" else v for k, v in raw.items()})
    except TypeError as error:
        raise _fail(path, f"[instance]: {error}") from None
    except SymW2VError as error:
        raise _fail(path, f"[instance]: {error}") from None
    conventions = _conventions(path, data.get("conventions", {}), "[conventions]")
    claims = []
    seen = set()
    for number, table in enumerate(data.get("claims", []), start=1):
        where = f"claim {number}"
        unknown = set(table) - _CLAIM_KEYS
        if unknown:
            raise _fail(path, f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        for key in ("id", "wrt", "claim"):
            if key not in table:
                raise _fail(path, f"{where}: no {key}")
        if table["id"] in seen:
            raise _fail(path, f"{where}: the id {table['id']!r} is used twice")
        seen.add(table["id"])
        if table["wrt"] not in WRT:
            raise _fail(path, f"{where}: wrt must be one of {', '.join(WRT)}")
        expect = table.get("expect", "proved")
        if expect not in VERDICTS:
            raise _fail(path, f"{where}: expect must be one of {', '.join(VERDICTS)}")
        merged = {
            "U": table.get("U", conventions.U),
            "y": table.get("y", conventions.y),
            "layout": table.get("layout", conventions.layout),
        }
        claims.append(
            ClaimSpec(
                id=table["id"],
                wrt=table["wrt"],
                claim=table["claim"],
                equation=table.get("equation", ""),
                expect=expect,
                note=table.get("note", ""),
                conventions=_conventions(path, merged, where),
            )
        )
    if not claims:
        raise _fail(path, "no [[claims]]")
    grid = _grid(path, data.get("sweep", {}))
    return Derivation(
        name=path.stem,
        title=data.get("title", path.stem),
        description=data.get("description", ""),
        loss=loss,
        instance=instance,
        conventions=conventions,
        claims=tuple(claims),
        grid=grid,
    )


def _grid(path: Path, value) -> Grid | None:
    """``[sweep]`` with lists d, V, K (defaults for the ones left out), or ``sweep = false``."""
    if value is False:
        return None
    if not isinstance(value, dict) or set(value) - {"d", "V", "K"}:
        raise _fail(path, "[sweep] takes lists d, V and K (or sweep = false)")
    sizes = {}
    for key, values in value.items():
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, int) and v >= 1 for v in values)
        ):
            raise _fail(path, f"[sweep] {key} must be a list of positive whole numbers")
        sizes[key] = tuple(sorted(set(values)))
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
        )
        results.append(result)
        if progress is not None:
            progress(result)
    return DerivationResult(derivation, tuple(results))
