"""`pdd-wizard run`: walk a tree to an outcome, from scripted answers or interactively in a terminal."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from wizard.cli.commands import add_answer_options, add_lang_option, add_now_option, add_tree_option
from wizard.core.errors import ExitStatus, UsageError
from wizard.core.hours import parse_now
from wizard.render.text import json_document, one_line
from wizard.source.environment import Environment

HELP = "walk a tree to the right next step (interactive in a terminal, or from scripted answers)"
DESCRIPTION = """\
Walk a tree to an outcome. In a terminal with no answers given, asks the questions
(arrow keys or number keys, Enter to choose, Space or a number to tick, ← or Backspace to
go back, Ctrl-C to quit), lets you check and change your answers, and offers to save the
plan as Markdown at the end. --plain (or TERM=dumb, or ACCESSIBLE=1) asks in plain text
instead: numbered choices, answered by typing the number; it reads a pipe too.
With --answers and/or --answer, runs the scripted path and never prompts.

examples:
  pdd-wizard
  pdd-wizard run --lang en --now 2026-11-12T22:30+08:00
  pdd-wizard run --save-answers answers.yaml
  pdd-wizard run --plain --lang en
  pdd-wizard run --answer role=consumer --answer problem=logistics --answer tried=courier
  pdd-wizard run --answers answers.yaml --format json --save plan.md
  pdd-wizard run --case 1"""

NOT_A_TERMINAL = (
    "standard input is not a terminal, so there is nobody to ask; give the answers instead, "
    "for example: pdd-wizard run --answers answers.yaml (or --answer QUESTION=OPTION ...), "
    "with --defaults for the questions you leave out, or pass --plain to answer numbered questions "
    "a line at a time from standard input"
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
    parser.add_argument(
        "--save-answers",
        metavar="PATH",
        help="save the answers as an answers file that `run --answers PATH` replays (an existing file is only "
        "replaced with --force, or, asked, when you say yes); the saved plan names it",
    )
    parser.add_argument("--force", action="store_true", help="with --save or --save-answers: replace an existing file")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="ask in plain text: numbered choices answered by typing the number, no cursor movement, boxes or "
        "colour; reads standard input a line at a time, a pipe too (TERM=dumb and ACCESSIBLE=1 ask so too)",
    )
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
        if not env.stdin_isatty and not args.plain:  # --plain reads a pipe; TERM=dumb alone does not
            raise UsageError(NOT_A_TERMINAL)
        if args.format == "json":
            raise UsageError("--format json needs a scripted run: give --answers or --answer")
        _check_save_target(args, interactive=True)
        if not env.stdout_isatty and not args.plain:
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
        env.stdout.write(json_document(result_content(session, lang, env.clock())))
    else:
        env.stdout.write(render_text(session, lang, env.clock(), width=output_width(env)))
    env.stdout.flush()
    if args.save:
        from wizard.render.markdown import render_markdown
        from wizard.source.save import save_text

        answers_file = {"answers_file": args.save_answers, "replay": replay_command(args, lang)}
        markdown = render_markdown(session, lang, env.clock(), **(answers_file if args.save_answers else {}))
        save_text(Path(args.save), markdown, overwrite=args.force)
        print(f"pdd-wizard: saved the plan to {one_line(args.save)}", file=env.stderr)
    if args.save_answers:
        from wizard.render.words import word
        from wizard.source.answers import answers_text
        from wizard.source.save import write_file

        comment = word("answers_comment", lang, command=one_line(replay_command(args, lang)))
        write_file(args.save_answers, answers_text(session, comment), overwrite=args.force, inputs=_inputs(args))
        print(f"pdd-wizard: saved the answers to {one_line(args.save_answers)}", file=env.stderr)
    return int(ExitStatus.OK)


def replay_command(args: argparse.Namespace, lang: str) -> str:
    """The command that walks the path of `--save-answers` again, in the run's language."""
    import shlex

    tree = "" if args.tree == "pinduoduo" else f" --tree {shlex.quote(args.tree)}"
    return f"pdd-wizard run{tree} --answers {shlex.quote(args.save_answers)} --lang {lang}"


def _inputs(args: argparse.Namespace) -> list[str]:
    """The files the run reads, which no output may replace: the tree (a path) and the answers file."""
    return [name for name in (args.tree, args.answers) if name and name != "-" and Path(name).exists()]


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
    """Refuse a `--save` or `--save-answers` path that cannot work before any question is asked or
    any answer read.

    An existing file stops a scripted run (exit 2) unless `--force`; an interactive run
    asks before replacing it, at the end.
    """
    for option, path in (("--save", args.save), ("--save-answers", args.save_answers)):
        if path is not None and not path.strip():
            raise UsageError(f"{option}: give a file name")
    if args.force and not (args.save or args.save_answers):
        raise UsageError("--force only goes with --save PATH or --save-answers PATH")
    if args.save and args.save_answers and _same_file(args.save, args.save_answers):
        raise UsageError("--save and --save-answers name the same file; give each its own")
    if args.save_answers and args.answers and args.answers != "-" and _same_file(args.answers, args.save_answers):
        raise UsageError(f"--save-answers {one_line(args.save_answers)}: that is the answers file this run reads")
    from wizard.source.save import PlanExistsError, SaveError, check_target

    for option, path in (("--save", args.save), ("--save-answers", args.save_answers)):
        if not path:
            continue
        try:
            check_target(path, overwrite=args.force or interactive)  # an interactive run asks at the end
        except PlanExistsError:
            raise
        except SaveError as exc:
            raise UsageError(f"{option} {exc}") from None


def _same_file(one: str, other: str) -> bool:
    """Whether two names are one file: the same path, or (both existing) the same file by another name."""
    if os.path.abspath(one) == os.path.abspath(other):
        return True
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _interactive(args: argparse.Namespace, env: Environment) -> int:
    """Ask the tree's questions (in the terminal, or as plain text), draw the plan, offer to save it."""
    from wizard.rules import load_tree
    from wizard.tui.interactive import AnswersOut, run_wizard
    from wizard.tui.plain import wants_plain

    tree = load_tree(args.tree)
    lang = env.language(args.lang, tree.languages, tree.id)
    answers_out = None
    if args.save_answers:
        answers_out = AnswersOut(args.save_answers, replay_command(args, lang), _inputs(args), force=args.force)
    kwargs: dict[str, Any] = {}
    if wants_plain(env.environ, args.plain):
        from wizard.render.text import output_width
        from wizard.tui.plain import PlainPrompter, PlainScreen

        if env.stdin is None:
            raise UsageError("--plain: standard input is closed; there is nobody to ask")
        width = output_width(env)
        kwargs["screen"] = PlainScreen(env.stdout, lang, width)
        kwargs["prompter"] = PlainPrompter(lang, env.stdin, env.stdout, width, echoes=env.stdin_isatty)
    run_wizard(tree, lang, env, save=args.save, force=args.force, answers_out=answers_out, **kwargs)
    return int(ExitStatus.OK)
