"""`pdd-wizard case`: follow a problem over time: open a case, log each contact, see the next step, export.

Every action works without a terminal, each field as a flag; in a terminal, a contact's missing
fields are asked (`wizard.tui.case_prompts`) and parsed as the flags are. Without one, a missing
field is a usage error (exit status 2). The case file is `--db PATH`, else `PDD_WIZARD_DB`, else
the user's data folder (`wizard.source.casefile`).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.cli.commands import add_answer_options, add_lang_option, add_now_option, add_tree_option
from wizard.core.errors import CaseError, ExitStatus, UsageError, did_you_mean
from wizard.core.hours import parse_now
from wizard.render.text import json_document, one_line
from wizard.source.environment import Environment

if TYPE_CHECKING:
    from wizard.core.case import Case, CaseNext, Planner
    from wizard.core.model import Outcome, Tree
    from wizard.source.casefile import CaseStore

HELP = "follow a case: log each contact and promise, get the next step when one lapses, export the timeline"
DESCRIPTION = """\
Follow a problem over time. A case keeps the tree's answers, a title, the order number and the
after-sales deadline; each contact records the channel, when, the agent's ID, what was said, the
result (solved, refused, no_answer, promised), a promise and its time, and the evidence kept.
`case next` walks the tree again with the channels tried filled in from the contacts.

actions:
  new      open a case from a path's answers (as `run --answer ...` takes them)
  log      log a contact (asked in a terminal; every field as a flag for scripts)
  next     the next step, with a lapsed promise or a near deadline first
  list     the open cases, each with its next step; `!` marks the overdue ones
  show     a case's timeline
  export   a case as Markdown (an evidence timeline), JSON or iCalendar (the deadline, promises)
  close    close a case as --solved or --dropped
  delete   delete a case and its contacts

examples:
  pdd-wizard case new --title "Refund refused" --answer role=consumer --answer problem=after_sales \\
      --answer merchant_contact=refused --answer deadline=not_close --answer tried= \\
      --order-number 240512-0001 --deadline 2026-12-20
  pdd-wizard case log 1 --channel app_chat --agent 1234 --said "asked for a refund" \\
      --result promised --promise "a refund" --promised-by "2026-12-05 18:00"
  pdd-wizard case next 1 --now 2026-12-06T09:00+08:00
  pdd-wizard case export 1 --format ics -o case-1.ics"""

#: The actions, each with its help line and the function that runs it.
ACTIONS: dict[str, tuple[str, Callable[[argparse.Namespace, Environment], int]]] = {}


def _action(name: str, help: str) -> Callable[[Callable[[argparse.Namespace, Environment], int]], Any]:
    def register(run: Callable[[argparse.Namespace, Environment], int]) -> Any:
        ACTIONS[name] = (help, run)
        return run

    return register


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help="the case file (default: $PDD_WIZARD_DB, else your data folder)")
    common.add_argument("--debug", action="store_true", help="show a traceback on errors")
    for name, adder in _ARGUMENTS.items():
        help = ACTIONS[name][0]
        adder(actions.add_parser(name, help=help, description=help, parents=[common]))


def _case_number(value: str) -> int:
    text = value.strip().lstrip("#")
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a case number (see 'pdd-wizard case list')")
    return int(text)


def _add_case(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", metavar="CASE", type=_case_number, help="the case's number")


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def _new_arguments(parser: argparse.ArgumentParser) -> None:
    add_tree_option(parser)
    add_answer_options(parser)
    parser.add_argument("--defaults", action="store_true", help="a question not answered takes its default")
    parser.add_argument("--title", help="a short title for the case")
    parser.add_argument("--order-number", metavar="NUMBER", help="the order's number, if there is one")
    parser.add_argument(
        "--deadline",
        metavar="YYYY-MM-DD",
        help="the after-sales deadline (at the foot of the product page or in the user agreement)",
    )
    add_lang_option(parser)
    add_now_option(parser)
    _add_format(parser)


def _log_arguments(parser: argparse.ArgumentParser) -> None:
    from wizard.core.case import RESULTS

    _add_case(parser)
    parser.add_argument("--channel", metavar="OUTCOME", help="the channel used: an outcome of the tree (app_chat ...)")
    parser.add_argument(
        "--at", metavar="TIME", help="when it happened (ISO-8601; no zone means Beijing time; default now)"
    )
    parser.add_argument("--agent", metavar="ID", help="the agent's ID, if one was given")
    parser.add_argument("--said", metavar="TEXT", help="what was said")
    parser.add_argument("--result", choices=RESULTS, help="what came of it")
    parser.add_argument("--promise", metavar="TEXT", help="what was promised (with --result promised)")
    parser.add_argument(
        "--promised-by", metavar="TIME", help="by when it was promised (a day alone means its end, Beijing time)"
    )
    parser.add_argument(
        "--evidence",
        action="append",
        metavar="N[=PATH]",
        help="the Nth item of the channel's 'prepare' list was kept, with an optional file; repeatable",
    )
    add_lang_option(parser)
    add_now_option(parser)
    _add_format(parser)


def _next_arguments(parser: argparse.ArgumentParser) -> None:
    _add_case(parser)
    add_lang_option(parser)
    add_now_option(parser)
    _add_format(parser)


def _list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", help="closed cases too")
    add_lang_option(parser)
    add_now_option(parser)
    _add_format(parser)


def _show_arguments(parser: argparse.ArgumentParser) -> None:
    _add_case(parser)
    add_lang_option(parser)
    _add_format(parser)


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    from wizard.render.case_export import EXPORTS

    _add_case(parser)
    parser.add_argument("--format", choices=tuple(EXPORTS), required=True, help="md, json or ics")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (whole or not at all) instead of stdout")
    add_lang_option(parser)
    add_now_option(parser)


def _close_arguments(parser: argparse.ArgumentParser) -> None:
    _add_case(parser)
    how = parser.add_mutually_exclusive_group(required=True)
    how.add_argument("--solved", action="store_const", const="solved", dest="status", help="the problem was solved")
    how.add_argument("--dropped", action="store_const", const="dropped", dest="status", help="you gave up on it")
    add_now_option(parser)
    _add_format(parser)


def _delete_arguments(parser: argparse.ArgumentParser) -> None:
    _add_case(parser)
    parser.add_argument("--yes", action="store_true", help="do not ask (needed without a terminal)")
    _add_format(parser)


_ARGUMENTS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "new": _new_arguments,
    "log": _log_arguments,
    "next": _next_arguments,
    "list": _list_arguments,
    "show": _show_arguments,
    "export": _export_arguments,
    "close": _close_arguments,
    "delete": _delete_arguments,
}


def main(args: argparse.Namespace, env: Environment) -> int:
    if getattr(args, "now", None) is not None:
        env.now = parse_now(args.now)
    run: Callable[[argparse.Namespace, Environment], int] = _RUNS[args.action]
    return run(args, env)


# --- The case file and a case's tree -------------------------------------------------------------


def _store(args: argparse.Namespace, env: Environment, *, create: bool) -> CaseStore | None:
    from wizard.source.casefile import case_file_path, open_store

    path, default = case_file_path(env, getattr(args, "db", None))
    return open_store(path, create=create, make_folders=default)


def _no_case(case_id: int) -> CaseError:
    return CaseError(f"case {case_id}: no such case (see 'pdd-wizard case list')")


def _one_case(args: argparse.Namespace, env: Environment) -> tuple[CaseStore, Case]:
    store = _store(args, env, create=False)
    if store is None:
        raise _no_case(args.case)
    try:
        return store, store.case(args.case)
    except BaseException:
        store.close()
        raise


def case_tree(case: Case) -> Tree:
    """The tree a case was opened on, loaded again (refused as `run` refuses a broken tree).

    Raises:
        LoadError: It cannot be loaded.
        CaseError: What loads there is another tree.
    """
    from wizard.rules import load_tree

    tree = load_tree(case.tree_spec)
    if tree.id != case.tree:
        raise CaseError(
            f"case {case.id} was opened on tree '{one_line(case.tree)}', but '{one_line(case.tree_spec)}' is now "
            f"tree '{one_line(tree.id)}'"
        )
    return tree


def _tree_spec(spec: str) -> str:
    """How a case names its tree, to load it again: a shipped tree's name, or the file's absolute path."""
    from wizard.source.load import resolve_tree, shipped_trees

    if spec in shipped_trees() and not Path(spec).exists():
        return spec
    path, _ = resolve_tree(spec)
    return str(path.resolve())


def _language(args: argparse.Namespace, env: Environment, tree: Tree | None = None) -> str:
    if tree is None:
        return env.language(getattr(args, "lang", None))
    return env.language(getattr(args, "lang", None), tree.languages, tree.id)


def _print(env: Environment, text: str) -> int:
    env.stdout.write(text)
    env.stdout.flush()
    return int(ExitStatus.OK)


def _warn(env: Environment, lines: list[str]) -> None:
    for line in lines:
        print(f"pdd-wizard: warning: {one_line(line)}", file=env.stderr)


# --- new -----------------------------------------------------------------------------------------


@_action("new", "open a case from a path's answers")
def _new(args: argparse.Namespace, env: Environment) -> int:
    from wizard.core.case import parse_day
    from wizard.core.engine import run_answers
    from wizard.core.errors import AnswerError
    from wizard.render.case import case_document
    from wizard.rules import load_tree
    from wizard.source.answers import ignored_answers, locate_answer_error, merge_answers
    from wizard.source.casefile import open_case

    if not (args.answers or args.answer or args.defaults):
        raise UsageError(
            "case new: give the path's answers with --answers FILE or --answer QUESTION=OPTION (as for `run`), "
            "with --defaults for the questions you leave out"
        )
    details = {"title": args.title, "order_number": args.order_number, "deadline": args.deadline}
    if not (args.title or "").strip() and not env.stdin_isatty:
        raise UsageError("case new: give --title TEXT (there is no terminal to ask)")
    if args.deadline is not None:
        parse_day(args.deadline)  # refused before any question is asked
    tree = load_tree(args.tree)
    lang = _language(args, env, tree)
    if not (args.title or "").strip():
        from wizard.tui.case_prompts import CasePrompter

        details = CasePrompter(lang).case_details(details, _is_day)
    deadline = parse_day(details["deadline"]) if details["deadline"] else None
    answers = merge_answers(args.answers, args.answer, env)
    try:
        session = run_answers(tree, answers, defaults=args.defaults)
    except AnswerError as exc:
        raise locate_answer_error(exc, answers) from None
    asked = {step.question for step in session.steps}
    _warn(env, ignored_answers(answers, {q.id for q in tree.questions()}, asked))
    case = open_case(
        env,
        session,
        title=str(details["title"]).strip(),
        tree_spec=_tree_spec(args.tree),
        lang=lang,
        order_number=(details["order_number"] or "").strip() or None,
        deadline=deadline,
        db=args.db,
    )
    if args.format == "json":
        return _print(env, json_document({**case_document(case), "next": session.outcome.id}))
    from wizard.render.words import word

    title = one_line(case.title)
    lines = [f"{word('case', lang, id=case.id)}{word('colon', lang)}{title}"]
    lines.append(f"{word('case_next', lang)}{word('colon', lang)}{one_line(session.outcome.title.get(lang))}")
    lines.append(f"  pdd-wizard case next {case.id}")
    return _print(env, "\n".join(lines) + "\n")


def _is_day(value: str) -> bool:
    from wizard.core.case import parse_day

    try:
        parse_day(value)
    except UsageError:
        return False
    return True


def _is_time(value: str) -> bool:
    from wizard.core.case import parse_moment

    try:
        parse_moment(value, "--at")
    except UsageError:
        return False
    return True


# --- log -----------------------------------------------------------------------------------------

#: A contact's fields as flags: (field, flag).
_CONTACT_FLAGS = (
    ("channel", "--channel"),
    ("at", "--at"),
    ("agent", "--agent"),
    ("said", "--said"),
    ("result", "--result"),
    ("promise", "--promise"),
    ("promised_by", "--promised-by"),
    ("evidence", "--evidence"),
)


@_action("log", "log a contact with a channel")
def _log(args: argparse.Namespace, env: Environment) -> int:
    from wizard.core.case import Planner

    store, case = _one_case(args, env)
    with store:
        if case.status != "open":
            raise CaseError(f"case {case.id} is closed ({case.status}); open a new case to follow the problem again")
        tree = case_tree(case)
        lang = _language(args, env, tree)
        planner = Planner(tree)
        given = {name: getattr(args, name) for name, _ in _CONTACT_FLAGS}
        missing = [flag for name, flag in _CONTACT_FLAGS if name in ("channel", "result") and given[name] is None]
        if given["result"] == "promised" and not given["promised_by"]:
            missing.append("--promised-by")
        if missing:
            if not env.stdin_isatty:
                raise UsageError(
                    f"case log: give {' and '.join(missing)} (there is no terminal to ask); "
                    f"see 'pdd-wizard case log --help'"
                )
            given = _ask_contact(given, case, tree, planner, lang, env)
        contact = _contact(given, case, tree, planner, env)
        stored = store.add_contact(case.id, contact)
    if args.format == "json":
        return _print(env, json_document({"case": case.id, "contact": _contact_document(stored)}))
    from wizard.render.words import word

    lines = [word("case_logged", lang, id=case.id, n=stored.id), f"  pdd-wizard case next {case.id}"]
    return _print(env, "\n".join(lines) + "\n")


def _contact_document(contact: Any) -> dict[str, Any]:
    import msgspec

    document: dict[str, Any] = msgspec.to_builtins(contact)
    return document


def _outcomes(tree: Tree) -> list[Outcome]:
    return list(tree.outcomes())


def _prepare_items(tree: Tree, outcome_id: str, planner: Planner, case: Case) -> list[Any]:
    """The `prepare` items of an outcome that apply on the case's path, in order (what --evidence N counts)."""
    from wizard.core.model import Outcome

    outcome = tree.nodes.get(outcome_id)
    if not isinstance(outcome, Outcome):
        return []
    answers = planner.opened_path(case).answers
    return [point for point in outcome.prepare if point.applies(answers)]


def _ask_contact(
    given: dict[str, Any], case: Case, tree: Tree, planner: Planner, lang: str, env: Environment
) -> dict[str, Any]:
    from wizard.core.case import RESULTS
    from wizard.tui.case_prompts import CasePrompter

    nxt = planner.plan(case, env.clock())
    default = None if nxt.outcome is None else nxt.outcome.id
    channels = [(o.id, o.title.get(lang)) for o in _outcomes(tree)]

    def evidence(channel: str) -> list[str]:
        return [point.text.get(lang) for point in _prepare_items(tree, channel, planner, case)]

    return CasePrompter(lang).contact(
        given, channels=channels, default_channel=default, results=RESULTS, evidence=evidence, valid_time=_is_time
    )


def _contact(given: dict[str, Any], case: Case, tree: Tree, planner: Planner, env: Environment) -> Any:
    """The contact the flags (or the answers typed) give, every field checked.

    Raises:
        UsageError: A field that is wrong, naming its flag.
    """
    from wizard.core.case import Contact, parse_moment
    from wizard.core.model import Outcome

    channel = str(given["channel"]).strip()
    outcome = tree.nodes.get(channel)
    if not isinstance(outcome, Outcome):
        ids = [o.id for o in tree.outcomes()]
        hint = did_you_mean(channel, ids)
        raise UsageError(
            f"--channel {channel!r}: not an outcome of tree '{tree.id}'"
            + (f" ({hint})" if hint else "")
            + f"; its outcomes: {', '.join(ids)}"
        )
    result = given["result"]
    promise = (given.get("promise") or "").strip() or None
    promised_by = given.get("promised_by") or None
    if result != "promised" and (promise or promised_by):
        raise UsageError("--promise and --promised-by go with --result promised")
    at = parse_moment(given["at"], "--at") if given.get("at") else env.clock()
    by = parse_moment(promised_by, "--promised-by") if promised_by else None
    return Contact(
        id=0,
        channel=channel,
        channel_title=dict(outcome.title.texts),
        at=at,
        result=result,
        agent_id=(given.get("agent") or "").strip() or None,
        said=(given.get("said") or "").strip(),
        promise=promise,
        promised_by=by,
        evidence=tuple(_evidence(given.get("evidence") or [], tree, channel, planner, case, env)),
        logged=env.clock(),
    )


def _evidence(flags: list[str], tree: Tree, channel: str, planner: Planner, case: Case, env: Environment) -> list[Any]:
    from wizard.core.case import Evidence

    items = _prepare_items(tree, channel, planner, case)
    kept = []
    for flag in flags:
        number, sep, path = flag.partition("=")
        if not number.strip().isdigit() or not 1 <= int(number) <= len(items):
            listed = "; ".join(f"{n}: {one_line(p.text.get(tree.languages[0]))}" for n, p in enumerate(items, 1))
            raise UsageError(
                f"--evidence {flag!r}: expected N or N=PATH, N the number of an item of '{channel}''s prepare list"
                + (f" ({listed})" if listed else " (it has none)")
            )
        file = os.path.abspath(os.path.expanduser(path.strip())) if sep and path.strip() else None
        if file is not None and not os.path.exists(file):
            _warn(env, [f"--evidence {flag}: {file} does not exist; kept as written"])
        kept.append(Evidence(dict(items[int(number) - 1].text.texts), file))
    return kept


# --- next, list, show, export ---------------------------------------------------------------------


@_action("next", "the next step of a case")
def _next(args: argparse.Namespace, env: Environment) -> int:
    return next_of_case(args.case, args, env)


def next_of_case(case_id: int, args: argparse.Namespace, env: Environment) -> int:
    """Print a case's next step (`case next`, `run --case`), in text or JSON."""
    from wizard.core.case import Planner
    from wizard.render.case import next_document, render_next, warning_lines
    from wizard.render.text import output_width

    args.case = case_id
    store, case = _one_case(args, env)
    store.close()
    tree = case_tree(case)
    lang = _language(args, env, tree)
    nxt: CaseNext = Planner(tree).plan(case, env.clock())
    _warn(env, warning_lines(nxt))
    zone = env.local_zone()
    if getattr(args, "format", "text") == "json":
        return _print(env, json_document(next_document(nxt, lang, zone)))
    return _print(env, render_next(nxt, lang, zone, env.clock(), width=output_width(env)))


@_action("list", "the open cases and their next steps")
def _list(args: argparse.Namespace, env: Environment) -> int:
    from wizard.render.case import list_document, render_list
    from wizard.source.load import collector_paused

    store = _store(args, env, create=False)
    cases = []
    if store is not None:
        with store:
            cases = store.cases(closed=args.all)
    lang = _language(args, env)
    with collector_paused():  # thousands of records and none in a cycle: the collector would only walk them
        rows = _plan_all(cases, env.clock())
        if args.format == "json":
            return _print(env, json_document(list_document(rows, lang)))
        return _print(env, render_list(rows, lang, env.local_zone()))


def _plan_all(cases: list[Case], now: Any) -> list[tuple[Case, CaseNext | None, str | None]]:
    """Each case with its next step, or the message that says why it has none; one planner per tree."""
    from wizard.core.case import Planner
    from wizard.core.errors import WizardError

    planners: dict[str, Planner | WizardError] = {}
    rows: list[tuple[Case, CaseNext | None, str | None]] = []
    for case in cases:
        planner = planners.get(case.tree_spec)
        if planner is None:
            try:
                planner = planners[case.tree_spec] = Planner(case_tree(case))
            except WizardError as exc:
                planner = planners[case.tree_spec] = exc
        if isinstance(planner, WizardError):
            rows.append((case, None, str(planner.lines()[0])))
            continue
        try:
            rows.append((case, planner.plan(case, now), None))
        except WizardError as exc:
            rows.append((case, None, exc.lines()[0]))
    return rows


def _tree_or_warning(case: Case, env: Environment) -> Tree | None:
    """The case's tree, or None with a warning: a case is shown as it was written without it."""
    from wizard.core.errors import WizardError

    try:
        return case_tree(case)
    except WizardError as exc:
        _warn(env, [f"case {case.id}: {exc.lines()[0]}; the contacts are shown as they were written"])
        return None


@_action("show", "a case's timeline")
def _show(args: argparse.Namespace, env: Environment) -> int:
    from wizard.render.case import case_document, render_show

    store, case = _one_case(args, env)
    store.close()
    if args.format == "json":
        return _print(env, json_document(case_document(case)))
    tree = _tree_or_warning(case, env)
    lang = _language(args, env, tree)
    return _print(env, render_show(case, tree, lang, env.local_zone()))


@_action("export", "a case as Markdown, JSON or iCalendar")
def _export(args: argparse.Namespace, env: Environment) -> int:
    from wizard.render.case_export import EXPORTS

    store, case = _one_case(args, env)
    store.close()
    tree = _tree_or_warning(case, env)
    lang = _language(args, env, tree)
    text = EXPORTS[args.format](case, tree, lang, env.local_zone(), env.clock())
    if args.output:
        from wizard.source.save import write_file

        write_file(args.output, text)
        print(f"pdd-wizard: wrote case {case.id} to {one_line(args.output)}", file=env.stderr)
        return int(ExitStatus.OK)
    return _print(env, text)


# --- close, delete -------------------------------------------------------------------------------


@_action("close", "close a case as solved or dropped")
def _close(args: argparse.Namespace, env: Environment) -> int:
    from wizard.render.words import word

    store, case = _one_case(args, env)
    with store:
        store.close_case(case.id, args.status, env.clock())
    if args.format == "json":
        return _print(env, json_document({"case": case.id, "status": args.status}))
    lang = _language(args, env)
    status = word(f"status_{args.status}", lang)
    return _print(env, f"{word('case', lang, id=case.id)}{word('colon', lang)}{status}\n")


@_action("delete", "delete a case and its contacts")
def _delete(args: argparse.Namespace, env: Environment) -> int:
    from wizard.render.words import word

    store, case = _one_case(args, env)
    with store:
        lang = _language(args, env)
        if not args.yes:
            if not env.stdin_isatty:
                raise UsageError(f"case delete: add --yes to delete case {case.id} (there is no terminal to ask)")
            from wizard.tui.case_prompts import CasePrompter

            if not CasePrompter(lang).confirm(word("ask_delete", lang, id=case.id)):
                return int(ExitStatus.OK)
        store.delete(case.id)
    if args.format == "json":
        return _print(env, json_document({"case": case.id, "deleted": True}))
    return _print(env, f"{word('case', lang, id=case.id)}{word('colon', lang)}{word('case_deleted', lang)}\n")


_RUNS = {name: run for name, (_, run) in ACTIONS.items()}
