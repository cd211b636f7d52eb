"""`pdd-wizard export`: export a tree as Mermaid, DOT, SVG, PNG or JSON."""

from __future__ import annotations

import argparse

from wizard.context import Environment
from wizard.errors import NotBuiltError

HELP = "export a tree as Mermaid, DOT, SVG, PNG or JSON"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)


def main(args: argparse.Namespace, env: Environment) -> int:
    raise NotBuiltError("'export' is not built yet (see issue 6)")
