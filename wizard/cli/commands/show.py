"""`pdd-wizard show`: a tree drawn in the terminal (`wizard.tui.show`), each shared node drawn once."""

from __future__ import annotations

import argparse

from wizard.cli.commands import add_lang_option, add_tree_option
from wizard.core.errors import ExitStatus
from wizard.source.environment import Environment

HELP = "draw a tree in the terminal"
DESCRIPTION = """\
Draw a tree in the terminal, from its first question: each line is the answer (or the
condition) that leads on, then the node it leads to, with the node's id in brackets.
A node reached from several places is drawn once; later it is referred to by its id.

examples:
  pdd-wizard show
  pdd-wizard show --tree my-tree.yaml --lang zh"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_tree_option(parser)
    add_lang_option(parser)


def main(args: argparse.Namespace, env: Environment) -> int:
    from wizard.rules import load_tree

    tree = load_tree(args.tree)
    lang = env.language(args.lang, tree.languages, tree.id)
    from wizard.tui.show import show_tree

    show_tree(tree, lang, env)
    return int(ExitStatus.OK)
