"""What the benchmark scripts share: the installed package they time, runs in interleaved rounds, the verdicts.

Every target is a ratio measured in one run: the median, over rounds, of the ratio of two
times taken one right after the other (floor, subject, floor, subject...), so that the
machine's load, which drifts from minute to minute on a shared machine, cancels out.

The package timed is installed, not the checkout: this environment sets
PYTHONDONTWRITEBYTECODE=1, so a source checkout or an editable install compiles every
module again on each run. `installed()` builds a virtual environment from a copy of the
checkout (`pip install`, then `compileall`), kept under the system's temporary folder
for as long as the sources stay the same. Only the command line is timed, never the
package's modules, so the scripts work whatever the package holds inside.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

__all__ = [
    "ROOT",
    "Finished",
    "Installed",
    "Verdicts",
    "arguments",
    "child_environment",
    "fail",
    "generate",
    "installed",
    "own_peak_bytes",
    "print_median",
    "ratio",
    "rounds",
    "run",
    "runs_wanted",
]

ROOT = Path(__file__).resolve().parent.parent
#: Where the virtual environments are kept, one per digest of the sources (see `installed`).
CACHE = Path(tempfile.gettempdir()) / "pdd-wizard-bench"
#: What `pip install .` reads from the checkout.
SOURCES = ("wizard", "trees", "setup.cfg", "pyproject.toml", "README.md")
#: Those that can change what is timed: the README is only the package's long description.
TIMED_SOURCES = ("wizard", "trees", "setup.cfg", "pyproject.toml")
_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")


def fail(message: str) -> NoReturn:
    """Stop the benchmark: it could not measure (exit status 2, apart from a missed target's 1)."""
    print(f"benchmark failed: {message}", file=sys.stderr)
    sys.exit(2)


def arguments(description: str | None, runs: int) -> argparse.ArgumentParser:
    """A parser with the flags every script takes: --runs, --quick and --venv."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, help=f"rounds of paired runs (default {runs}; 1 with --quick)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and one round: to see that it works")
    parser.add_argument(
        "--venv", type=Path, help="time the pdd-wizard of this virtual environment instead of building one"
    )
    parser.set_defaults(default_runs=runs)
    return parser


def runs_wanted(args: argparse.Namespace) -> int:
    """The rounds asked for: --runs, else 1 with --quick, else the script's default."""
    if args.runs is not None:
        return max(1, int(args.runs))
    return 1 if args.quick else int(args.default_runs)


@dataclass(frozen=True)
class Installed:
    """A virtual environment that holds pdd-wizard.

    Attributes:
        prefix: The environment's folder.
    """

    prefix: Path

    @property
    def python(self) -> Path:
        return self.prefix / "bin" / "python"

    @property
    def wizard(self) -> Path:
        return self.prefix / "bin" / "pdd-wizard"

    def has(self, module: str) -> bool:
        """Whether this environment's Python can import `module` (looked up, not imported)."""
        probe = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
        return subprocess.run([self.python, "-c", probe], env=child_environment(), cwd=CACHE).returncode == 0


def child_environment() -> dict[str, str]:
    """The environment of every timed process: this one's, less what would point Python elsewhere."""
    dropped = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH", "VIRTUAL_ENV", "WIZARD_DEBUG")
    return {key: value for key, value in os.environ.items() if key not in dropped}


def source_key() -> str:
    """A digest of the files installed that can change what is timed, and of the Python that installs them."""
    digest = hashlib.sha256(sys.version.encode())
    for name in TIMED_SOURCES:
        top = ROOT / name
        files = sorted(top.rglob("*")) if top.is_dir() else [top]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts and not file.name.endswith(".pyc"):
                digest.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


#: The lock held on the environment in use, shared, until this process ends: no other script removes it.
_in_use: list[object] = []


def installed(venv: Path | None) -> Installed:
    """The environment to time: `venv` when given, else this checkout's sources installed (built if needed).

    One environment per digest of the sources, so copies of one checkout share it; the
    `KEPT` most recently used stay, and older ones that no script is using are removed.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    if venv is not None:
        given = Installed(venv.resolve())
        if not given.wizard.exists():
            fail(f"{given.wizard} does not exist")
        return given
    folder = CACHE / source_key()[:16]
    folder.mkdir(exist_ok=True)
    built = Installed(folder / "venv")
    lock = open(folder / "lock", "a")  # noqa: SIM115 (held until this process ends)
    fcntl.flock(lock, fcntl.LOCK_EX)  # two scripts started at once build it once
    if not (folder / "installed").exists():
        _build(built)
        (folder / "installed").touch()
    fcntl.flock(lock, fcntl.LOCK_SH)  # in use: others may use it too, none may remove it
    _in_use.append(lock)
    os.utime(folder / "lock")  # its last use, for `_prune`
    _prune(keep=folder)
    return built


#: How many environments are kept.
KEPT = 3


def _prune(keep: Path) -> None:
    """Remove all but the `KEPT` most recently used environments, skipping any in use."""
    folders = [f for f in CACHE.iterdir() if f != keep and (f / "lock").exists()]
    folders.sort(key=lambda f: (f / "lock").stat().st_mtime, reverse=True)
    for folder in folders[KEPT - 1 :]:
        with open(folder / "lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a script is timing it
            shutil.rmtree(folder, ignore_errors=True)


def _build(built: Installed) -> None:
    """Install a copy of the checkout into the environment `built`, from nothing, and compile it all."""
    print(f"installing {ROOT} into {built.prefix} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    shutil.rmtree(built.prefix, ignore_errors=True)  # what a build that failed left
    _step([sys.executable, "-m", "venv", str(built.prefix)])
    with tempfile.TemporaryDirectory() as copy:
        # A copy, so that pip's build leaves nothing in the checkout and sees no stale build/ folder.
        for name in SOURCES:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, Path(copy) / name, ignore=_JUNK)
            elif source.exists():
                shutil.copy2(source, Path(copy) / name)
        _step([str(built.python), "-m", "pip", "install", "-q", "--disable-pip-version-check", copy])
    site = subprocess.run(
        [built.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # pip compiles as it installs; compileall makes sure, whatever PYTHONDONTWRITEBYTECODE says.
    _step([str(built.python), "-m", "compileall", "-q", site])
    print(f"installed in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)


def _step(argv: list[str]) -> None:
    """Run one step of the installation; stop with its output if it fails."""
    environment = child_environment()
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(argv, capture_output=True, text=True, env=environment, cwd=CACHE)
    if done.returncode != 0:
        fail(f"{' '.join(argv)} exited {done.returncode}:\n{done.stdout}{done.stderr}")


@dataclass(frozen=True)
class Finished:
    """A finished child process.

    Attributes:
        seconds: Wall time from its start to its end.
        peak_bytes: Its peak resident memory (the kernel's ru_maxrss).
        status: Its exit status.
        output: What it wrote, stdout and stderr together.
    """

    seconds: float
    peak_bytes: int
    status: int
    output: str


def generate(file: Path, *args: str | int) -> Path:
    """Write the tree `generate.py ARGS` writes into `file`, in a child process; `file`.

    Not in this process, which must stay small: Linux counts the peak resident memory of the
    process that spawns a child in the child's own peak (ru_maxrss), however much it freed since.
    """
    with open(file, "wb") as out:
        script = Path(__file__).with_name("generate.py")
        done = subprocess.run([sys.executable, str(script), *map(str, args)], stdout=out, stderr=subprocess.PIPE)
    if done.returncode != 0:
        fail(f"generate.py {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr.decode()}")
    return file


def own_peak_bytes() -> int:
    """This process's peak resident memory since it started its program (VmHWM; 0 where there is no /proc).

    A floor under every child's peak as the kernel counts it. Not ru_maxrss of RUSAGE_SELF,
    which holds the peak of the process that started this one, as a child's holds this one's.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    kilobytes = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), "0")
    return int(kilobytes) * 1024


def run(argv: Sequence[str | Path]) -> Finished:
    """Run `argv` to its end in a neutral folder, its output into a file; its time, memory, status and output.

    Its peak memory is never less than this process's (see `generate`).
    """
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            [str(part) for part in argv],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=CACHE,  # not the checkout, whose wizard/ would shadow the installed one for `python -c`
            env=child_environment(),
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's own resource use, not all children's
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    return Finished(seconds, usage.ru_maxrss * 1024, child.returncode, output)


def rounds(actions: Sequence[Callable[[], float]], count: int, warm: bool = True) -> list[list[float]]:
    """The seconds of each action over `count` rounds, the actions taking turns within each round.

    Args:
        actions: Each runs once and returns the seconds to count.
        count: How many rounds.
        warm: Run one round first whose times are dropped (to fill the file cache).

    Returns:
        One list of seconds per action, in the order of `actions`, one entry per round.
    """
    if warm:
        for action in actions:
            action()
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(count):
        for seconds, action in zip(times, actions, strict=True):
            seconds.append(action())
    return times


def ratio(floor: Sequence[float], subject: Sequence[float]) -> float:
    """The median of the ratios subject / floor, round by round."""
    return statistics.median(s / f for f, s in zip(floor, subject, strict=True))


def print_median(what: str, times: Sequence[float]) -> None:
    """Print the median of `times`, in milliseconds, and over how many rounds."""
    print(f"{what:<50} {statistics.median(times) * 1000:>9,.0f} ms  median of {len(times)}", flush=True)


class Verdicts:
    """The ratio lines a script prints, and whether any target was missed."""

    def __init__(self) -> None:
        self.missed = 0

    def ratio(self, what: str, value: float, target: float | None) -> None:
        """Print `what`'s ratio with its target and PASS or MISS (or that it is measured only)."""
        if target is None:
            print(f"{what:<50} {value:6.2f}x  measured only", flush=True)
            return
        passed = value <= target
        self.missed += not passed
        print(f"{what:<50} {value:6.2f}x  target <= {target:.2f}x  {'PASS' if passed else 'MISS'}", flush=True)

    def not_measured(self, what: str, target: float, reason: str) -> None:
        """Print that `what` could not be measured, which misses its target."""
        self.missed += 1
        print(f"{what:<50} {'n/a':>6}   target <= {target:.2f}x  MISS ({reason})", flush=True)

    def status(self) -> int:
        """The script's exit status: 1 when a target was missed, else 0."""
        return 1 if self.missed else 0
