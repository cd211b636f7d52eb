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
  but not a link of another user's in a shared folder (the kernel's `protected_symlinks`);
- an existing file keeps its permissions (set-id bits dropped); a new one gets the usual
  ones (0666 less the umask).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
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


def save_text(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write a plan (UTF-8 text) to `path`: `write_file`, refusing an existing file unless `overwrite`.

    Raises:
        PlanExistsError: The file exists and `overwrite` is False.
        SaveError: The folder does not exist, is not writable, or the path is a folder.
    """
    write_file(path, text, overwrite=overwrite)


def write_file(path: str | Path, data: str | bytes, *, overwrite: bool = True, make_folders: bool = False) -> None:
    """Write `data` (text as UTF-8 with `\\n` line ends, or bytes) to `path`, atomically.

    Args:
        path: The file to write.
        data: Its content.
        overwrite: Replace an existing file; otherwise an existing file is an error.
        make_folders: Make the missing folders on the way (a CI job's report folder).

    Raises:
        PlanExistsError: The file exists and `overwrite` is False.
        SaveError: The path is a folder, its folder is missing or not a folder, or writing failed.
    """
    given = Path(path)
    content = data.encode("utf-8") if isinstance(data, str) else data
    place = _place(given, overwrite=overwrite, make_folders=make_folders)
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
        raise SaveError(f"{given}: cannot write there: {exc.strerror or exc}") from None
    temp = Path(temp_name)
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
    path = os.path.abspath(given)
    for _ in range(40):  # as many links as the system follows
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


def check_target(path: str | Path, *, overwrite: bool = True) -> None:
    """Refuse now what `write_file` would refuse of a name, for a command that does its work first
    (`run --save` asks its questions, then saves): a folder, an existing file unless `overwrite`,
    a folder that is missing or is a file, a loop of links.

    Raises:
        PlanExistsError: The file exists and `overwrite` is False.
        SaveError: Any other reason.
    """
    _place(Path(path), overwrite=overwrite, make_folders=False)


class _Place(NamedTuple):
    """Where `write_file` puts the data: an open descriptor, the name itself (a device or a pipe,
    `target` None), or a regular file `target` replaced by rename (`mode`: its own, if it exists)."""

    descriptor: int | None = None
    target: Path | None = None
    mode: int | None = None


def _place(given: Path, *, overwrite: bool, make_folders: bool) -> _Place:
    """Where the data for `given` goes, or why it cannot; nothing is written or made."""
    descriptor = _descriptor(given)
    if descriptor is not None:
        return _Place(descriptor=descriptor)
    try:
        mode: int | None = given.stat().st_mode  # through any link
    except OSError:  # no such file yet (a dangling link: its target is made; a loop: said below)
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise SaveError(f"{given}: is a folder; give a file name")
    if mode is not None and not overwrite:
        raise PlanExistsError(given)
    if mode is not None and not stat.S_ISREG(mode):
        return _Place()
    target = _through_link(given)
    folder = target.parent
    above = next((f for f in (folder, *folder.parents) if f.exists()), None)  # the nearest that exists
    if above is not None and not above.is_dir():
        raise SaveError(f"{given}: {above} is not a folder")
    if not make_folders and not folder.is_dir():
        raise SaveError(f"{given}: no such folder: {folder}")
    return _Place(target=target, mode=mode)


def _write_into(given: Path, content: bytes) -> None:
    """Write into what is not a regular file (a device, a named pipe), as `>` does: it cannot be renamed over."""
    try:
        with open(given, "wb") as stream:
            stream.write(content)
    except OSError as exc:
        raise SaveError(f"{given}: cannot write: {exc.strerror or exc}") from None


def _through_link(given: Path) -> Path:
    """The file a name leads to: a symbolic link is written through, and stays a link.

    Only a link the kernel would follow for us (as `fs.protected_symlinks` decides): not one
    planted by another user in a shared folder such as /tmp, which could aim our write at any
    file of ours.
    """
    if not given.is_symlink():
        return given
    link = given.lstat()
    folder = given.absolute().parent.stat()
    shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
    if shared and link.st_uid != os.geteuid() and link.st_uid != folder.st_uid:
        raise SaveError(f"{given}: a link of another user's in a shared folder; give another name")
    try:
        return given.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError on a loop
        raise SaveError(f"{given}: cannot write: a loop of symbolic links") from None


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
