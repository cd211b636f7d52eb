"""Benchmark: time from starting `pdd-wizard` in a pseudo-terminal to its first question on screen.

Measured against the floor `python -c "import questionary, rich.console, yaml"` (time to exit),
the imports no interactive run can avoid, run alternately in the same pseudo-terminal set-up.
Prints the median of each and their ratio. Target: ratio <= 1.25.

    python benchmarks/bench_startup.py [--runs 15] [--tree pinduoduo] [--lang zh]

If the ratio is over target, look at `python -X importtime -m wizard run --tree ...` in a
terminal: the start-up path must not import networkx, rich.markdown or the validator.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import pexpect

TARGET = 1.25
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wizard.core.engine import Session  # noqa: E402
from wizard.source.load import load_tree  # noqa: E402


def environ() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LC_ALL", "LANG")}
    env.update({"PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color", "LANG": "C.UTF-8"})
    return env


def time_to_question(argv: list[str], question: str) -> float:
    """Seconds from spawn to `question` appearing on the terminal; then the wizard is cancelled."""
    started = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=environ(), dimensions=(40, 100), encoding="utf-8", timeout=30)
    child.expect_exact(question)
    elapsed = time.perf_counter() - started
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def time_to_exit(argv: list[str]) -> float:
    """Seconds from spawn to exit, in the same kind of pseudo-terminal."""
    started = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=environ(), dimensions=(40, 100), encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    elapsed = time.perf_counter() - started
    child.close()
    if child.exitstatus != 0:
        raise SystemExit(f"the floor command failed: {' '.join(argv)}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tree", default="pinduoduo")
    parser.add_argument("--lang", choices=("zh", "en"), default="en")
    args = parser.parse_args()
    question = Session(load_tree(args.tree)).question.prompt.get(args.lang)
    script = Path(sys.executable).parent / "pdd-wizard"
    wizard = [str(script), "run", "--tree", args.tree, "--lang", args.lang]
    floor = [sys.executable, "-c", "import questionary, rich.console, yaml"]
    time_to_exit(floor), time_to_question(wizard, question)  # warm the file cache
    floors, wizards = [], []
    for _ in range(args.runs):
        floors.append(time_to_exit(floor))
        wizards.append(time_to_question(wizard, question))
    floor_ms, wizard_ms = statistics.median(floors) * 1000, statistics.median(wizards) * 1000
    ratio = wizard_ms / floor_ms
    print(f"floor  (import questionary, rich.console, yaml): median {floor_ms:6.1f} ms over {args.runs} runs")
    print(f"wizard (spawn -> first question on screen):       median {wizard_ms:6.1f} ms over {args.runs} runs")
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"ratio {ratio:.2f} (target <= {TARGET}): {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
