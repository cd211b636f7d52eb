"""`pdd-wizard run`: walk a tree to an outcome, from scripted answers or interactively in a terminal."""

from __future__ import annotations

import argparse
import json

from wizard.commands import add_answer_options, add_lang_option, add_now_option, add_tree_option, parse_now
from wizard.context import Environment
from wizard.errors import ExitStatus, UsageError

HELP = "walk a tree to the right next step (interactive in a terminal, or from scripted answers)"
DESCRIPTION = """\
Walk a tree to an outcome. In a terminal with no answers given, asks the questions.
With --answers and/or --answer, runs the scripted path and never prompts.

examples:
  pdd-wizard run --answer role=consumer --answer problem=logistics --answer tried=courier
  pdd-wizard run --answers answers.yaml --format json"""

NOT_A_TERMINAL = (
    "standard input is not a terminal, so there is nobody to ask; give the answers instead, "
    "for example: pdd-wizard run --answers answers.yaml (or --answer role=consumer ...), "
    "with --defaults for the questions you leave out"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_tree_option(parser)
    add_answer_options(parser)
    parser.add_argument(
        "--defaults",
        action="store_true",
        help="a question reached but not answered takes its declared default",
    )
    add_lang_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    add_now_option(parser)


def main(args: argparse.Namespace, env: Environment) -> int:
    from wizard.answers import merge_answers
    from wizard.load import load_tree

    if args.now is not None:
        env.now = parse_now(args.now)
    scripted = bool(args.answers or args.answer or args.defaults)
    if not scripted:
        if not env.stdin_isatty:
            raise UsageError(NOT_A_TERMINAL)
        if args.format == "json":
            raise UsageError("--format json needs a scripted run: give --answers or --answer")
        return _interactive(args, env)
    tree = load_tree(args.tree)
    answers = merge_answers(args.answers, args.answer)
    return run_scripted(tree, answers, args, env)


def run_scripted(tree, answers, args: argparse.Namespace, env: Environment) -> int:  # type: ignore[no-untyped-def]
    """Walk `tree` with `answers`, print the outcome, and warn about answers never used."""
    from wizard.engine import run_answers
    from wizard.plan import render_text, result_content

    lang = env.language(args.lang, tree.languages)
    session = run_answers(tree, answers, defaults=args.defaults)
    asked = {step.question for step in session.steps}
    questions = {q.id for q in tree.questions()}
    for question in answers:
        if question not in questions:
            print(
                f"pdd-wizard: warning: answer to '{question}' ignored: the tree has no such question", file=env.stderr
            )
        elif question not in asked:
            print(
                f"pdd-wizard: warning: answer to '{question}' ignored: the path never reached that question",
                file=env.stderr,
            )
    if args.format == "json":
        env.stdout.write(json.dumps(result_content(session, lang), ensure_ascii=False, indent=2) + "\n")
    else:
        env.stdout.write(render_text(session, lang))
    env.stdout.flush()
    return int(ExitStatus.OK)


def _interactive(args: argparse.Namespace, env: Environment) -> int:
    from wizard.errors import NotBuiltError

    raise NotBuiltError("the interactive wizard is not built yet (see issue 5); use --answers or --answer")
