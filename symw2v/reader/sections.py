"""What the prose between displays says about the equations after it: a part label ("(b)",
"**(f)**", "## 1b", an ``\\item``) starts a section, and a line may turn to every case at once
("In summary", "Generally").  ``equations.py`` keeps the state these lines change.
"""

from __future__ import annotations

import re

# a part label at the start of a line: "(b)", "- (b):", "**(b)**", "## 1b", "\paragraph{(b) …"
_MARKUP = (
    r"[-*+][ \t]+|#{1,6}[ \t]*|\\noindent[ \t]*"
    r"|\\(?:paragraph|(?:sub)*section|item)\*?[ \t]*\{?[ \t]*|\*\*|__|\$"
)
_LABELLED = r"\(([a-h]|[ivx]{1,4}|\d{1,2}[a-h]?)\)|(\d{1,2}[a-h])(?![A-Za-z0-9])"
_PART = re.compile(rf"^[ \t>]*(?:{_MARKUP})*[ \t]*(?:{_LABELLED})", re.MULTILINE)
_HEADING = re.compile(r"^[ \t]*(?:#{1,6}[ \t]|\\(?:sub)*section\*?\{|\\paragraph\{)", re.MULTILINE)
_ITEM = re.compile(r"^[ \t]*\\item(?![A-Za-z])(?!\s*\[)")
_ENUMERATE = re.compile(r"\\begin\s*\{enumerate\}")
# the text turns to every case at once
_EVERY_CASE = re.compile(
    r"\b(?:general(?:ly)?|in summary|summar|both cases|consolidat|combin"
    r"|for (?:all|every|any) (?:words?|w)\b)",
    re.IGNORECASE,
)


def section_start(line: str) -> str | None:
    """The part label a line starts a section with ("b"; "" for a heading without one), or None
    when it starts none."""
    part = _PART.match(line)
    if part is not None:
        return part.group(1) or part.group(2)
    return "" if _HEADING.match(line) else None


def is_item(line: str) -> bool:
    """Whether ``line`` is an ``\\item`` of a list (each one a part)."""
    return _ITEM.match(line) is not None


def starts_enumerate(line: str) -> bool:
    """Whether ``line`` begins a numbered list (its items count from (a) again)."""
    return _ENUMERATE.search(line) is not None


def every_case(line: str) -> bool:
    """Whether ``line`` turns to every case at once ("In summary", "for all w")."""
    return _EVERY_CASE.search(line) is not None
