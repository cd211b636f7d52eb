"""`pdd-wizard check`: check trees for unsound graphs (unreachable nodes, dead ends, cycles, ...)."""

from __future__ import annotations

import argparse

from wizard.context import Environment
from wizard.errors import NotBuiltError

HELP = "check trees for unsound graphs (unreachable nodes, dead ends, cycles, ...)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)


def main(args: argparse.Namespace, env: Environment) -> int:
    raise NotBuiltError("'check' is not built yet (see issue 4)")
