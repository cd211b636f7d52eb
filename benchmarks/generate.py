"""Synthetic trees of any size for benchmarks and tests: valid and clean, or broken on purpose; in both languages.

Usable as a module (`generate_tree_text(n)`, `generate_tree_json(n)`, `generate_shape_json(shape, n)`)
and as a script::

    python benchmarks/generate.py 100000 > /tmp/tree-100k.yaml
    python benchmarks/generate.py 100000 --json > /tmp/tree-100k.json
    python benchmarks/generate.py 40000 --json --broken 100 > /tmp/broken-40k.json
    python benchmarks/generate.py 30000 --shape chain > /tmp/chain-30k.json

The tree has the shape of a real one, grown wide: a small head that reads earlier
answers (a single choice, a multiple choice, a ladder and a route, so the validator's
data-flow analysis has work to do), then layers of single-choice questions, each
option leading to a different question of the next layer, and a last layer whose
options lead to shared outcomes. Every node is reachable, every node reaches an
outcome, no path asks more than `MAX_LAYERS` + 2 questions, and `pdd-wizard check`
reports nothing on it. Nodes are written in flow style, one per line, to keep a
100,000-node file near 15 MB (31 MB as JSON).

With `broken=K`, every K-th option of the body has a number for its label instead of a
text: type errors spread evenly through the file, so the loader's located reporter runs.

The shapes (issue 15) are trees that took a time out of proportion to their size: a chain
of questions, a chain of outcomes linked by `escalates_to`, and one multiple choice with
very many options. They are written as JSON only, and they are not clean (see
`generate_shape_json`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

import yaml

__all__ = ["MAX_LAYERS", "SHAPES", "generate_shape_json", "generate_tree_json", "generate_tree_text"]

#: Most layers of body questions; the head adds two questions on every path.
MAX_LAYERS = 20
#: The shapes `generate_shape_json` writes.
SHAPES = ("chain", "escalation", "wide")
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

Node = dict[str, Any]


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


def _text(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _body(n: int, broken: int) -> Iterator[tuple[str, Node]]:
    """The body's nodes after the head, in file order: the layers of questions, then the outcomes."""
    widths = _layer_widths(max(20, n))
    outcomes = max(_OPTIONS + 1, max(20, n) - sum(widths) - 4)
    counted = 0  # options of the body so far, for `broken`
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
                counted += 1
                label: object = counted if broken and counted % broken == 0 else _text(f"选{letter}", f"Pick {letter}")
                options.append({"id": letter, "label": label, "next": target})
            prompt = _text(f"问题{layer}.{index}", f"Question {layer}.{index}")
            yield f"q{layer}_{index}", {"kind": "single", "prompt": prompt, "options": options}
    for index in range(outcomes):
        yield f"o{index}", _outcome(index)


def _outcome(index: int) -> Node:
    return {
        "kind": "outcome",
        "title": _text(f"结果{index}", f"Outcome {index}"),
        "channel": _text("渠道", "Channel"),
        "summary": _text(f"说明{index}", f"Summary {index}"),
    }


def _flow(value: object) -> str:
    """`value` in YAML flow style: the generated texts and ids are all plain scalars."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(_flow, value)) + "]"
    return str(value)


def generate_tree_text(n: int, broken: int = 0) -> str:
    """The YAML text of a valid, clean tree with about `n` nodes.

    Args:
        n: The number of nodes wanted (at least 20; the result is within a few percent).
        broken: When above 0, every `broken`-th option of the body has a number for its label.
    """
    lines = [_HEAD.format(n=n, b0="q0_0", b1="q0_1", b2="q0_2", b3="q0_3")]
    lines.extend(f"  {key}: {_flow(node)}\n" for key, node in _body(n, broken))
    return "".join(lines)


def generate_tree_json(n: int, broken: int = 0) -> str:
    """The same tree as `generate_tree_text(n, broken)`, written as JSON (which is YAML too), one node per line.

    Trees this large are written by programs, and programs write JSON: pdd-wizard
    reads it with the json module, several times faster than any YAML.
    """
    text = _HEAD.format(n=n, b0="q0_0", b1="q0_1", b2="q0_2", b3="q0_3")
    # libyaml, as the tree was always read here: the pure-Python reader refuses "你是谁?," in flow style.
    head: Node = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return _json(head, [*head.pop("nodes").items(), *_body(n, broken)])


def _json(head: Node, nodes: list[tuple[str, Node]]) -> str:
    """A tree's JSON: its head's fields on the first line, then one node per line."""
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in nodes)
    return f'{opening}, "nodes": {{\n{body}\n}}}}\n'


def generate_shape_json(shape: str, n: int) -> str:
    """The JSON of a tree of one of the `SHAPES`, with `n` questions, outcomes or options.

    Each is sound as a graph but draws one finding per node or option, as the trees of
    issue 15 did (that is where the time went: each finding is located in the file):

    - chain: `n` multiple choices in a row, each of one option that nothing reads (W402 each);
    - escalation: one question leading to the first of `n` outcomes, each escalating to the
      next; `escalates_to` is no way in, so every outcome after the first is unreachable (E103 each);
    - wide: one multiple choice of `n` options, of which a route reads only the first (W402 for the others).
    """
    head: Node = {"id": f"{shape}{n}", "title": _text("形状", "Shape"), "languages": ["zh", "en"]}
    nodes: list[tuple[str, Node]] = []
    if shape == "chain":
        option = {"id": "a", "label": _text("是", "Yes")}
        for index in range(n):
            ahead = f"q{index + 1}" if index + 1 < n else "end"
            prompt = _text(f"问题{index}", f"Question {index}")
            nodes.append((f"q{index}", {"kind": "multiple", "prompt": prompt, "options": [option], "next": ahead}))
        nodes.append(("end", _outcome(0)))
        head["start"] = "q0"
    elif shape == "escalation":
        options = [
            {"id": "a", "label": _text("投诉", "Complain"), "next": "o0"},
            {"id": "b", "label": _text("算了", "Leave it"), "next": "stop"},
        ]
        nodes.append(("ask", {"kind": "single", "prompt": _text("怎么办?", "What now?"), "options": options}))
        nodes.append(("stop", _outcome(n)))
        nodes += [(f"o{i}", {**_outcome(i), **({"escalates_to": f"o{i + 1}"} if i + 1 < n else {})}) for i in range(n)]
        head["start"] = "ask"
    elif shape == "wide":
        options = [{"id": f"x{i}", "label": _text(f"选项{i}", f"Option {i}")} for i in range(n)]
        prompt = _text("试过什么?", "Tried?")
        branches = [{"when": {"tried": {"includes": "x0"}}, "next": "done"}, {"default": True, "next": "other"}]
        nodes.append(("tried", {"kind": "multiple", "prompt": prompt, "options": options, "next": "split"}))
        nodes.append(("split", {"kind": "route", "branches": branches}))
        nodes += [("done", _outcome(0)), ("other", _outcome(1))]
        head["start"] = "tried"
    else:
        raise ValueError(f"unknown shape {shape!r}; the shapes are {', '.join(SHAPES)}")
    return _json(head, nodes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic tree of about N nodes to stdout.")
    parser.add_argument("nodes", type=int, help="about how many nodes (for a shape: questions, outcomes or options)")
    parser.add_argument("--json", action="store_true", help="write JSON instead of YAML")
    parser.add_argument("--broken", type=int, default=0, metavar="K", help="every K-th option's label a number")
    parser.add_argument("--shape", choices=SHAPES, help="one of the shapes of issue 15, as JSON")
    args = parser.parse_args(argv)
    if args.shape:
        sys.stdout.write(generate_shape_json(args.shape, args.nodes))
    elif args.json:
        sys.stdout.write(generate_tree_json(args.nodes, args.broken))
    else:
        sys.stdout.write(generate_tree_text(args.nodes, args.broken))
    return 0


if __name__ == "__main__":
    sys.exit(main())
