"""The one bounded reader of files: trees, answers, highlights and scenarios, whatever the file is.

Every file a command reads may come from a pull request, so none is trusted to be a regular
file of the size it claims: a device (`/dev/zero`) or a pipe (`/dev/stdin`, a named pipe) has no
size and never ends, and `/proc` files say they are empty. The bytes are therefore counted while
they are read, and reading stops one byte past the limit. A pipe or device that sends nothing
for `IDLE_TIMEOUT` seconds (a named pipe that no program writes to) is refused rather than
waited on for ever.
"""

from __future__ import annotations

import os
import select
import stat
from pathlib import Path

from wizard.core.errors import LoadError, Problem
from wizard.core.model import Location

__all__ = ["IDLE_TIMEOUT", "read_bounded"]

#: Seconds a pipe or device may send nothing before it is refused.
IDLE_TIMEOUT = 10.0
_CHUNK = 1 << 16
#: Open flags: never wait for a writer (POSIX), bytes as they are (Windows); each 0 where it does not exist.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_FLAGS = os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def read_bounded(path: Path | str, limit: int, file: str, *, idle_timeout: float = IDLE_TIMEOUT) -> bytes:
    """The bytes of `path`, at most `limit` of them, counted as they are read.

    Args:
        path: The file: regular, a pipe or a device.
        limit: Most bytes accepted.
        file: The file's name in messages.
        idle_timeout: Seconds a pipe or device may send nothing before it is refused.

    Raises:
        LoadError: The file cannot be opened or read, holds more than `limit` bytes, or is a
            pipe or device that sent nothing for `idle_timeout` seconds.
    """
    try:
        # Non-blocking: opening a named pipe waits for a writer otherwise, for ever if none comes.
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise LoadError(Problem(Location(file), f"cannot read: {exc.strerror or exc}")) from None
    try:
        status = os.fstat(fd)
        regular = stat.S_ISREG(status.st_mode)
        if regular and status.st_size > limit:
            raise LoadError(Problem(Location(file), f"file is {status.st_size:,} bytes; the limit is {limit:,}"))
        if regular and _NONBLOCK:
            os.set_blocking(fd, True)
        # Only where the file was opened without blocking can a wait be timed (not on Windows).
        chunks = _read_chunks(fd, limit, file, None if regular or not _NONBLOCK else idle_timeout)
    except OSError as exc:
        raise LoadError(Problem(Location(file), f"cannot read: {exc.strerror or exc}")) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def _read_chunks(fd: int, limit: int, file: str, idle_timeout: float | None) -> list[bytes]:
    """Chunks up to the end, refusing the file once they pass `limit` bytes; waiting at most
    `idle_timeout` seconds for each (None: a regular file, which never makes a reader wait)."""
    chunks: list[bytes] = []
    total = 0
    while True:
        if idle_timeout is not None and not select.select([fd], [], [], idle_timeout)[0]:
            raise LoadError(
                Problem(
                    Location(file),
                    f"nothing to read for {idle_timeout:g} seconds: a pipe or device that no program writes to",
                )
            )
        try:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        except BlockingIOError:  # woken with nothing to read after all
            continue
        if not chunk:
            return chunks
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise LoadError(Problem(Location(file), f"file is larger than the limit of {limit:,} bytes"))
