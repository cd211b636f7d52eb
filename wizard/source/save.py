"""Writing a file the user named: whole or not at all, never replacing one unless told to.

Every file pdd-wizard writes (a saved plan, an export, a list of paths, a JUnit report)
goes through `write_file`. The data goes to a temporary file in the target's own
folder, is flushed to disk, and only then takes the target's name (`os.replace`, or
`os.link` when the target must not exist, so even a file created meanwhile is never
clobbered). An interruption at any point leaves either no file or the complete one,
never a half-written one.

What the name already is decides the rest:
- a name for one of this process's descriptors (`/dev/stdout`, `/dev/fd/3`) is written to
  through that descriptor, where it stands: the shell opened it, perhaps to append;
- a device or a named pipe (`/dev/null`, a FIFO) is written into, as a shell's `>` would;
  a rename would put a plain file in its place;
- a symbolic link is written through: the file it points to is replaced, the link stays;
  but no link of another user's in a shared folder, anywhere on the way (the kernel's
  `protected_symlinks`);
- a name ending in `/` is a folder's, never a file's; a file the command reads (`inputs`) is
  never replaced;
- an existing file keeps its permissions (set-id bits dropped); a new one gets the usual
  ones (0666 less the umask).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from wizard.core.errors import WizardError

__all__ = ["PlanExistsError", "SaveError", "check_target", "is_terminal", "save_text", "suggested_name", "write_file"]


class SaveError(WizardError):
    """A file could not be written (exit status 2: the path given is unusable)."""


class PlanExistsError(SaveError):
    """The file exists and overwriting it was not allowed.

    Attributes:
        path: The file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: the file exists; pass --force to overwrite it, or choose another name")


def suggested_name(outcome_id: str, now: datetime) -> str:
    """A file name for a plan: the outcome and the minute, "pdd-plan-hotline-20261112-1030.md"."""
    return f"pdd-plan-{outcome_id.replace('_', '-')}-{now:%Y%m%d-%H%M}.md"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save_text(path: str | Path, text: str, *, overwrite: bool = False) -> None:
    """Write a plan (UTF-8 text) to `path`: `write_file`, refusing an existing file unless `overwrite`.

    Raises:
        PlanExistsError: The file exists and `overwrite` is False.
        SaveError: The folder does not exist, is not writable, or the path is a folder.
    """
    write_file(path, text, overwrite=overwrite)


def write_file(
    path: str | Path,
    data: str | bytes,
    *,
    overwrite: bool = True,
    make_folders: bool = False,
    inputs: Iterable[str | Path] = (),
) -> None:
    """Write `data` (text as UTF-8 with `\\n` line ends, or bytes) to `path`, atomically.

    Args:
        path: The file to write.
        data: Its content.
        overwrite: Replace an existing file; otherwise an existing file is an error.
        make_folders: Make the missing folders on the way (a CI job's report folder).
        inputs: The files the command read (its tree, answers, scenarios): never replaced, by
            whatever name (a link, `../` spelling) they are given as the output.

    Raises:
        PlanExistsError: The file exists and `overwrite` is False.
        SaveError: The path is a folder, its folder is missing or not a folder, it is one of
            `inputs`, or writing failed.
    """
    given = Path(path)
    content = data.encode("utf-8") if isinstance(data, str) else data
    place = _place(path, overwrite=overwrite, make_folders=make_folders, inputs=inputs)
    if place.descriptor is not None:  # /dev/stdout, /dev/fd/3: what the shell opened, `>>` included
        _write_descriptor(given, place.descriptor, content)
        return
    if place.target is None:  # a device, a named pipe
        _write_into(given, content)
        return
    target, mode = place.target, place.mode
    folder = target.parent
    if make_folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SaveError(f"{given}: cannot make the folder {folder}: {exc.strerror or exc}") from None
    try:  # the name cut short: a name near the system's limit must not fail for its temporary file
        fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name[:64]}.", suffix=".part")
    except OSError as exc:
        raise SaveError(f"{given}: {_cannot_make_file(folder, exc)}") from None
    temp = Path(temp_name)
    # From here a signal (SIGTERM, SIGHUP, Ctrl-C) raises an exception (`wizard.cli.main`), so
    # `finally` removes the temporary file however the write ends.
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(OSError):  # mkstemp makes 0600: keep the file's own, or the usual
            temp.chmod(mode & 0o777 if mode is not None else 0o666 & ~_umask())  # never set-id bits
        if overwrite:
            os.replace(temp, target)
        else:
            _link_new(temp, target)
    except OSError as exc:
        raise SaveError(f"{given}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


_DESCRIPTOR_NAME = re.compile(r"/(?:dev/fd|proc/self/fd|proc/(\d+)/fd)/(\d+)")


def _descriptor(given: Path) -> int | None:
    """The open descriptor of this process a name stands for (`/dev/stdout` -> `/proc/self/fd/1` -> 1).

    The shell opened that file, maybe to append (`>> log`): replacing it by name, or opening it
    again to write, would lose what it holds. The links are read one by one, not resolved: the
    last one points at the file itself.
    """
    try:
        path = os.path.abspath(given)
    except OSError:  # the current folder is gone: a name relative to it is none of the streams'
        return None
    for _ in range(_MOST_LINKS):  # as many links as the system follows
        found = _DESCRIPTOR_NAME.fullmatch(path)
        if found is not None:
            pid, number = found.groups()
            return int(number) if pid is None or int(pid) == os.getpid() else None
        if not os.path.islink(path):
            return None
        try:
            path = os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path)))
        except OSError:
            return None
    return None


def _write_descriptor(given: Path, descriptor: int, content: bytes) -> None:
    """Write to a descriptor this process has open, where it stands (appending, after a `>>`)."""
    for stream in (sys.stdout, sys.stderr):  # what Python holds for it comes first
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    view = memoryview(content)
    try:
        while view:
            view = view[os.write(descriptor, view) :]
    except OSError as exc:  # a reader gone away included: a file asked for by name was not written whole
        raise SaveError(f"{given}: cannot write: {exc.strerror or exc}") from None


def is_terminal(path: str | Path) -> bool:
    """Whether writing to `path` writes on a terminal: `/dev/stdout` when standard output is one,
    `/dev/tty`, a `/dev/pts/N`. Binary data there would garble the screen."""
    descriptor = _descriptor(Path(path))
    if descriptor is not None:
        return os.isatty(descriptor)
    try:
        if not stat.S_ISCHR(os.stat(path).st_mode):
            return False
        opened = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return False  # missing, or not ours to open: writing says why
    try:
        return os.isatty(opened)
    finally:
        os.close(opened)


def check_target(
    path: str | Path, *, overwrite: bool = True, make_folders: bool = False, inputs: Iterable[str | Path] = ()
) -> None:
    """Refuse now what `write_file` would refuse of a name, for a command that does its work first
    (`run --save` asks its questions, then saves): a folder, an existing file unless `overwrite`,
    a folder that is missing (unless `make_folders`) or is a file, a loop of links, one of the
    command's `inputs` (`--junit-xml` naming a scenario file).

    Raises:
        PlanExistsError: The file exists and `overwrite` is False.
        SaveError: Any other reason.
    """
    _place(path, overwrite=overwrite, make_folders=make_folders, inputs=inputs)


class _Place(NamedTuple):
    """Where `write_file` puts the data: an open descriptor, the name itself (a device or a pipe,
    `target` None), or a regular file `target` replaced by rename (`mode`: its own, if it exists)."""

    descriptor: int | None = None
    target: Path | None = None
    mode: int | None = None


def _place(path: str | Path, *, overwrite: bool, make_folders: bool, inputs: Iterable[str | Path]) -> _Place:
    """Where the data for `path` goes, or why it cannot; nothing is written or made."""
    given = Path(path)
    _refuse_folder_name(os.fspath(path))
    target = _real_path(given)  # every link on the way checked, as the kernel's protected_symlinks would
    descriptor = _descriptor(given)
    if descriptor is not None:
        return _Place(descriptor=descriptor)
    try:
        found: os.stat_result | None = os.stat(target)
    except OSError:  # no such file yet (a dangling link: its target is made)
        found = None
    mode = found.st_mode if found is not None else None
    if mode is not None and stat.S_ISDIR(mode):
        raise SaveError(f"{given}: is a folder; give a file name")
    if found is not None:
        _refuse_input(given, found, inputs)
    if mode is not None and not overwrite:
        raise PlanExistsError(given)
    if mode is not None and not stat.S_ISREG(mode):
        return _Place()
    folder = target.parent
    above = next((f for f in (folder, *folder.parents) if f.exists()), None)  # the nearest that exists
    if above is not None and not above.is_dir():
        raise SaveError(f"{given}: {above} is not a folder")
    if not make_folders and not folder.is_dir():
        raise SaveError(f"{given}: no such folder: {folder}")
    return _Place(target=target, mode=mode)


def _refuse_folder_name(name: str) -> None:
    """Refuse a name that can only be a folder's (`new/`, `plan.md/`, `x/.`), as the shell's `>` does.

    `Path` drops a trailing slash: without this, `new/` would write a file named `new`, and
    `plan.md/` would replace `plan.md`.
    """
    if not (name.endswith("/") or os.path.basename(name) in (".", "..")):
        return
    if os.path.isdir(name):
        raise SaveError(f"{name}: is a folder; give a file name")
    if os.path.lexists(name.rstrip("/")):
        raise SaveError(f"{name}: not a folder, though the name ends in '/' (Not a directory); drop the '/'")
    raise SaveError(f"{name}: a name ending in '/' names a folder (Is a directory); give a file name")


def _refuse_input(given: Path, found: os.stat_result, inputs: Iterable[str | Path]) -> None:
    """Refuse to write over a file the command read, whatever name leads to it (same device and inode)."""
    for name in inputs:
        if os.fspath(name) == "-":  # standard input
            continue
        try:
            read = os.stat(name)
        except OSError:
            continue
        if (read.st_dev, read.st_ino) == (found.st_dev, found.st_ino):
            raise SaveError(
                f"{given}: is {name}, which this command reads; writing it would destroy it; give another name"
            )


def _write_into(given: Path, content: bytes) -> None:
    """Write into what is not a regular file (a device, a named pipe), as `>` does: it cannot be renamed over."""
    try:
        with open(given, "wb") as stream:
            stream.write(content)
    except OSError as exc:
        raise SaveError(f"{given}: cannot write: {exc.strerror or exc}") from None


#: As many symbolic links as Linux follows in one name (its ELOOP limit).
_MOST_LINKS = 40


def _real_path(given: Path) -> Path:
    """The file a name leads to, each symbolic link on the way followed; a link stays a link
    and the file it points to is what gets written.

    Every link met, in any component and along a chain of links, must be one the kernel's
    `fs.protected_symlinks` would follow: not a link planted by another user in a shared
    (sticky, world-writable) folder such as /tmp, which could aim our write at any file of
    ours. The name is followed here rather than by `resolve()`, which checks nothing and needs
    the current folder to exist.

    Raises:
        SaveError: Such a link, or a loop of links.
    """
    text = os.fspath(given)
    resolved = "/" if text.startswith("/") else "."
    pending = _components(text)
    followed = 0
    while pending:
        part = pending.pop()
        if part == "..":
            resolved = _parent(resolved)
            continue
        candidate = os.path.join(resolved, part)
        try:
            link = os.lstat(candidate)
        except OSError:  # missing from here on (a new file), or not a folder: said later
            link = None
        if link is None or not stat.S_ISLNK(link.st_mode):
            resolved = candidate
            continue
        followed += 1
        if followed > _MOST_LINKS:
            raise SaveError(f"{given}: cannot write: a loop of symbolic links")
        _refuse_planted(given, candidate, link, resolved)
        try:
            aim = os.readlink(candidate)
        except OSError as exc:
            raise SaveError(f"{given}: cannot read the link {candidate}: {exc.strerror or exc}") from None
        if aim.startswith("/"):
            resolved = "/"
        pending.extend(_components(aim))
    return Path(resolved)


def _components(name: str) -> list[str]:
    """The parts of a name, last first (a stack), without the empty and `.` ones."""
    return [part for part in reversed(name.split("/")) if part not in ("", ".")]


def _parent(resolved: str) -> str:
    """The folder above `resolved`, whose parts are no links: `..` can be taken by name."""
    if resolved == "/":
        return "/"
    if resolved == "." or os.path.basename(resolved) == "..":
        return os.path.join(resolved, "..") if resolved != "." else ".."
    return os.path.dirname(resolved) or "."


def _refuse_planted(given: Path, link_name: str, link: os.stat_result, folder_name: str) -> None:
    """Refuse a link the kernel's `protected_symlinks` would not follow: in a sticky, world-writable
    folder, a link is followed only if its owner is the follower or the folder's owner."""
    try:
        folder = os.stat(folder_name)
    except OSError:
        return
    shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
    if shared and link.st_uid not in (os.geteuid(), folder.st_uid):
        shown = "" if link_name == os.fspath(given) else f" ({link_name})"
        raise SaveError(f"{given}: a link of another user's in a shared folder{shown}; give another name")


_CANNOT_MAKE = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is used up",
}


def _cannot_make_file(folder: Path, exc: OSError) -> str:
    """Why no new file could be made in `folder`, in words that name the real cause.

    The file is first written beside the target (then renamed), so a folder that cannot take new
    files cannot be written to even where the target itself exists (`/proc/version`).
    """
    where = "the current folder" if os.fspath(folder) in ("", ".") else os.fspath(folder)
    reason = _CANNOT_MAKE.get(exc.errno or 0, exc.strerror or str(exc))
    if exc.errno == errno.ENOENT:
        try:
            gone = os.stat(folder).st_nlink == 0
        except OSError:
            gone = True
        reason = "the folder was deleted" if gone else "that folder takes no new files (a special file system)"
    return f"cannot make a file in {where}: {reason}"


def _link_new(temp: Path, path: Path) -> None:
    """Give `temp` the name `path` only if no such file exists, atomically where links work."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise PlanExistsError(path) from None
    except OSError:  # no hard links on this file system: check, then rename
        if path.exists():
            raise PlanExistsError(path) from None
        os.replace(temp, path)
