"""Course profiles: the conventions a class uses, as data.

A profile is a TOML file (``symw2v/world/profiles/*.toml`` ships the CS224n handout's; a user
may give a file of their own) with a ``[profile]`` name and description, ``[conventions]`` (U's
layout, y's, the gradient layout) and ``[negatives]`` (whether the K negatives are distinct and
differ from o).  ``symw2v check --profile NAME|FILE`` reads claims and documents under it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from symw2v import schema
from symw2v.errors import InputError, SymW2VError
from symw2v.files import read_limited

_FOLDER = "profiles"
MAX_PROFILE = 100_000  # bytes of a profile file


@dataclass(frozen=True)
class Profile:
    """A course's conventions: ``U`` "rows" or "columns", ``y`` "row" or "column", ``layout``
    "auto", "numerator" or "denominator"; ``distinct``: the negatives are distinct and none is o."""

    name: str
    description: str
    U: str
    y: str
    layout: str = "auto"
    distinct: bool = True


def from_toml(text: str, where: str) -> Profile:
    """The profile a TOML text declares; ``where`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SymW2VError(f"{where}: not a valid TOML file ({error})") from None
    try:
        checked = schema.validate(schema.PROFILE, data, f"{where}: ")
    except InputError as error:
        raise SymW2VError(str(error)) from None
    conventions = checked["conventions"]
    missing = [name for name in ("U", "y") if name not in conventions]
    if missing:
        raise SymW2VError(f"{where}: [conventions] must declare {' and '.join(missing)}")
    info = checked["profile"]
    return Profile(
        info["name"],
        info.get("description", ""),
        conventions["U"],
        conventions["y"],
        conventions.get("layout", "auto"),
        checked.get("negatives", {}).get("distinct", True),
    )


@cache
def builtin() -> dict[str, Profile]:
    """The shipped profiles, by name."""
    found = {}
    folder = resources.files("symw2v.world").joinpath(_FOLDER)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            profile = from_toml(entry.read_text(encoding="utf-8"), entry.name)
            found[profile.name] = profile
    return found


def load(name_or_path: str) -> Profile:
    """The shipped profile called ``name_or_path``, or the profile in that file."""
    profiles = builtin()
    if name_or_path in profiles:
        return profiles[name_or_path]
    path = Path(name_or_path)
    if path.suffix.lower() != ".toml" and not path.exists():
        known = ", ".join(profiles)
        raise SymW2VError(f"unknown profile {name_or_path!r}: give a shipped one ({known}) or a .toml file")
    data = read_limited(path, MAX_PROFILE, "profile")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SymW2VError(f"{path}: not UTF-8 text") from None
    return from_toml(text, str(path))
