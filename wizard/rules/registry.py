"""Every check code, once: its meaning, the rule that reports it, and whether it refuses a tree at loading.

A new check is one function (in the module of its family, or a new module) that yields
`Found`s, and one `Rule` here. The README's table of codes, `check --list-codes` and
`check --help` are this table; a test holds the README to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from msgspec import Struct

from wizard.rules import answers, conditions, graph, outcomes, references, texts
from wizard.rules.analysis import Analysis
from wizard.rules.findings import Found

__all__ = ["CODES", "RULES", "Rule", "codes_table"]


class Rule(Struct, frozen=True):
    """One check code.

    Attributes:
        code: The stable code, `E…` for an error and `W…` for a warning; scripts and CI filter on it.
        summary: What it means, in one line: the row of the README's table and of `--list-codes`.
        check: What finds it in a tree (None for E100, which the loader reports).
        blocks: Whether its findings refuse the tree at loading too (`refuse_broken`): what would
            make a run go wrong, or crash, rather than merely be poor advice.
    """

    code: str
    summary: str
    check: Callable[[Analysis], Iterable[Found]] | None
    blocks: bool = False

    @property
    def severity(self) -> Literal["error", "warning"]:
        return "error" if self.code.startswith("E") else "warning"


RULES: tuple[Rule, ...] = (
    Rule("E100", "the tree cannot be read: the loader's problems, each with its file, line and column", None, True),
    Rule(
        "E101",
        "a reference to a missing node: a `next`, `start`, `exhausted`, `escalates_to` or `schedule`; "
        "or an option of a single choice without `next`",
        references.missing_nodes,
        True,
    ),
    Rule(
        "E102",
        "a duplicate id: two nodes, two options of a question, two rungs of a ladder for one step",
        references.duplicate_ids,
        True,
    ),
    Rule("E103", "a node that cannot be reached from the start (or only through ways never taken)", graph.unreachable),
    Rule("E104", "a dead end: a node that is not an outcome and has no way forward (on some answers)", graph.dead_ends),
    Rule("E105", "a node from which no outcome can be reached", graph.no_outcome),
    Rule("E106", "a cycle: the nodes of a loop, or a node leading to itself", graph.cycles),
    Rule("E201", "a route without exactly one default branch", graph.route_defaults),
    Rule("E202", "a condition (or a ladder) that names an unknown question", conditions.unknown_questions, True),
    Rule(
        "E203",
        "a condition, ladder rung or default that names an option its question does not have",
        conditions.unknown_options,
        True,
    ),
    Rule(
        "E204",
        "a condition that reads a question not asked on every path into it (unless guarded by `answered`)",
        answers.not_asked,
    ),
    Rule(
        "E205",
        "a route branch, ladder rung, conditional option or list item that is never taken",
        answers.never_taken,
    ),
    Rule("E206", "a condition whose operator does not apply to its question's kind", conditions.wrong_operators, True),
    Rule("E301", "a missing translation for a language the tree declares", texts.missing_translations, True),
    Rule("E302", "an empty text", texts.empty_texts),
    Rule(
        "E303",
        "text holding control characters, terminal escape sequences or bidi overrides, or a line break in a "
        "one-line text (label, title, channel, name)",
        texts.control_characters,
    ),
    Rule("E304", "text in a language the tree does not declare", texts.undeclared_languages, True),
    Rule(
        "E305",
        "a text naming a fact (`{order_number}`) that the tree does not declare in `facts`, or a declared fact "
        "no case supplies",
        texts.undeclared_facts,
    ),
    Rule(
        "W401",
        "a single choice whose options all end in the same place: the choice changes nothing",
        conditions.choices_change_nothing,
    ),
    Rule(
        "W402",
        "a multiple-choice option (or question) whose answer no condition or ladder reads",
        conditions.options_nothing_reads,
    ),
    Rule("W403", "a path asking more questions than `--max-depth` (default 25)", graph.too_deep),
    Rule("W404", "a line of text longer than `--line-budget` (default 240 characters)", texts.long_lines),
    Rule(
        "W405",
        "a route's default branch or a ladder's `exhausted` that is never taken",
        answers.default_never_taken,
    ),
    Rule("W406", "a single choice's default that is not offered on some path", answers.default_not_offered),
    Rule("W407", "a schedule no outcome uses", outcomes.unused_schedules),
    Rule("W408", "outcomes whose `escalates_to` lead round in a circle", outcomes.escalation_loops),
    Rule(
        "W409",
        "the analysis of answer combinations was bounded: the checks below a node were skipped",
        answers.analysis_bounded,
    ),
    Rule("W410", "two options of one question with the same label", texts.same_labels),
    Rule(
        "W411",
        "an id (node, option, schedule, the tree's own) that is not a plain id: scripts and the JSON Schema "
        "cannot name it",
        references.not_plain_ids,
    ),
)

#: Every code and its summary, in order.
CODES: dict[str, str] = {rule.code: rule.summary for rule in RULES}


def codes_table() -> str:
    """The check codes as an aligned plain-text table, for `--help` and `--list-codes`."""
    return "\n".join(f"  {rule.code}  {rule.summary}" for rule in RULES)
