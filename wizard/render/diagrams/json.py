"""The graph as one JSON document: the same bytes for the same tree and options, for the golden tests and tools.

::

    {"format": "pdd-wizard-graph", "version": 1, "tree": ID, "lang": "en", "title": TEXT,
     "start": ID, "highlighted": false, "clusters": [{"id": "c0", "label": TEXT}],
     "nodes": [{"id": ID, "ref": "n0", "kind": "single", "label": TEXT, "level": null,
                "tone": null, "style": "question", "cluster": null, "highlighted": false}],
     "edges": [{"source": ID, "target": ID, "key": KEY, "label": TEXT, "highlighted": false}]}

``kind`` is the node kind of the tree format; ``level``/``tone`` are set on outcomes only;
``cluster`` is a cluster id or null; nodes in file order, edges in the engine's order.
Texts are as the tree writes them, unsafe characters escaped (`wizard.render.text.json_document`).
"""

from __future__ import annotations

from typing import Any

from wizard.render.text import json_document

__all__ = ["render"]

_NODE_FIELDS = ("ref", "kind", "label", "level", "tone", "style", "cluster", "highlighted")


def render(graph: Any) -> str:
    """The graph as the stable JSON document described in this module's docstring."""
    return json_document(
        {
            "format": "pdd-wizard-graph",
            "version": 1,
            **{name: graph.graph[name] for name in ("tree", "lang", "title", "start", "highlighted")},
            "clusters": [{"id": cid, "label": label} for cid, label in graph.graph["clusters"]],
            "nodes": [
                {"id": node_id, **{name: data[name] for name in _NODE_FIELDS}}
                for node_id, data in graph.nodes(data=True)
            ],
            "edges": [
                {
                    "source": source,
                    "target": target,
                    "key": key,
                    "label": data["label"],
                    "highlighted": data["highlighted"],
                }
                for source, target, key, data in graph.edges(keys=True, data=True)
            ],
        }
    )
