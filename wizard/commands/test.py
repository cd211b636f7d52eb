"""`pdd-wizard test`: run scenario files and report tree coverage."""

from __future__ import annotations

import argparse

from wizard.context import Environment
from wizard.errors import NotBuiltError

HELP = "run scenario files and report tree coverage"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)


def main(args: argparse.Namespace, env: Environment) -> int:
    raise NotBuiltError("'test' is not built yet (see issue 7)")
