"""Subcommands, one module each (registered in `wizard.cli.main.COMMANDS`), and the options they share."""

from __future__ import annotations

import argparse

__all__ = ["add_answer_options", "add_lang_option", "add_now_option", "add_tree_option"]


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
