"""How ``carbonlint fix`` writes a card back: the write policy (docs/fix.md).

A card is the author's file; ``fix`` changes its content and nothing else about it, or leaves
it alone and says why. In order:

1. **Symbolic links are followed only inside the tree.** The card's real path (every link on
   the way resolved) must lie in the same tree as the path given: the git repository holding it
   (the nearest folder upwards with ``.git``), else the working directory. A link to anything
   outside (``README.md -> ~/.bashrc``) is refused; one inside is resolved explicitly and the
   file it names is fixed, the link left as it is.
2. **A read-only file is refused**, even for root (who may write anyway): the owner said
   "do not change this" (no owner write bit, or no write access).
3. **An edit made since the card was read is never lost.** Just before the new content takes
   the card's place, the file is read again: if it is not the same file (device and inode) or
   its bytes differ from what ``fix`` read, nothing is written and the card is reported "not
   fixed: the file changed while fix was running".
4. **Everything but the content stays.** When the card is a plain file (one hard link, no
   extended attributes, owned by the user running ``fix``, group reproducible), the new content
   goes to a temporary file in the same folder (mode and group copied, flushed to disk) that is
   renamed over the card: atomic, a reader sees the old card or the new one. Otherwise (hard
   links, extended attributes including POSIX ACLs and SELinux labels, another owner, a group
   ``fix`` cannot give, a folder where ``fix`` may not create a file) a new inode would break
   the links or drop the attributes, or cannot be made, so the file is rewritten in place,
   through the same open file whose content was just compared (same inode: links, owner,
   group, attributes and ACLs stay). In-place writes are not atomic: a
   crash in the middle can leave a partial card, which is why they are used only when a rename
   would lose something.
5. **A failed write is a failure.** Any refusal or error is a :class:`WriteRefused` whose
   message becomes "not fixed: ..."; the card is then reported as it is on disk (its findings
   unfixed) and ``fix`` exits non-zero.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile

from carbonlint.record import Record


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class WriteRefused(Exception):
    """The card was not written; the message says why (shown as "not fixed: <message>")."""


class ReadState(Record):
    """What ``fix`` read: the bytes and the identity of the file they came from."""

    data: bytes
    device: int
    inode: int


def read_card(path: str) -> ReadState:
    """The card's bytes and identity. Read as ``check`` reads a card (carbonlint.card: regular
    files only, never blocking on a FIFO, at most MAX_CARD_BYTES); raises OSError (CardTooLarge
    for a file carbonlint will not read). The identity is taken after the read: the content
    comparison before writing is what guards the card, the identity only adds to it."""
    from carbonlint.card import read_limited

    data = read_limited(path)
    info = os.stat(path)
    return ReadState(data, info.st_dev, info.st_ino)


def tree_root(path: str) -> str:
    """The git repository holding ``path`` (not resolving links), else the working directory."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return os.getcwd()
        folder = parent


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive on Windows
        return False


def resolve_target(path: str) -> str:
    """The file to write for ``path``: itself, or what its links lead to within the tree."""
    absolute = os.path.abspath(path)
    real = os.path.realpath(absolute)
    if real == absolute:
        return absolute
    root = os.path.realpath(tree_root(path))
    if not _inside(real, root):
        raise WriteRefused(f"it is reached through a symbolic link to {real}, outside "
                           f"{root}; fix writes only inside the tree")
    return real


def _has_xattrs(path: str) -> bool:
    try:
        return bool(os.listxattr(path, follow_symlinks=False))
    except (AttributeError, OSError):  # no xattr support (platform or file system)
        return False


def _same_content(handle: int, expected: bytes) -> bool:
    os.lseek(handle, 0, os.SEEK_SET)
    chunks, total = [], 0
    while total <= len(expected):
        chunk = os.read(handle, max(65536, len(expected) + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks) == expected


def _check_unchanged(handle: int, read: ReadState) -> None:
    info = os.fstat(handle)
    if (info.st_dev, info.st_ino) != (read.device, read.inode) or not _same_content(handle, read.data):
        raise WriteRefused("the file changed while fix was running; run fix again")


def write_fixed(path: str, read: ReadState, data: bytes) -> str:
    """Write ``data`` as the card ``path`` that held ``read.data``; returns how ("replaced" or
    "in place"). Raises WriteRefused (with the reason) and nothing is changed."""
    target = resolve_target(path)
    try:
        info = os.lstat(target)
    except OSError as exc:
        raise WriteRefused(f"cannot write the file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused("it is not a regular file")
    if not info.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise WriteRefused("the file is read-only; make it writable to let fix change it")
    try:
        plain = (info.st_nlink == 1 and not _has_xattrs(target)
                 and info.st_uid == getattr(os, "geteuid", lambda: info.st_uid)())
        if plain and _replace(target, info, read, data):
            return "replaced"
        _in_place(target, read, data)
        return "in place"
    except WriteRefused:
        raise
    except OSError as exc:
        raise WriteRefused(f"cannot write the file: {exc.strerror or exc}") from None


def _replace(target: str, info: os.stat_result, read: ReadState, data: bytes) -> bool:
    """Atomic replacement by rename; False (nothing done) when the group cannot be kept or the
    folder takes no new file (the card itself may still be writable in place)."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.",
                                             suffix=".tmp", dir=os.path.dirname(target))
    except PermissionError:
        return False
    try:
        with os.fdopen(handle, "wb") as stream:
            if os.fstat(stream.fileno()).st_gid != info.st_gid:
                try:
                    os.chown(temporary, -1, info.st_gid)
                except (OSError, AttributeError):
                    return False  # a new file would change the group: write in place instead
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # The last look before the card is replaced: is it still what fix read?
        check = os.open(target, os.O_RDONLY | _NOFOLLOW | _BINARY)
        try:
            _check_unchanged(check, read)
        finally:
            os.close(check)
        os.replace(temporary, target)
        temporary = ""
        return True
    finally:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _in_place(target: str, read: ReadState, data: bytes) -> None:
    """Rewrite the same inode, after checking through the same open file that it is unchanged."""
    handle = os.open(target, os.O_RDWR | _NOFOLLOW | _BINARY)
    try:
        _check_unchanged(handle, read)
        os.lseek(handle, 0, os.SEEK_SET)
        view = memoryview(data)
        while view:
            written = os.write(handle, view)
            view = view[written:]
        os.ftruncate(handle, len(data))
        os.fsync(handle)
    finally:
        os.close(handle)
