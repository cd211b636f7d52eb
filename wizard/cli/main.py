"""The command line: argument parsing, the subcommand registry, and errors turned into exit codes.

Each subcommand is a module in `wizard.cli.commands` with `HELP`, `add_arguments(parser)`
and `main(args, env) -> int`; this file only dispatches. Only the module of the
subcommand being run is imported (all of them for the top-level `--help`), and each
keeps its heavy imports (networkx, questionary, rich) inside the functions that use
them, so start-up stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import IO, TYPE_CHECKING, NoReturn

from wizard import __version__
from wizard.core.errors import ExitStatus, Terminated, WizardError
from wizard.render.text import one_line
from wizard.render.words import word
from wizard.source.environment import Environment

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["COMMANDS", "EXIT_CODES_HELP", "build_parser", "main"]

#: Subcommand name -> module. `run` is the default when no subcommand is given.
COMMANDS: dict[str, str] = {
    "run": "wizard.cli.commands.run",
    "check": "wizard.cli.commands.check",
    "paths": "wizard.cli.commands.paths",
    "test": "wizard.cli.commands.test",
    "export": "wizard.cli.commands.export",
    "show": "wizard.cli.commands.show",
    "case": "wizard.cli.commands.case",
}

EXIT_CODES_HELP = """\
exit codes:
  0    done
  1    a check or test found problems
  2    bad input or usage (a broken tree, a wrong answers file, no terminal)
  129  stopped by SIGHUP (the terminal closed)
  130  interrupted (Ctrl-C, Ctrl-D)
  143  stopped by SIGTERM"""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors take the one error path."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # The caller prints "pdd-wizard: " first; name the subcommand once, and where its help is.
        command = self.prog.removeprefix("pdd-wizard").strip()
        help_of = f"pdd-wizard {command} --help" if command else "pdd-wizard --help"
        raise _ArgumentError(f"{command + ': ' if command else ''}{message} (see '{help_of}')")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse drops a failed write of --help or --version; it is reported as any other output's.
        stream = file or sys.stderr
        if message and stream is not None:
            stream.write(message)


class _ArgumentError(WizardError):
    pass


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser: every subcommand with its options, or with `only`, that one's options alone.

    Args:
        only: The subcommand about to run; the others are then listed by name only,
            which saves importing their modules.
    """
    common = _Parser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show a traceback on errors (or set WIZARD_DEBUG=1)")
    common.add_argument("--version", action="version", version=f"pdd-wizard {__version__}")  # on every command
    parser = _Parser(
        prog="pdd-wizard",
        description=(
            "A guided decision-tree wizard: from a Pinduoduo problem to the right next escalation step. "
            "Without a subcommand, `run` is used."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, path in COMMANDS.items():
        if only is not None and name != only:
            sub.add_parser(name, add_help=False)
            continue
        module: ModuleType = importlib.import_module(path)
        command = sub.add_parser(
            name,
            help=module.HELP,
            description=getattr(module, "DESCRIPTION", module.HELP),
            epilog=EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[common],
        )
        module.add_arguments(command)
        command.set_defaults(handler=module.main)
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    if not argv:
        return ["run"]
    # Options of the program itself (--debug) may come before the command.
    leading = 0
    while leading < len(argv) and argv[leading] in _GLOBAL_FLAGS:
        leading += 1
    if leading == len(argv):
        return ["run", *argv]
    first = argv[leading]
    if first in COMMANDS or first in ("-h", "--help", "--version"):
        return [*argv[leading:], *argv[:leading]]
    if first.startswith("-"):
        return ["run", *argv[leading:], *argv[:leading]]
    return argv


_GLOBAL_FLAGS = ("--debug",)


def _unrecognized(command: str, extra: list[str], *, implicit: bool) -> str:
    """The message for arguments no parser took, naming the command and its help.

    When no command was named (`implicit`), a command's name among them was most likely meant
    as the command, written after an option (`pdd-wizard --lang en show`, which runs `run`): the
    message says to put it first.
    """
    listed = " ".join(extra)
    named = next((word for word in extra if word in COMMANDS), None)
    if named is not None and implicit:
        return f"{command}: unrecognized arguments: {listed}; the command comes first: 'pdd-wizard {named} ...'"
    return f"{command}: unrecognized arguments: {listed} (see 'pdd-wizard {command} --help')"


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Run pdd-wizard and return its exit status; nothing here raises to the caller.

    Args:
        argv: Arguments without the program name (default: `sys.argv[1:]`).
        env: The outside world (default: the real one).
    """
    env = env or Environment()
    given = list(sys.argv[1:] if argv is None else argv)
    args_list = _with_default_command(given)
    implicit = len(args_list) > len(given)  # `run` was put in front: no command was named
    debug = env.debug() or "--debug" in args_list
    try:
        with _stopping_signals():
            return _dispatch(args_list, env, implicit=implicit, debug=debug)
    except Terminated as exc:  # after SIGHUP the terminal may be gone: a failed message is dropped
        _say(f"stopped by {signal.Signals(exc.signum).name}", env.stderr)
        return 128 + exc.signum


#: The signals that stop a run as Ctrl-C does, each by an exception (`Terminated`).
_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def _stopping_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Terminated` while a command runs, instead of ending the process
    where it stands: a temporary `.part` file, a `dot` child and a terminal in raw mode are then
    cleaned up by the `finally` blocks that handle Ctrl-C. The handlers before are put back after.
    """

    def stop(signum: int, frame: object) -> None:
        for number in _STOPPING:  # once: a second signal must not cut the clean-up short
            signal.signal(number, signal.SIG_IGN)
        raise Terminated(signum)

    try:
        before = {number: signal.signal(number, stop) for number in _STOPPING}
    except ValueError:  # not the main thread (an embedding program's worker): leave them as they are
        before = {}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def _dispatch(args_list: list[str], env: Environment, *, implicit: bool, debug: bool) -> int:
    """Parse the arguments, run the subcommand, and turn what it raised into an exit status."""
    args: argparse.Namespace | None = None
    try:
        parser = build_parser(args_list[0] if args_list and args_list[0] in COMMANDS else None)
        try:
            args, extra = parser.parse_known_args(args_list)
        except SystemExit as exc:  # --help and --version print and exit 0
            return int(exc.code or 0)
        if extra:
            raise _ArgumentError(_unrecognized(args.command, extra, implicit=implicit))
        return int(args.handler(args, env))
    except WizardError as exc:
        if debug:
            _print_traceback(env.stderr)
        for line in exc.lines():
            print(f"pdd-wizard: {one_line(line)}", file=env.stderr)
        return int(exc.exit_status)
    except KeyboardInterrupt:
        if debug:
            _print_traceback(env.stderr)
        # In the language the run chose for its prompts; before it chose one, as it would.
        lang = env.chosen_language or env.language(getattr(args, "lang", None))
        print(f"\npdd-wizard: {word('cancelled', lang)}", file=env.stderr)
        return int(ExitStatus.INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (`| head`): not an error of ours; keep Python quiet at exit.
        _silence_stdout()
        return int(ExitStatus.OK)
    except OSError as exc:  # writing the output failed: a full disk, a closed stream
        if debug:
            _print_traceback(env.stderr)
        _say(_os_error_message(exc), env.stderr)
        return int(ExitStatus.BAD_INPUT)


def _os_error_message(exc: OSError) -> str:
    """What an OSError no command turned into a message means: most often that writing the output
    failed (a full disk); a named file's own error; or a current folder that no longer exists."""
    if exc.filename is not None:
        return f"{exc.filename}: {exc.strerror or exc}"
    if isinstance(exc, FileNotFoundError) and _current_folder_gone():
        return "the current folder no longer exists (deleted or moved); cd to one that does and run again"
    return f"cannot write: {exc.strerror or exc}"


def _current_folder_gone() -> bool:
    try:
        os.getcwd()
    except FileNotFoundError:
        return True
    return False


def _print_traceback(stream: IO[str]) -> None:
    """The exception being handled, as Python prints it: for --debug only, so imported only then."""
    import traceback

    traceback.print_exc(file=stream)


def _say(message: str, stream: IO[str] | None) -> None:
    """One line on stderr, when there is a stderr to write to."""
    if stream is not None:
        with contextlib.suppress(OSError, ValueError):
            print(f"pdd-wizard: {one_line(message)}", file=stream, flush=True)


def entry() -> NoReturn:
    """The console script and `python -m wizard`: `main`, its output flushed, then its exit status."""
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        _say("standard output is closed; nothing can be written", sys.stderr)
        sys.exit(int(ExitStatus.BAD_INPUT))
    status = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except (OSError, ValueError) as exc:  # the last buffered output could not be written (a full disk)
        _say(f"cannot write to standard output: {getattr(exc, 'strerror', None) or exc}", sys.stderr)
        _silence_stdout()
        status = status or int(ExitStatus.BAD_INPUT)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    sys.exit(status)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
