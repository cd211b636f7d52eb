"""`pdd-wizard show`: draw a tree in the terminal."""

from __future__ import annotations

import argparse

from wizard.context import Environment
from wizard.errors import NotBuiltError

HELP = "draw a tree in the terminal"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)


def main(args: argparse.Namespace, env: Environment) -> int:
    raise NotBuiltError("'show' is not built yet (see issue 6)")
