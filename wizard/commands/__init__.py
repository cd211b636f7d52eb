"""Subcommands, one module each (registered in `wizard.cli.COMMANDS`), and the options they share."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from wizard.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["add_answer_options", "add_lang_option", "add_now_option", "add_tree_option", "parse_now"]


def add_tree_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tree",
        default="pinduoduo",
        metavar="TREE",
        help="a shipped tree's name or a path to a YAML file (default: pinduoduo)",
    )


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        help="language of the text (default: from LC_ALL/LANG: zh* gives zh, else en)",
    )


def add_answer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--answers",
        metavar="FILE",
        help=(
            "a YAML or JSON mapping of question id to option id (or a list of ids for a multiple choice); "
            "- reads it from a pipe"
        ),
    )
    parser.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="ID=VALUE",
        help="one answer, overriding the file; repeatable; ID=a,b for a multiple choice, ID= for none",
    )


def add_now_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now",
        metavar="TIME",
        help="fix the clock, as ISO-8601 (for example 2026-11-12T10:30+08:00); no zone means Beijing time",
    )


def parse_now(value: str | None, name: str = "--now") -> datetime | None:
    """`--now` as an aware time; a time without a zone is taken as Beijing time (the service's own).

    Args:
        name: How messages name the value: the flag, or a scenario's `'now'`.
    """
    if value is None:
        return None
    from datetime import datetime, timedelta, timezone

    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{name} {value!r}: expected an ISO-8601 time, for example 2026-11-12T10:30+08:00") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone(timedelta(hours=8), "CST"))
    if not 1900 <= when.year <= 2999:  # the advice looks days ahead and back: keep clear of datetime's ends
        raise UsageError(f"{name} {value!r}: expected a year from 1900 to 2999")
    return when
