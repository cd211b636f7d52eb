"""`wizard.source.reading.read_bounded`: every file counted while read, pipes with no writer refused in time."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

import pytest

from wizard.core.errors import LoadError
from wizard.source.load import read_document
from wizard.source.reading import read_bounded


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"q: a\n")
    assert read_bounded(tmp_path / "a.yaml", 100, "a.yaml") == b"q: a\n"


def test_a_regular_file_over_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"x" * 101)
    with pytest.raises(LoadError, match=r"a\.yaml: file is 101 bytes; the limit is 100"):
        read_bounded(tmp_path / "a.yaml", 100, "a.yaml")


def test_a_device_is_counted_while_read() -> None:
    with pytest.raises(LoadError, match="larger than the limit of 1,000 bytes"):
        read_bounded("/dev/zero", 1000, "/dev/zero")


def test_a_file_that_says_it_is_empty_is_read_whole() -> None:
    """/proc files have size 0: the size is never trusted, the bytes are counted."""
    assert read_bounded("/proc/self/status", 1 << 20, "status").startswith(b"Name:")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def test_a_named_pipe_with_no_writer_is_refused_after_the_timeout(fifo: Path) -> None:
    began = time.monotonic()
    with pytest.raises(LoadError, match=r"pipe: nothing to read for 0\.3 seconds"):
        read_bounded(fifo, 1000, "pipe", idle_timeout=0.3)
    assert time.monotonic() - began < 5


def _write_to(fifo: Path, data: bytes) -> threading.Thread:
    def write() -> None:
        with contextlib.suppress(BrokenPipeError), open(fifo, "wb") as stream:  # the reader stops at its limit
            stream.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_a_named_pipe_is_read_to_its_end(fifo: Path) -> None:
    thread = _write_to(fifo, b"q: a\n" * 1000)
    assert read_bounded(fifo, 1 << 20, "pipe", idle_timeout=5) == b"q: a\n" * 1000
    thread.join(5)


def test_an_endless_pipe_stops_one_byte_past_the_limit(fifo: Path) -> None:
    thread = _write_to(fifo, b"y\n" * 100_000)
    with pytest.raises(LoadError, match="larger than the limit of 1,000 bytes"):
        read_bounded(fifo, 1000, "pipe", idle_timeout=5)
    thread.join(5)


def test_read_document_reads_a_tree_through_a_pipe(fifo: Path) -> None:
    thread = _write_to(fifo, b"q: a\n")
    assert read_document(fifo).data == {"q": "a"}
    thread.join(5)
