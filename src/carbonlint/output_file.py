"""Writing a report to a file (``-o``, the Action's ``sarif-file``) without following links.

The report's path may come from a repository someone else controls: in a pull request, the
Action writes its SARIF file at a path where the pull request can have committed a symbolic link
(to a workflow file, to ``~/.ssh/authorized_keys``...). So a report is never written through
one:

* a regular file, or a path where nothing exists yet, is written as a new file in the same
  directory and renamed over the path when the report is complete. A rename replaces the
  directory entry itself, so a link put there meanwhile is replaced, never followed, and a
  reader never sees half a report. The new file gets the usual permissions (0666 less umask).
* a read-only file is refused, as ``open`` would refuse it.
* a symbolic link is refused, unless it leads to a device or a pipe (``-o /dev/stdout``,
  ``-o /dev/null``), where there is no file to overwrite: that is opened as it is.
* any other non-regular file (a FIFO, a device) is opened as it is, for the same reason.
* ``inside``: every directory from that root down to the file must be a real directory, not a
  link (the Action passes the workspace: a committed ``reports -> /home/runner`` is refused).

Every problem is a :class:`ReportFileError` with a message naming the path and the reason
(missing folder, not writable, a link), which the command line turns into exit code 2.
"""

from __future__ import annotations

import contextlib
import os
import stat
from typing import Iterator, TextIO


class ReportFileError(Exception):
    """The report cannot be written at this path; the message says why."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_no_link_below(path: str, root: str) -> None:
    absolute, root = os.path.abspath(path), os.path.abspath(root)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows: not below the root
        return
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return
    current = root
    for part in relative.split(os.sep)[:-1]:
        current = os.path.join(current, part)
        if os.path.islink(current):
            raise ReportFileError(f"{path}: {current} is a symbolic link; refusing to write "
                                  "the report through it")


def _existing_kind(path: str) -> str:
    """'none', 'regular', 'special' (device, FIFO: written in place) or 'link' (refused)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "none"
    if stat.S_ISLNK(info.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            return "link"  # dangling: writing would create the file it points to
        return "special" if stat.S_ISCHR(target.st_mode) or stat.S_ISFIFO(target.st_mode) else "link"
    if stat.S_ISDIR(info.st_mode):
        raise ReportFileError(f"{path}: is a directory")
    if not stat.S_ISREG(info.st_mode):
        return "special"
    if not os.access(path, os.W_OK):
        raise ReportFileError(f"{path}: is read-only; not replacing it")
    return "regular"


@contextlib.contextmanager
def open_report(path: str, *, inside: str | None = None) -> Iterator[TextIO]:
    """A text stream whose content becomes the file at ``path`` when the block ends without an
    exception (on an exception nothing is left behind)."""
    if inside is not None:
        _check_no_link_below(path, inside)
    kind = _existing_kind(path)
    if kind == "link":
        raise ReportFileError(f"{path}: is a symbolic link (to {os.readlink(path)}); refusing "
                              "to write the report through it")
    if kind == "special":
        try:
            stream = open(path, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise ReportFileError(f"{path}: cannot write: {exc.strerror or exc}") from None
        with stream:
            yield stream
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ReportFileError(f"{path}: the folder {folder} does not exist")
    try:
        import tempfile  # here only: it imports random and shutil, which -o alone needs

        handle, temporary = tempfile.mkstemp(prefix=".carbonlint-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ReportFileError(f"{path}: cannot write in {folder}: {exc.strerror or exc}") from None
    try:
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            yield stream
        try:
            os.replace(temporary, path)
        except OSError as exc:
            raise ReportFileError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
