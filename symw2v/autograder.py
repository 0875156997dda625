"""Grade a student's submission question by question, against a questions file
(``assignment.py``).  Grading reads every document of a submission once, under each course
loss the questions name, then gives each question one equation:

1. the equation labelled as the question (``(f)(ii)`` for ``f(ii)``), else
2. one whose label is the question's part (``(f)`` for ``f(ii)``), else
3. one that differentiates the question's loss by its variable (a student's own J, or no J at
   all, is no other course loss, so its equations may answer any question).

Among several, the last in the document is the answer (a derivation ends with it); the others
are listed as not graded.  A question that asks for a form (``written_with``: the vectorised
negative-sampling gradient, written with U_{o,{w_1..w_K}}) is answered only by an equation in
that form, and chooses before the questions that ask for none.  An equation answers one
question, except that an answer for every word (by cases, or one formula) answers each case
of its question.  Each answer is checked against the course's loss, whatever J the student
wrote (which the feedback reports), so a document that redefines J, or repeats one right
equation, scores only what it answers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from symw2v import closed_form as cf
from symw2v.assignment import Asked, Questions
from symw2v.document import Chain, Plan, check_plan, plans, read_document
from symw2v.errors import SymW2VError
from symw2v.question import parse_case
from symw2v.reader import losses as finding
from symw2v.reader.rows import by_cases
from symw2v.reader.source import SUFFIXES
from symw2v.results import ClaimResult, Verdict
from symw2v.world import OUTSIDE, VARIABLES
from symw2v.world.losses import BUILTIN, Loss
from symw2v.world.profile import Profile

MAX_DOCUMENTS = 8  # documents of one submission that are read (a homework is one or two)
MAX_LISTED = 20  # files named in the output as not read
MAX_SKIPPED_SHOWN = 3  # unread displays a question's feedback names
_HEADS = {Verdict.PROVED: "Right", Verdict.UNDECIDED: "Not decided", Verdict.PARSE_ERROR: "Not read"}
_STEP = re.compile(r"\.\d+$")  # the id of one step of a chain: (b).1

# -- what an equation answers -------------------------------------------------------------------


def label_tokens(label: str) -> tuple[str, ...]:
    """A label as its letters and numbers: ``(f)(ii)``, ``f(ii)`` and ``f.ii`` are ``("f", "ii")``;
    an equation's number ``eq13`` is ``("13",)``; a repeat's ``#2`` is left out."""
    text = re.sub(r"#\d+$", "", label.strip().lower())
    text = re.sub(r"^eq(?=\d)", "", text)
    return tuple(re.findall(r"[a-z]+|\d+", text))


@dataclass(frozen=True)
class Candidate:
    """An equation of a document, planned under one course loss: ``chain`` (what
    ``document.plans`` made of it) and ``natural``, the same equation planned under the loss
    the document gives it (None when the document gives it none)."""

    document: int
    chain: Chain
    natural: Chain | None

    @property
    def key(self) -> tuple[int, str]:
        return (self.document, self.chain.id)

    @property
    def every_case(self) -> bool:
        """Whether the answer is for every word at once: by cases, or one formula for all."""
        return self.by_cases or (not self.chain.case and bool(VARIABLES[self.chain.wrt].free))

    @property
    def by_cases(self) -> bool:
        steps = [s for s in self.chain.steps if not s.skip]
        return bool(steps) and by_cases(steps[-1].latex)


def answers(question: Asked, candidate: Candidate) -> bool:
    """Whether the equation is about what ``question`` asks: its variable (any word's vector by
    any letter that ranges over the same words), and a case that contains the question's."""
    chain = candidate.chain
    if not _written_with(question, candidate):
        return False
    asked, relation = VARIABLES[question.wrt], _relation(question.case)
    written = _relation(chain.case)
    if relation == "=" and chain.wrt == _at_outside(question.wrt):
        return not written
    if not _same_variable(question.loss, question.wrt, chain.wrt):
        return False
    if relation == "repeated" or written == "repeated":
        return relation == written
    if not relation:
        return not written
    return candidate.by_cases or (written in ("", relation) and bool(asked.free))


def _written_with(question: Asked, candidate: Candidate) -> bool:
    """Whether the answer is written with the objects the question asks for (the vectorised
    form's U_{o,{w_1..w_K}}): its last step uses each of them."""
    if not question.written_with:
        return True
    steps = [s for s in candidate.chain.steps if not s.skip]
    node = finding.parsed(steps[-1].read or steps[-1].latex) if steps else None
    used = {n.name for n in cf.walk(node) if isinstance(n, cf.Name)} if node is not None else set()
    return set(question.written_with) <= used


def _relation(case: str) -> str:
    """A case as its relation: "!=", "=", "repeated", "" for none, "?" for one that does not read."""
    try:
        return parse_case(case).relation
    except SymW2VError:
        return "?"


def _same_variable(loss: Loss, asked: str, written: str) -> bool:
    if asked == written:
        return True
    free_a, free_w = VARIABLES[asked].free, VARIABLES[written].free
    return bool(
        free_a
        and free_w
        and VARIABLES[asked].object == VARIABLES[written].object
        and loss.index_set(free_a) == loss.index_set(free_w)
    )


def _at_outside(wrt: str) -> str:
    """The variable at the outside word o: u_o for u_w."""
    variable = VARIABLES[wrt]
    return next(
        (v.name for v in VARIABLES.values() if v.object == variable.object and v.index == OUTSIDE), wrt
    )


def _own(candidate: Candidate, loss: Loss) -> bool:
    """Whether the equation may answer a question about ``loss`` unlabelled: the document puts
    it under that loss, under a J of its own, or under none."""
    natural = candidate.natural
    return natural is None or natural.loss.name == loss.name or _students(natural.loss)


def _students(loss: Loss) -> bool:
    """Whether a J is the student's own (none of the built-in losses a course asks about)."""
    return loss.name not in BUILTIN


def eligible(question: Asked, candidate: Candidate) -> bool:
    """Whether the equation may be the answer to ``question``: it is about what the question
    asks, and labelled as the question (or its part), or under no other course loss."""
    written, label = label_tokens(candidate.chain.id), label_tokens(question.label)
    return answers(question, candidate) and (
        written == label or _part_of(written, label) or _own(candidate, question.loss)
    )


def assign(questions: tuple[Asked, ...], candidates: dict[str, list[Candidate]]) -> list[Candidate | None]:
    """Each question's answer (None: not found), in three passes: the exact label, the label of
    its part, then the variable; the last candidate of a pass wins.  In each pass the questions
    that ask for a form (``written_with``) choose before the others."""
    chosen: list[Candidate | None] = [None] * len(questions)
    used: dict[tuple, list[int]] = {}
    tests: tuple[Callable[[Asked, Candidate], bool], ...] = (
        lambda q, c: label_tokens(c.chain.id) == label_tokens(q.label),
        lambda q, c: _part_of(label_tokens(c.chain.id), label_tokens(q.label)),
        lambda q, c: _own(c, q.loss),
    )
    # a question that asks for a form (the vectorised one) chooses first: any answer by its
    # variable would do for the question that asks for none
    order = sorted(range(len(questions)), key=lambda n: not questions[n].written_with)
    for test in tests:
        for number in order:
            question = questions[number]
            if chosen[number] is not None:
                continue
            fitting = [
                c
                for c in candidates[question.loss.name]
                if answers(question, c) and test(question, c) and _free(c, number, questions, used)
            ]
            if fitting:
                chosen[number] = fitting[-1]
                used.setdefault(fitting[-1].key, []).append(number)
    return chosen


def _part_of(written: tuple[str, ...], label: tuple[str, ...]) -> bool:
    """Whether one label is the part the other is in: ``(f)`` and ``f(ii)``."""
    shorter, longer = sorted((written, label), key=len)
    return bool(shorter) and len(shorter) < len(longer) and longer[: len(shorter)] == shorter


def _free(candidate: Candidate, number: int, questions: tuple[Asked, ...], used: dict) -> bool:
    """Whether the equation may answer question ``number``: it answers no other question yet, or
    it is an answer for every word and answers only other cases of the same question."""
    taken = used.get(candidate.key, [])
    if not taken:
        return True
    question = questions[number]
    return candidate.every_case and all(
        (questions[t].loss.name, questions[t].wrt) == (question.loss.name, question.wrt)
        and questions[t].case != question.case
        for t in taken
    )


# -- grading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """Where a question's answer is: the file, the equation's id and line."""

    file: str
    id: str
    line: int


@dataclass(frozen=True)
class Grade:
    """One question's grade: ``score`` of its points, the verdict of its answer (None: not
    found), the answer's result and place, and the feedback lines."""

    question: Asked
    score: int | float
    verdict: Verdict | None
    result: ClaimResult | None
    answer: Answer | None
    feedback: tuple[str, ...]


@dataclass(frozen=True)
class Grading:
    """A submission's grades, one per question in the file's order, and notes on the whole."""

    grades: tuple[Grade, ...]
    notes: tuple[str, ...]

    @property
    def score(self) -> int | float:
        return round(sum(g.score for g in self.grades), 6)

    @property
    def max_score(self) -> int | float:
        return round(sum(g.question.points for g in self.grades), 6)


@dataclass(frozen=True)
class _Document:
    """A document of the submission: its name, and its plan under the losses it gives."""

    name: str
    plan: Plan


def submission_files(folder: str | Path) -> tuple[list[Path], list[str]]:
    """The documents of a submission folder (regular files only, no links followed, in name
    order, at most ``MAX_DOCUMENTS``), and notes on the files that are not read."""
    root = Path(folder)
    if not root.is_dir():
        raise SymW2VError(f"{folder}: no such folder (the submission is a folder of files)")
    found, others = [], []
    for here, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            path = Path(here, name)
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not path.is_file():
                others.append(f"{relative} (not a regular file)")
            elif path.suffix.lower() in SUFFIXES:
                found.append(path)
            elif not name.startswith("."):
                others.append(f"{relative} (symw2v reads {', '.join(SUFFIXES)} files)")
    notes = []
    if len(found) > MAX_DOCUMENTS:
        notes.append(f"only the first {MAX_DOCUMENTS} of {len(found)} documents are read")
        found = found[:MAX_DOCUMENTS]
    if others:
        shown = others[:MAX_LISTED] + (
            [f"and {len(others) - MAX_LISTED} more"] if len(others) > MAX_LISTED else []
        )
        notes.append("not read: " + "; ".join(shown))
    return found, notes


@dataclass(frozen=True)
class Matching:
    """Which equation answers each question (None: not found), before any is checked; the
    documents read, and notes on the submission (what was not read or not graded, a J of the
    student's own)."""

    chosen: tuple[Candidate | None, ...]
    documents: tuple[_Document, ...]
    notes: tuple[str, ...]


def match_submission(folder: str | Path, questions: Questions, profile: Profile | None = None) -> Matching:
    """Read the documents in ``folder`` and give each question of ``questions`` its equation."""
    paths, notes = submission_files(folder)
    losses = tuple(dict.fromkeys(q.loss for q in questions.questions))
    documents, candidates = [], {loss.name: [] for loss in losses}
    for path in paths:
        name = path.relative_to(folder).as_posix()
        try:
            natural, *forced = plans(read_document(path), profile, (None, *losses))
        except SymW2VError as error:
            notes.append(f"{name}: not read: {error}")
            continue
        own = {c.id: c for c in natural.chains}
        documents.append(_Document(name, natural))
        for loss, plan in zip(losses, forced, strict=True):
            candidates[loss.name] += [Candidate(len(documents) - 1, c, own.get(c.id)) for c in plan.chains]
        notes += [f"{name}: {n}" for n in natural.notes if not n.endswith("is used as written")]
    if not documents:
        notes.insert(0, "no document was read: submit your answers as a .md, .tex or .ipynb file")
    chosen = assign(questions.questions, candidates)
    notes += _own_losses(chosen, documents, questions)
    notes += _not_graded(candidates, chosen, questions, documents)
    return Matching(tuple(chosen), tuple(documents), tuple(notes))


def grade_submission(folder: str | Path, questions: Questions, profile: Profile | None = None) -> Grading:
    """Grade the documents in ``folder`` against ``questions``, under ``profile``'s conventions:
    each question's equation checked once, against the question's loss."""
    matching = match_submission(folder, questions, profile)
    documents = list(matching.documents)
    checked = _check(questions, list(matching.chosen), documents)
    grades = tuple(
        _grade(q, c, checked, documents) for q, c in zip(questions.questions, matching.chosen, strict=True)
    )
    return Grading(grades, matching.notes)


def _checked_chain(question: Asked, candidate: Candidate):
    """The chain to check for ``question``: for the question's case, or, for an answer by cases,
    its last step alone (its cases are then the result's steps)."""
    chain = candidate.chain
    if candidate.by_cases:
        steps = [s for s in chain.steps if not s.skip]
        return replace(chain, steps=[steps[-1]], case="")
    if question.case and not chain.case and chain.wrt != _at_outside(question.wrt):
        return replace(chain, case=question.case)
    return chain


def _check(questions: Questions, chosen: list[Candidate | None], documents: list[_Document]) -> dict:
    """Check each chosen answer once: ``{(document, chain id, loss, case): ClaimResult}``."""
    wanted: dict[int, dict[tuple, object]] = {}
    for question, candidate in zip(questions.questions, chosen, strict=True):
        if candidate is None:
            continue
        chain = _checked_chain(question, candidate)
        key = (candidate.document, chain.id, question.loss.name, chain.case)
        wanted.setdefault(candidate.document, {})[key] = chain
    found = {}
    for index, chains in sorted(wanted.items()):
        plan = replace(documents[index].plan, chains=tuple(chains.values()))
        result = check_plan(plan, time_limit_s=questions.time_limit)
        found.update(zip(chains, result.claims, strict=True))
    return found


def _grade(question: Asked, candidate: Candidate | None, checked: dict, documents: list[_Document]) -> Grade:
    if candidate is None:
        return Grade(question, 0, None, None, None, _not_found(question, documents))
    chain = _checked_chain(question, candidate)
    result = checked[(candidate.document, chain.id, question.loss.name, chain.case)]
    where = Answer(documents[candidate.document].name, candidate.chain.id, candidate.chain.line)
    shown = f"{where.id} on line {where.line} of {where.file}"
    if result.case == "cases" and question.case:
        relation = _relation(question.case)
        piece = next((s for s in result.steps if s.case and _relation(s.case) == relation), None)
        if piece is None:
            why = f"your answer by cases ({shown}) has no case {question.case}"
            return Grade(question, 0, None, result, where, (f"Not found: {why}.",))
        result = piece
    right = result.verdict is Verdict.PROVED
    feedback = [f"{_HEADS.get(result.verdict, 'Wrong')}: the answer is {shown}."]
    feedback += _to_fix(result)
    feedback += _loss_said(question, candidate)
    return Grade(question, question.points if right else 0, result.verdict, result, where, tuple(feedback))


def _to_fix(result: ClaimResult) -> list[str]:
    """What to fix, in one line, for an answer that is not proved."""
    if result.verdict is Verdict.PROVED:
        return []
    if result.verdict is Verdict.UNDECIDED:
        return ["It could not be decided in the time limit; the course staff will look at it."]
    if result.verdict is Verdict.PARSE_ERROR:
        return [f"To fix: it could not be read ({result.message.splitlines()[0]}); write it as LaTeX math."]
    differs = f"it differs from the gradient by {result.residual}" if result.residual else ""
    # a refuted answer's message says how it was read; the residual says what is wrong with it
    first = differs if result.verdict is Verdict.REFUTED else result.message
    said = result.hint or first or result.message or differs
    return [f"To fix: {said}"] if said else []


def _loss_said(question: Asked, candidate: Candidate) -> list[str]:
    """What the feedback says about the J the student wrote, where it is not the course's."""
    natural, course = candidate.natural, question.loss
    graded = f"it is graded against the course's {course.name} loss, J = {course.expression}"
    if natural is None:
        return []
    if _students(natural.loss):
        return [f"Your J here is your own, J = {natural.loss.expression} ({natural.loss_source}); {graded}."]
    if natural.loss.name != course.name:
        return [f"Your answer is under the {natural.loss.name} loss ({natural.loss_source}); {graded}."]
    return []


def _not_found(question: Asked, documents: list[_Document]) -> tuple[str, ...]:
    """Why a question has no answer, how to write one, and the displays under its label that
    could not be read (a step of a chain, skipped for its ∂, is no answer: it is left out)."""
    lines = [
        f"Not found: no equation gives {question.asked}.  Write it as a displayed equation "
        f"{_how_written(question)} in the part labelled {question.shown}."
    ]
    label = label_tokens(question.label)
    for document in documents:
        for skipped in document.plan.skipped:
            written = label_tokens(skipped.id)
            if not _STEP.search(skipped.id) and (written == label or _part_of(written, label)):
                where = f"{skipped.id} on line {skipped.line} of {document.name}"
                lines.append(f"The display {where} was not read: {skipped.reason}.")
    return tuple(lines[: 1 + MAX_SKIPPED_SHOWN])


def _how_written(question: Asked) -> str:
    """How an answer to ``question`` is written, in words and in LaTeX."""
    if question.wrt == "J":
        return "J = … (LaTeX: -\\sum_{w} y_w \\log \\hat{y}_w = …)"
    if question.wrt == "x":
        return "f'(x) = … (LaTeX: \\frac{d\\sigma(x)}{dx} = …, or \\begin{cases} … \\end{cases} by cases)"
    wrt = question.wrt
    return f"∂J/∂{wrt} = … (LaTeX: \\frac{{\\partial J}}{{\\partial {wrt}}} = …)"


def _own_losses(
    chosen: list[Candidate | None], documents: list[_Document], questions: Questions
) -> list[str]:
    """A note for each J of a student's own that an answer was written under."""
    found = {}
    for candidate in chosen:
        natural = candidate.natural if candidate is not None else None
        if natural is not None and _students(natural.loss):
            name = documents[candidate.document].name
            found.setdefault(f"{name}: your J = {natural.loss.expression} ({natural.loss_source})", None)
    if not found:
        return []
    course = "; ".join(
        f"{loss.name}: J = {loss.expression}" for loss in dict.fromkeys(q.loss for q in questions.questions)
    )
    return [
        f"{said} is none of the course's losses; every answer is graded against the course's ({course})"
        for said in found
    ]


def _not_graded(
    candidates: dict, chosen: list, questions: Questions, documents: list[_Document]
) -> list[str]:
    """Notes on the equations that answer no question, in document order, each once."""
    answered = {c.key for c in chosen if c is not None}
    groups: dict[tuple, list[Candidate]] = {}
    for candidate in (c for cs in candidates.values() for c in cs):
        if candidate.key not in answered:
            groups.setdefault(candidate.key, []).append(candidate)
    notes = []
    for group in sorted(groups.values(), key=lambda g: (g[0].document, g[0].chain.line, g[0].chain.id)):
        asked = [
            q
            for q in questions.questions
            if any(c.chain.loss.name == q.loss.name and eligible(q, c) for c in group)
        ]
        why = (
            f"it answers {', '.join(dict.fromkeys(q.shown for q in asked))}, which another equation answers"
            if asked
            else "it answers none of the questions"
        )
        chain = group[0].chain
        notes.append(
            f"not graded: {chain.id} on line {chain.line} of {documents[group[0].document].name} "
            f"(∂J/∂{chain.wrt}): {why}"
        )
    return notes
