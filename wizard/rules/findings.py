"""What the rules report: a finding, the limits they are run with, and the report of one tree."""

from __future__ import annotations

from typing import Literal, NamedTuple

from msgspec import Struct

from wizard.core.model import Location, Tree

__all__ = ["LINE_BUDGET", "MAX_DEPTH", "STATE_LIMIT", "SUBSET_LIMIT", "Finding", "Found", "Limits", "Path", "Report"]

#: Where a thing is written, as keys and indexes into the tree's file: ("nodes", "q", "options", 0).
Path = tuple[str | int, ...]

#: Longest path accepted without W403, in questions asked.
MAX_DEPTH = 25
#: Longest line of text accepted without W404, in characters.
LINE_BUDGET = 240
#: Most answer combinations followed into one node before the analysis is bounded (W409).
STATE_LIMIT = 4096
#: Most options of one multiple choice whose subsets are followed (2**12 = 4096 subsets).
SUBSET_LIMIT = 12


class Found(NamedTuple):
    """What a rule's check yields: the registry adds the code, and the location is worked out from
    the path only once every rule has run (`wizard.rules.places`).

    Attributes:
        path: Where the thing is written.
        message: What is wrong, naming the node (and option, branch or condition).
        node: The node the finding is about, when there is one.
    """

    path: Path
    message: str
    node: str | None = None


class Finding(Struct, frozen=True):
    """One problem found in a tree.

    Attributes:
        code: The stable check code, `E…` for errors and `W…` for warnings.
        message: What is wrong, naming the node (and option, branch or condition).
        node: The node the finding is about, when there is one.
        loc: Where the thing is defined: file, line and column.
        path: Where the thing is written, as keys into the file (what `loc` was worked out from).
    """

    code: str
    message: str
    node: str | None
    loc: Location
    path: Path = ()

    @property
    def severity(self) -> Literal["error", "warning"]:
        return "error" if self.code.startswith("E") else "warning"


class Limits(Struct, frozen=True):
    """The stated limits of the checks.

    Attributes:
        max_depth: Most questions on a path before W403.
        line_budget: Most characters on a line of text before W404.
        state_limit: Most answer combinations followed into a node (W409 beyond).
        subset_limit: Most options of a multiple choice whose subsets are followed.
    """

    max_depth: int = MAX_DEPTH
    line_budget: int = LINE_BUDGET
    state_limit: int = STATE_LIMIT
    subset_limit: int = SUBSET_LIMIT


class Report(Struct):
    """What `check_tree` found.

    Attributes:
        tree: The tree checked.
        findings: Every finding, in the order of the file.
        nodes: How many nodes the tree has.
        edges: How many edges (options, branches, rungs, `next`s).
        outcomes: How many outcomes.
    """

    tree: Tree
    findings: list[Finding]
    nodes: int
    edges: int
    outcomes: int

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")
