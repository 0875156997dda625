"""The README's promises: the two quick-start commands, CI running the same test command, and
an example output that is the real output."""

from __future__ import annotations

import re
import shlex

from symw2v.cli import main


def _fenced_blocks(text: str) -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)


def test_quick_start_is_two_commands_and_ci_runs_the_second(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    lines = _fenced_blocks(readme)[0].strip().splitlines()
    assert len(lines) == 2
    assert "symw2v prove" in lines[0] and "pip install" in lines[0]
    assert "pytest" in lines[1] and "pip install" in lines[1]
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci


def test_check_example_is_the_real_output(root, capsys):
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = next(b for b in _fenced_blocks(readme) if b.startswith("$ symw2v check"))
    command, *expected = block.strip().splitlines()
    claim = command.split(" -- ", 1)[1].strip('"')
    main(["check", "--loss", "negative-sampling", "--wrt", "v_c", "--", claim])
    assert capsys.readouterr().out.strip().splitlines() == expected


def test_report_excerpt_is_from_the_real_report(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    report = (root / "reports" / "negative_sampling.md").read_text(encoding="utf-8")
    excerpt = [line[2:] for line in readme.splitlines() if line.startswith("> ")]
    assert len(excerpt) > 10
    for line in excerpt:
        if line.strip() and line.strip() != "[…]":
            assert line in report, line


def test_homework_examples_are_the_real_output(root, capsys, monkeypatch):
    readme = (root / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(root)
    blocks = [b for b in _fenced_blocks(readme) if b.startswith("$ symw2v check") and "--batch" not in b]
    assert len(blocks) >= 3  # every example of a check in the README is run
    for block in blocks:
        command, *expected = block.strip().splitlines()
        argv = shlex.split(command[2:])[1:]
        main(argv)
        assert capsys.readouterr().out.strip().splitlines() == expected, command


def test_export_excerpt_is_real_generated_code(root):
    from symw2v.exporter import export_module

    readme = (root / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.S) if "scale_k = " in b)
    assert block in export_module("negative-sampling")
