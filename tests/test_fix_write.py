"""``carbonlint fix``'s write policy (src/carbonlint/fix_write.py, docs/fix.md), case by case.

Each test makes a real file in the state a careful user could have (read-only, hard-linked,
another owner, extended attributes, an ACL, a link leaving the repository, edited meanwhile, a
disk that refuses the write) and runs ``carbonlint fix`` on it through the CLI.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import struct
from pathlib import Path

import pytest

import carbonlint.fix as fix_module
from carbonlint import fix_write

BROKEN = '---\nlicense: mit\nco2_eq_emissions:\n  emissions: "1.2 kg"\n  hardware_used: 1 x T4\n---\n# A model\n'
FIXED = BROKEN.replace('"1.2 kg"', "1200")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)  # the tree fix stays in
    (root / ".carbonlint.toml").write_text("")
    monkeypatch.chdir(root)
    return root


def card(root: Path, name: str = "README.md", text: str = BROKEN) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def fix_json(run, path: Path) -> tuple[int, dict, str]:  # type: ignore[no-untyped-def]
    code, out, err = run("fix", "-f", "json", str(path))
    return code, json.loads(out)["files"][0], err


def codes(report: dict) -> set[str]:  # type: ignore[type-arg]
    return {f["code"] for f in report["findings"]}


def test_a_plain_card_is_replaced_atomically(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    path = card(repo)
    inode = path.stat().st_ino
    code, report, err = fix_json(run, path)
    assert code == 0 and path.read_text() == FIXED and "CL106" not in codes(report)
    assert path.stat().st_ino != inode  # a new file renamed into place
    assert sorted(p.name for p in repo.iterdir()) == [".carbonlint.toml", ".git", "README.md"]


def test_a_read_only_card_is_refused(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    path = card(repo)
    path.chmod(0o444)
    code, report, err = fix_json(run, path)
    assert path.read_text() == BROKEN and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert code == 1 and "not fixed: the file is read-only" in err
    assert "CL106" in codes(report)  # reported as it is on disk, not as if fixed
    assert "applied" not in err


def test_a_hard_linked_card_keeps_its_links(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    path = card(repo)
    other = repo / "models" / "same-card.md"
    other.parent.mkdir()
    os.link(path, other)
    inode = path.stat().st_ino
    code, _, _ = fix_json(run, path)
    assert code == 0 and other.read_text() == FIXED
    assert path.stat().st_ino == inode and path.stat().st_nlink == 2


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="only root can make a file owned by another user to fix")
def test_owner_and_group_stay(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    path = card(repo)
    os.chown(path, 4242, 4343)
    path.chmod(0o664)
    code, _, _ = fix_json(run, path)
    info = path.stat()
    assert code == 0 and path.read_text() == FIXED
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4242, 4343, 0o664)


def _set_xattr_or_skip(path: Path, name: str, value: bytes) -> None:
    try:
        os.setxattr(path, name, value)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            pytest.skip(f"the file system of {path.parent} has no {name.split('.')[0]}.* "
                        f"extended attributes ({exc.strerror})")
        raise


@pytest.mark.skipif(not hasattr(os, "setxattr"), reason="no extended attributes on this platform")
def test_extended_attributes_stay(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    path = card(repo)
    _set_xattr_or_skip(path, "user.origin", b"exported from the training run")
    code, _, _ = fix_json(run, path)
    assert code == 0 and path.read_text() == FIXED
    assert os.getxattr(path, "user.origin") == b"exported from the training run"


def _posix_acl(user_id: int) -> bytes:
    """A POSIX ACL in the kernel's xattr form: u::rw-, u:ID:rw-, g::r--, m::rw-, o::r--."""
    entries = [(0x01, 6, 0xFFFFFFFF), (0x02, 6, user_id), (0x04, 4, 0xFFFFFFFF),
               (0x10, 6, 0xFFFFFFFF), (0x20, 4, 0xFFFFFFFF)]
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)


@pytest.mark.skipif(not hasattr(os, "setxattr"), reason="no extended attributes on this platform")
def test_an_acl_stays(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    path = card(repo)
    acl = _posix_acl(4242)
    _set_xattr_or_skip(path, "system.posix_acl_access", acl)
    code, _, _ = fix_json(run, path)
    assert code == 0 and path.read_text() == FIXED
    assert os.getxattr(path, "system.posix_acl_access") == acl


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_link_out_of_the_tree_is_refused(repo: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "elsewhere" / "notes.md"
    outside.parent.mkdir()
    outside.write_text(BROKEN)
    link = repo / "README.md"
    link.symlink_to(outside)
    code, report, err = fix_json(run, link)
    assert outside.read_text() == BROKEN and link.is_symlink()
    assert code == 1 and "not fixed: it is reached through a symbolic link" in err
    assert "outside" in err and "CL106" in codes(report)
    # A folder link out of the tree is the same thing.
    (repo / "models").symlink_to(outside.parent, target_is_directory=True)
    code, _, err = fix_json(run, repo / "models" / "notes.md")
    assert code == 1 and outside.read_text() == BROKEN and "symbolic link" in err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_link_inside_the_tree_fixes_its_target(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    target = card(repo, "cards/model.md")
    link = repo / "README.md"
    link.symlink_to(Path("cards") / "model.md")
    code, _, _ = fix_json(run, link)
    assert code == 0 and link.is_symlink() and target.read_text() == FIXED


@pytest.mark.parametrize("linked", [False, True], ids=["replaced", "in-place"])
def test_an_edit_made_meanwhile_is_never_lost(
        repo: Path, run, monkeypatch: pytest.MonkeyPatch, linked: bool) -> None:  # type: ignore[no-untyped-def]
    """Someone saves the card between fix's read and its write (both write paths)."""
    path = card(repo)
    if linked:
        os.link(path, repo / "other.md")
    theirs = BROKEN.replace("# A model", "# A model\n\nTheir new paragraph.")
    real_fix_text = fix_module.fix_text

    def fix_text_then_someone_saves(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real_fix_text(*args, **kwargs)
        with open(path, "r+", encoding="utf-8") as handle:  # an editor saving in place
            handle.write(theirs)
        return result

    monkeypatch.setattr(fix_module, "fix_text", fix_text_then_someone_saves)
    code, report, err = fix_json(run, path)
    assert path.read_text() == theirs
    assert code == 1 and "not fixed: the file changed while fix was running" in err


def test_a_failed_write_is_reported_as_not_fixed(
        repo: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = card(repo)

    def disk_full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fix_write.os, "replace", disk_full)
    code, report, err = fix_json(run, path)
    assert path.read_text() == BROKEN
    assert code == 1 and f"not fixed: cannot write the file: {os.strerror(errno.ENOSPC)}" in err
    assert "CL106" in codes(report) and "applied" not in err
    assert sorted(p.name for p in repo.iterdir()) == [".carbonlint.toml", ".git", "README.md"]


def test_a_folder_that_takes_no_new_file_gets_the_card_written_in_place(
        repo: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A writable card in a folder the user may not add files to (root ignores folder modes, so
    the refusal is the one mkstemp would raise)."""
    path = card(repo)
    inode = path.stat().st_ino

    def no_new_file(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(fix_write.tempfile, "mkstemp", no_new_file)
    code, _, _ = fix_json(run, path)
    assert code == 0 and path.read_text() == FIXED and path.stat().st_ino == inode


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_card_that_is_not_a_regular_file_is_not_read(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    """fix reads as check does: a FIFO named README.md would block a plain open() forever."""
    from conftest import time_limit

    os.mkfifo(repo / "README.md")
    with time_limit(20):
        code, report, err = fix_json(run, repo / "README.md")
    assert code == 1 and "not a regular file (a FIFO)" in report["error"]
