"""``symw2v autograder``: write a Gradescope autograder (``init``), or grade a submission with
it (``grade``, what the autograder's ``run_autograder`` runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from symw2v.assignment import load_questions
from symw2v.autograder import grade_submission
from symw2v.autograder_kit import write_kit, write_zip
from symw2v.files import check_writable, write_text
from symw2v.gradescope import grading_json
from symw2v.world import profile as profiles

HELP = """\
Grade word2vec written homework on Gradescope, question by question.

  symw2v autograder init DIR --profile cs224n [--questions FILE] [--zip FILE.zip]
      writes an autograder into DIR: setup.sh (installs symw2v), run_autograder (grades
      /autograder/submission into /autograder/results/results.json), questions.toml (each
      question's label, loss, variable, case, points and visibility) and vendor/ (symw2v's
      source). Upload the --zip file (or a zip of DIR's contents, not of DIR) to Gradescope.

  symw2v autograder grade SUBMISSION --questions FILE [--profile NAME|FILE] [-o results.json]
      grades the documents (.md, .tex, .ipynb) in the folder SUBMISSION: each question is
      given one equation (by its label, else by what it differentiates), checked against the
      course's loss whatever J the student wrote, and scored once; a question with no answer
      scores 0, "not found". Exit code 0 whenever the results are written.
"""


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "autograder",
        help="write a Gradescope autograder, or grade a submission with one",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="write a Gradescope autograder into a new folder")
    init.add_argument("folder", metavar="DIR", help="the folder to write (new, or empty)")
    init.add_argument(
        "--profile",
        required=True,
        metavar="NAME|FILE",
        help=f"the course's conventions: {', '.join(profiles.builtin())}, or a profile FILE.toml",
    )
    init.add_argument(
        "--questions", metavar="FILE", help="the questions file (default: the one shipped for the profile)"
    )
    init.add_argument(
        "--zip", metavar="FILE", help="also write the kit as FILE.zip, ready to upload (files at its root)"
    )
    init.set_defaults(run=_init)
    grade = actions.add_parser("grade", help="grade one submission, as run_autograder does")
    grade.add_argument("submission", metavar="SUBMISSION", help="the folder of the student's files")
    grade.add_argument("--questions", required=True, metavar="FILE", help="the questions file")
    grade.add_argument("--profile", metavar="NAME|FILE", help="the course's conventions")
    grade.add_argument("-o", "--output", metavar="FILE", help="write results.json to FILE (default: stdout)")
    grade.set_defaults(run=_grade)


def _init(args: argparse.Namespace) -> int:
    if args.zip:
        check_writable(args.zip, "--zip")
    written = write_kit(args.folder, args.profile, args.questions)
    if args.zip:
        write_zip(args.folder, args.zip)
    print(f"wrote {len(written)} files into {args.folder}:", file=sys.stderr)
    for name in written:
        if not name.startswith("vendor/"):
            print(f"  {name}", file=sys.stderr)
    print(
        f"  vendor/ (symw2v's source, {sum(n.startswith('vendor/') for n in written)} files)", file=sys.stderr
    )
    if args.zip:
        print(f"wrote {args.zip}: upload it to Gradescope as the autograder", file=sys.stderr)
    else:
        print(f"zip the contents of {args.folder} (not the folder) and upload the zip", file=sys.stderr)
    return 0


def _grade(args: argparse.Namespace) -> int:
    if args.output:
        check_writable(args.output, "-o")
    questions = load_questions(args.questions)
    profile = profiles.load(args.profile) if args.profile else None
    grading = grade_submission(Path(args.submission), questions, profile)
    text = grading_json(grading)
    if args.output:
        write_text(args.output, text)
    else:
        sys.stdout.write(text)
    # the log Gradescope keeps for the course staff (standard output when -o is given)
    log = sys.stdout if args.output else sys.stderr
    for grade in grading.grades:
        verdict = grade.verdict.value if grade.verdict is not None else "not found"
        print(f"{grade.score:>6g}/{grade.question.points:<6g} {grade.question.name}: {verdict}", file=log)
    print(f"{grading.score:>6g}/{grading.max_score:<6g} in all", file=log)
    return 0
