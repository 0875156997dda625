"""Files a user names: read only within the limit, written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from symw2v import files
from symw2v.errors import SymW2VError
from symw2v.files import check_writable, read_limited, write_text


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_file_longer_than_its_reported_size_is_cut_at_the_limit():
    # a regular file whose size reads as 0: only the limit while reading stops it
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(SymW2VError, match="/proc/self/status: the document is longer than the limit of 100"):
        read_limited("/proc/self/status", 100, "document")


def test_a_file_within_the_limit_is_read_whole(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"x" * 100)
    assert read_limited(path, 100, "document") == b"x" * 100


def test_writing_through_a_link_replaces_the_file_it_links_to(tmp_path):
    (tmp_path / "real.json").write_text("old", encoding="utf-8")
    (tmp_path / "link.json").symlink_to("real.json")
    check_writable(tmp_path / "link.json", "-o")
    write_text(tmp_path / "link.json", "new")
    assert (tmp_path / "link.json").is_symlink()
    assert (tmp_path / "real.json").read_text(encoding="utf-8") == "new"


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    path.write_text("old", encoding="utf-8")

    def full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full)
    with pytest.raises(SymW2VError, match="results.json: cannot write it \\(No space left on device\\)"):
        write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_a_lone_surrogate_is_written_as_its_escape(tmp_path):
    path = tmp_path / "out.json"
    write_text(path, '{"id": "\ud800"}')
    assert path.read_bytes() == b'{"id": "\\ud800"}'
