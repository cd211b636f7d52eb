"""`pdd-wizard show` of a deep tree: nesting stops at `MAX_DEPTH` and the branch goes on in a drawing below."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from tests.utils import ROOT, run_cli
from wizard.tui.show import MAX_DEPTH

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate_shape_json


def test_a_long_chain_is_drawn_in_blocks_of_bounded_depth(tmp_path: Path) -> None:
    tree = tmp_path / "chain.json"
    tree.write_text(generate_shape_json("chain", 100), encoding="utf-8")
    result = run_cli("show", "--tree", str(tree), "--lang", "en", environ={"COLUMNS": "200"})
    assert result.status == 0, result.stderr
    lines = result.stdout.splitlines()
    for node_id in json.loads(tree.read_text(encoding="utf-8"))["nodes"]:
        assert sum(line.endswith((f" [{node_id}]", f" [{node_id}] ↓")) for line in lines) == 1, node_id
    # Each level indents by 4: no line is deeper than MAX_DEPTH levels (rich redid every level's
    # guides on every line, so a chain of 30,000 took minutes).
    assert max(len(re.match(r"[ │└├─]*", line).group()) for line in lines) <= 4 * MAX_DEPTH  # type: ignore[union-attr]
    # Every branch cut off goes on below, from its node.
    cut = [re.search(r"\[(\w+)\] ↓$", line) for line in lines]
    continued = [m.group(1) for m in cut if m]
    assert continued and [line[2:] for line in lines if line.startswith("↳ ")] == continued
