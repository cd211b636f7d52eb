"""The rules: every check of a tree's soundness, each finding with a stable code and a place in the file.

`check_tree(tree)` runs every rule and returns a `Report` of `Finding`s; `refuse_broken(tree)`
runs only the rules whose findings refuse a tree at loading, and raises them as a
`LoadError`. The rules themselves, one per code, are listed in `wizard.rules.registry`,
and live by family: `references` (names and ids), `graph` (reachability, dead ends,
cycles, depth), `conditions` (what conditions name, choices nothing reads), `answers`
(what the answers that can arrive decide, from the data flow of `flow`), `texts` and
`outcomes` (schedules, escalation). `count_paths` and `iter_paths` (`paths`) count and
list the paths from the start. No terminal library is used here, and networkx is
imported only when a tree has a cycle to take apart, never at import.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from wizard.core.errors import LoadError, Problem
from wizard.core.model import Tree
from wizard.rules.analysis import Analysis
from wizard.rules.findings import LINE_BUDGET, MAX_DEPTH, Finding, Limits, Report
from wizard.rules.paths import NodeIdMismatch, PathCount, TreeCycle, WalkedPath, count_paths, iter_paths
from wizard.rules.places import Locate, where
from wizard.rules.registry import CODES, RULES, Rule, codes_table
from wizard.source.load import collector_paused
from wizard.source.load import load_tree as source_load_tree

__all__ = [
    "CODES",
    "LINE_BUDGET",
    "MAX_DEPTH",
    "RULES",
    "Finding",
    "Limits",
    "NodeIdMismatch",
    "PathCount",
    "Report",
    "Rule",
    "TreeCycle",
    "WalkedPath",
    "check_tree",
    "codes_table",
    "count_paths",
    "gc_paused",
    "iter_paths",
    "load_tree",
    "refuse_broken",
]


def check_tree(tree: Tree, limits: Limits | None = None, *, locate: Locate | None = None) -> Report:
    """Run every rule on a tree.

    Args:
        tree: The tree, as loaded (or built in Python).
        limits: The stated depth, line budget and analysis bounds.
        locate: Where a text is written, from the document the tree was read from
            (`Document.where`: the language mapping of a text, and a language in it); without
            it, a text's finding is placed at the record that holds it.

    Returns:
        The findings, ordered by where they are in the file.
    """
    analysis = Analysis(tree, limits or Limits())
    return Report(
        tree=tree,
        findings=_findings(analysis, RULES, locate),
        nodes=len(tree.nodes),
        edges=analysis.edge_count,
        outcomes=len(analysis.outcome_ids),
    )


def load_tree(spec: str | Path) -> Tree:
    """A tree by shipped name or path, refused as the loader would refuse it when a rule that
    blocks loading finds anything: what run, show, export, paths and test read trees with.

    Raises:
        LoadError: The tree cannot be read, or a blocking rule found a problem (every one, located).
    """
    tree = source_load_tree(spec)
    refuse_broken(tree)
    return tree


def refuse_broken(tree: Tree) -> None:
    """Refuse a tree that cannot be run as written: a name that names nothing, an id given twice, a
    condition, ladder or default naming what is not there, an operator of the other kind of question, a
    missing translation or a language not declared (the rules marked `blocks`).

    Raises:
        LoadError: With each such finding as a located problem, in the order of the file.
    """
    findings = _findings(Analysis(tree, Limits()), [rule for rule in RULES if rule.blocks], None)
    if findings:
        raise LoadError([Problem(finding.loc, finding.message) for finding in findings])


def _findings(analysis: Analysis, rules: Iterable[Rule], locate: Locate | None) -> list[Finding]:
    """What the rules find, each located (all in one call), in the order of the file."""
    found = [(rule.code, item) for rule in rules if rule.check is not None for item in rule.check(analysis)]
    places = where(analysis.tree, [item.path for _, item in found], locate)
    findings = [
        Finding(code, item.message, item.node, loc, item.path) for (code, item), loc in zip(found, places, strict=True)
    ]
    return sorted(findings, key=lambda f: (f.loc.file, f.loc.line == 0, f.loc.line, f.loc.column, f.code, f.node or ""))


#: The cycle collector paused while a tree is loaded and checked (the loader's own pause).
gc_paused = collector_paused
