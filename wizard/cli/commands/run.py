"""`pdd-wizard run`: walk a tree to an outcome, from scripted answers or interactively in a terminal."""

from __future__ import annotations

import argparse
from pathlib import Path

from wizard.cli.commands import add_answer_options, add_lang_option, add_now_option, add_tree_option
from wizard.core.errors import ExitStatus, UsageError
from wizard.core.hours import parse_now
from wizard.render.text import json_document, one_line
from wizard.source.environment import Environment

HELP = "walk a tree to the right next step (interactive in a terminal, or from scripted answers)"
DESCRIPTION = """\
Walk a tree to an outcome. In a terminal with no answers given, asks the questions
(arrow keys or number keys, Enter to choose, Space to tick, ← or Backspace to go back,
Ctrl-C to quit) and offers to save the plan as Markdown at the end.
With --answers and/or --answer, runs the scripted path and never prompts.

examples:
  pdd-wizard
  pdd-wizard run --lang en --now 2026-11-12T22:30+08:00
  pdd-wizard run --answer role=consumer --answer problem=logistics --answer tried=courier
  pdd-wizard run --answers answers.yaml --format json --save plan.md
  pdd-wizard run --case 1"""

NOT_A_TERMINAL = (
    "standard input is not a terminal, so there is nobody to ask; give the answers instead, "
    "for example: pdd-wizard run --answers answers.yaml (or --answer QUESTION=OPTION ...), "
    "with --defaults for the questions you leave out"
)

OUTPUT_NOT_A_TERMINAL = (
    "standard output is not a terminal, so the questions would go there unseen; run pdd-wizard with its "
    "output on the terminal (--save PATH keeps the plan as a file), or give --answers for a scripted run, "
    "whose output can be redirected"
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
    parser.add_argument(
        "--save",
        metavar="PATH",
        help="save the plan as Markdown to PATH without asking (an existing file is only replaced with --force, "
        "or, in a terminal, when you say yes)",
    )
    parser.add_argument("--force", action="store_true", help="with --save: replace an existing file")
    parser.add_argument(
        "--case",
        metavar="CASE",
        type=int,
        help="the next step of a case (as `pdd-wizard case next CASE`): its answers, and the channels tried",
    )
    parser.add_argument("--db", metavar="PATH", help="with --case: the case file (default: $PDD_WIZARD_DB, else yours)")


def main(args: argparse.Namespace, env: Environment) -> int:
    from wizard.rules import load_tree
    from wizard.source.answers import merge_answers

    if args.now is not None:
        env.now = parse_now(args.now)
    if args.case is not None or args.db is not None:
        return _run_case(args, env)
    scripted = bool(args.answers or args.answer or args.defaults)
    if not scripted:
        if not env.stdin_isatty:
            raise UsageError(NOT_A_TERMINAL)
        if args.format == "json":
            raise UsageError("--format json needs a scripted run: give --answers or --answer")
        _check_save_target(args, interactive=True)
        if not env.stdout_isatty:
            raise UsageError(OUTPUT_NOT_A_TERMINAL)
        return _interactive(args, env)
    _check_save_target(args, interactive=False)
    tree = load_tree(args.tree)
    answers = merge_answers(args.answers, args.answer, env)
    return run_scripted(tree, answers, args, env)


def run_scripted(tree, answers, args: argparse.Namespace, env: Environment) -> int:  # type: ignore[no-untyped-def]
    """Walk `tree` with `answers`, print the outcome, and warn about answers never used."""
    from wizard.core.engine import run_answers
    from wizard.core.errors import AnswerError
    from wizard.render.plan import render_text, result_content
    from wizard.render.text import output_width
    from wizard.source.answers import ignored_answers, locate_answer_error

    lang = env.language(args.lang, tree.languages, tree.id)
    try:
        session = run_answers(tree, answers, defaults=args.defaults)
    except AnswerError as exc:
        raise locate_answer_error(exc, answers) from None
    asked = {step.question for step in session.steps}
    for warning in ignored_answers(answers, {q.id for q in tree.questions()}, asked):
        # The warning names an answer's key as written in a file or in --answer: shown `one_line`.
        print(f"pdd-wizard: warning: {one_line(warning)}", file=env.stderr)
    if args.format == "json":
        env.stdout.write(json_document(result_content(session, lang)))
    else:
        env.stdout.write(render_text(session, lang, env.clock(), width=output_width(env)))
    env.stdout.flush()
    if args.save:
        from wizard.render.markdown import render_markdown
        from wizard.source.save import save_text

        save_text(Path(args.save), render_markdown(session, lang, env.clock()), overwrite=args.force)
        print(f"pdd-wizard: saved the plan to {one_line(args.save)}", file=env.stderr)
    return int(ExitStatus.OK)


def _run_case(args: argparse.Namespace, env: Environment) -> int:
    """`run --case CASE`: the case's next step, as `case next` gives it."""
    from wizard.cli.commands.case import next_of_case

    if args.case is None:
        raise UsageError("--db goes with --case CASE")
    if args.answers or args.answer or args.defaults or args.save or args.tree != "pinduoduo":
        raise UsageError(
            "--case walks the case's own tree and answers: leave out --tree, --answers, --answer, --defaults and --save"
        )
    return next_of_case(args.case, args, env)


def _check_save_target(args: argparse.Namespace, *, interactive: bool) -> None:
    """Refuse a `--save` path that cannot work before any question is asked or any answer read.

    An existing file stops a scripted run (exit 2) unless `--force`; an interactive run
    asks before replacing it, at the end.
    """
    if args.save is not None and not args.save.strip():
        raise UsageError("--save: give a file name")
    if args.force and not args.save:
        raise UsageError("--force only goes with --save PATH")
    if not args.save:
        return
    from wizard.source.save import PlanExistsError, SaveError, check_target

    try:
        check_target(args.save, overwrite=args.force or interactive)  # an interactive run asks at the end
    except PlanExistsError:
        raise
    except SaveError as exc:
        raise UsageError(f"--save {exc}") from None


def _interactive(args: argparse.Namespace, env: Environment) -> int:
    """Ask the tree's questions in the terminal, draw the plan, offer to save it."""
    from wizard.rules import load_tree
    from wizard.tui.interactive import run_wizard

    tree = load_tree(args.tree)
    run_wizard(tree, env.language(args.lang, tree.languages, tree.id), env, save=args.save, force=args.force)
    return int(ExitStatus.OK)
