"""Saving a plan: an atomic write that never replaces an existing file unless told to.

The text goes to a temporary file in the target's own folder, is flushed to disk, and
only then takes the target's name (`os.replace`, or `os.link` when the target must not
exist, so even a file created meanwhile is never clobbered). An interruption at any
point leaves either no file or the complete one, never a half-written plan.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime
from pathlib import Path

from wizard.errors import WizardError

__all__ = ["PlanExistsError", "SaveError", "save_text", "suggested_name"]


class SaveError(WizardError):
    """The plan could not be written (exit status 2: the path given is unusable)."""


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
    """Write `text` (UTF-8) to `path` atomically.

    Args:
        path: The file to write.
        text: Its content.
        overwrite: Replace an existing file; otherwise an existing file is an error.

    Raises:
        PlanExistsError: The file exists and `overwrite` is False.
        SaveError: The folder does not exist, is not writable, or the path is a folder.
    """
    path = Path(path)
    if path.is_dir():
        raise SaveError(f"{path}: is a folder; give a file name")
    if path.exists() and not overwrite:
        raise PlanExistsError(path)
    folder = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise SaveError(f"{path}: cannot write there: {exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(OSError):  # mkstemp makes 0600; a plan is an ordinary file
            temp.chmod(0o666 & ~_umask())
        if overwrite:
            os.replace(temp, path)
        else:
            _link_new(temp, path)
    except OSError as exc:
        raise SaveError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


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
