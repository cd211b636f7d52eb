"""`pdd-wizard paths`: count the paths from the start to each outcome."""

from __future__ import annotations

import argparse

from wizard.context import Environment
from wizard.errors import NotBuiltError

HELP = "count the paths from the start to each outcome"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)


def main(args: argparse.Namespace, env: Environment) -> int:
    raise NotBuiltError("'paths' is not built yet (see issue 4)")
