"""Synthetic trees of any size for benchmarks and tests: valid, clean, in both languages.

Usable as a module (`generate_tree_text(n)`) and as a script::

    python benchmarks/generate.py 100000 > /tmp/tree-100k.yaml
    python benchmarks/generate.py 100000 --json > /tmp/tree-100k.json

The tree has the shape of a real one, grown wide: a small head that reads earlier
answers (a single choice, a multiple choice, a ladder and a route, so the validator's
data-flow analysis has work to do), then layers of single-choice questions, each
option leading to a different question of the next layer, and a last layer whose
options lead to shared outcomes. Every node is reachable, every node reaches an
outcome, no path asks more than `MAX_LAYERS` + 2 questions, and `pdd-wizard check`
reports nothing on it. Nodes are written in flow style, one per line, to keep a
100,000-node file near 15 MB.
"""

from __future__ import annotations

import argparse
import json
import sys

import yaml

__all__ = ["MAX_LAYERS", "generate_tree_json", "generate_tree_text"]

#: Most layers of body questions; the head adds two questions on every path.
MAX_LAYERS = 20
_OPTIONS = 3  # options per body question
_HEAD = """\
id: bench{n}
title: {{zh: 基准树, en: Benchmark tree}}
languages: [zh, en]
start: role
nodes:
  role:
    kind: single
    prompt: {{zh: 你是谁?, en: Who are you?}}
    options:
      - {{id: buyer, label: {{zh: 买家, en: Buyer}}, next: tried}}
      - {{id: seller, label: {{zh: 卖家, en: Seller}}, next: tried}}
  tried:
    kind: multiple
    prompt: {{zh: 试过什么?, en: Tried?}}
    options:
      - {{id: chat, label: {{zh: 客服, en: Chat}}}}
      - {{id: call, label: {{zh: 电话, en: Call}}, when: {{role: buyer}}}}
    next: ladder
  ladder:
    kind: ladder
    question: tried
    rungs:
      - {{step: chat, next: split}}
      - {{step: call, next: {b1}, when: {{role: buyer}}}}
    exhausted: {b2}
  split:
    kind: route
    branches:
      - {{when: {{role: buyer}}, next: {b0}}}
      - {{default: true, next: {b3}}}
"""


def _layer_widths(n: int) -> list[int]:
    """Widths of the body's layers of questions, for about `n` nodes in all (outcomes included)."""
    questions = max(4, int(n * 0.9))
    layers = max(1, min(MAX_LAYERS, questions // 8))
    # Layers grow to a plateau so that every node of a layer gets a predecessor:
    # a layer is at most `_OPTIONS` times the one before it.
    widths: list[int] = []
    width = 4
    remaining = questions
    for index in range(layers):
        left = layers - index
        width = min(width * _OPTIONS, max(4, remaining // left)) if index else 4
        width = min(width, remaining) if remaining > 0 else 0
        if width <= 0:
            break
        widths.append(width)
        remaining -= width
    return widths


def generate_tree_text(n: int) -> str:
    """The YAML text of a valid, clean tree with about `n` nodes.

    Args:
        n: The number of nodes wanted (at least 20; the result is within a few percent).
    """
    widths = _layer_widths(max(20, n))
    outcomes = max(_OPTIONS + 1, max(20, n) - sum(widths) - 4)
    lines = [_HEAD.format(n=n, b0="q0_0", b1="q0_1", b2="q0_2", b3="q0_3")]
    for layer, width in enumerate(widths):
        last = layer == len(widths) - 1
        next_width = outcomes if last else widths[layer + 1]
        for index in range(width):
            options = []
            for choice in range(_OPTIONS):
                # Spread the options over the next layer so that every node there has a way in
                # and the options of one question never share a target.
                target_index = (index * _OPTIONS + choice) % next_width
                target = f"o{target_index}" if last else f"q{layer + 1}_{target_index}"
                letter = "abc"[choice]
                options.append(f"{{id: {letter}, label: {{zh: 选{letter}, en: Pick {letter}}}, next: {target}}}")
            prompt = f"{{zh: 问题{layer}.{index}, en: Question {layer}.{index}}}"
            lines.append(f"  q{layer}_{index}: {{kind: single, prompt: {prompt}, options: [{', '.join(options)}]}}\n")
    for index in range(outcomes):
        lines.append(
            f"  o{index}: {{kind: outcome, title: {{zh: 结果{index}, en: Outcome {index}}}, "
            f"channel: {{zh: 渠道, en: Channel}}, summary: {{zh: 说明{index}, en: Summary {index}}}}}\n"
        )
    return "".join(lines)


def generate_tree_json(n: int) -> str:
    """The same tree as `generate_tree_text(n)`, written as JSON (which is YAML too), one node per line.

    Trees this large are written by programs, and programs write JSON: pdd-wizard
    reads it with the json module, several times faster than any YAML.
    """
    data = yaml.load(generate_tree_text(n), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    nodes = data.pop("nodes")
    head = json.dumps(data, ensure_ascii=False)[:-1]
    body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in nodes.items())
    return f'{head}, "nodes": {{\n{body}\n}}}}\n'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic tree of about N nodes to stdout.")
    parser.add_argument("nodes", type=int, help="about how many nodes")
    parser.add_argument("--json", action="store_true", help="write JSON instead of YAML")
    args = parser.parse_args(argv)
    sys.stdout.write(generate_tree_json(args.nodes) if args.json else generate_tree_text(args.nodes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
