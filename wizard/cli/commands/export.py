"""`pdd-wizard export`: a tree as a diagram (Mermaid, DOT, SVG, PNG) or as a JSON graph, maybe with a path drawn."""

from __future__ import annotations

import argparse
from pathlib import Path

from wizard.cli.commands import add_lang_option, add_tree_option
from wizard.core.errors import AnswerError, ExitStatus, UsageError
from wizard.render.diagrams import FORMATS, SUFFIXES, collector_paused, export_tree, format_from_name
from wizard.render.text import one_line
from wizard.source.environment import Environment

HELP = "export a tree as Mermaid, DOT, SVG, PNG or JSON, or as the wizard in one HTML page"
DESCRIPTION = """\
Export a tree as a diagram: Mermaid (GitHub renders it), Graphviz DOT, SVG or PNG
(both drawn by Graphviz's dot), or the graph as JSON. Text formats go to standard
output unless -o names a file; the format defaults to the file's suffix, else mermaid.
With --highlight and/or --answer, the path those answers take is drawn bold and coloured.
--format html (or -o FILE.html) writes the whole wizard as one self-contained web page,
its diagram drawn by Graphviz, that asks the questions in the browser.

examples:
  pdd-wizard export --format mermaid --lang en
  pdd-wizard export -o pinduoduo.svg --cluster
  pdd-wizard export --format png -o path.png --answer role=consumer --answer problem=logistics
  pdd-wizard export -o pinduoduo.html"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_tree_option(parser)
    parser.add_argument(
        "--format",
        choices=tuple(FORMATS),
        help="output format (default: from the -o file's suffix, else mermaid)",
    )
    add_lang_option(parser)
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (whole or not at all) instead of stdout")
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="group the nodes by the first answer (shopper, merchant) that leads to them",
    )
    parser.add_argument(
        "--highlight",
        "--answers",
        dest="highlight",
        metavar="ANSWERS_FILE",
        help=(
            "draw the path of the answers in this YAML or JSON file bold and coloured "
            "(--answers, as for run; - reads it from a pipe)"
        ),
    )
    parser.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="ID=VALUE",
        help=(
            "an answer of the path to draw, overriding the file; repeatable; ID=a,b for a multiple choice, ID= for none"
        ),
    )
    parser.add_argument(
        "--defaults",
        action="store_true",
        help="on the drawn path, a question without an answer takes its declared default",
    )


def main(args: argparse.Namespace, env: Environment) -> int:
    from wizard.render.diagrams import graphviz
    from wizard.render.diagrams.graph import walk
    from wizard.rules import load_tree
    from wizard.source.answers import ignored_answers, locate_answer_error, merge_answers

    fmt = _format(args, env)
    to_stdout = args.output in (None, "-")
    if fmt == "png" and to_stdout and env.stdout_isatty:
        raise UsageError("PNG is binary and standard output is a terminal; use -o FILE (or pipe it)")
    if fmt == "png" and not to_stdout:
        from wizard.source.save import is_terminal

        if is_terminal(args.output):  # -o /dev/stdout, /dev/tty: the same screen by another name
            raise UsageError(f"PNG is binary and {one_line(args.output)} is a terminal; use -o FILE (or pipe it)")
    with collector_paused():  # a large tree: the collector's passes would cost more than the load
        tree = load_tree(args.tree)
    inputs = _inputs(args)
    if not to_stdout:  # before the drawing, which can take a while: `-o` naming the tree itself
        from wizard.source.save import check_target

        check_target(args.output, inputs=inputs)
    lang = env.language(args.lang, tree.languages, tree.id)
    path = None
    if args.highlight or args.answer or args.defaults:
        answers = merge_answers(args.highlight, args.answer, env)
        try:
            path = walk(tree, answers, defaults=args.defaults)
        except AnswerError as exc:
            raise locate_answer_error(exc, answers) from None
        for warning in ignored_answers(answers, {q.id for q in tree.questions()}, set(path.nodes)):
            print(f"pdd-wizard: warning: {warning}", file=env.stderr)
        if path.stopped_at is not None:
            print(
                f"pdd-wizard: warning: the highlighted path stops at question '{path.stopped_at}': it has no answer",
                file=env.stderr,
            )
    data = export_tree(tree, fmt, lang=lang, highlight=path, cluster=args.cluster)
    if fmt == "png" and lang == "zh" and not graphviz.cjk_font_installed():
        print(
            "pdd-wizard: warning: no Chinese font found, so Chinese text in the PNG shows as boxes; install one "
            "(for example: apt-get install fonts-wqy-microhei) or use --format svg, which the viewer draws "
            "with its own fonts",
            file=env.stderr,
        )
    if not to_stdout:
        from wizard.source.save import write_file

        write_file(args.output, data, inputs=inputs)
    elif fmt == "png":
        binary = getattr(env.stdout, "buffer", None)
        if binary is None:
            raise UsageError("PNG is binary and standard output takes text here; use -o FILE")
        env.stdout.flush()
        binary.write(data)
        binary.flush()
    else:
        env.stdout.write(data.decode("utf-8"))
        env.stdout.flush()
    return int(ExitStatus.OK)


def _inputs(args: argparse.Namespace) -> list[str]:
    """The files this export reads, which `-o` must never replace: the tree and the answers file."""
    from wizard.source.load import resolve_tree

    return [str(resolve_tree(args.tree)[0]), *([args.highlight] if args.highlight else [])]


def _format(args: argparse.Namespace, env: Environment) -> str:
    """The format asked for: `--format`, else the suffix of `-o FILE`, else Mermaid.

    Raises:
        UsageError: No `--format`, and a suffix that names no format (`-o tree.jpg`).
    """
    named = format_from_name(args.output)
    suffix = Path(args.output).suffix if args.output not in (None, "-") else ""
    if args.format is None:
        if named is None and suffix:
            known = ", ".join(sorted(SUFFIXES))
            raise UsageError(
                f"-o {args.output}: '{suffix}' names no format; give --format ({', '.join(FORMATS)}) "
                f"or a file ending in one of: {known}"
            )
        return named or "mermaid"
    if named is not None and named != args.format:
        print(
            f"pdd-wizard: warning: -o {args.output}: writing {args.format}, though '{suffix}' means {named}",
            file=env.stderr,
        )
    return str(args.format)
