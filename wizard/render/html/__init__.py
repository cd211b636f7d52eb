"""`export --format html`: the whole wizard as one self-contained HTML page, with the tree as data.

The page is a template (`assets/page.html`) filled with its stylesheet, its script, the
tree's data (`wizard.render.html.data.page_data`) and the diagram in each of the tree's
languages (`wizard.render.html.svg.diagram_svg`). Nothing in it is fetched: a
Content-Security-Policy allows only the page's own style and script, by their hashes, so
no request can leave it, and it works opened from disk as from any static host.

The script (`assets/*.js`, joined in `SCRIPTS` order) interprets the tree's routing as
`wizard.core.engine` does, works out "right now" as `wizard.core.hours` does, and writes the
plan as `wizard.render.plan` and `wizard.render.markdown` write it; the tests walk every path
of the shipped tree in Chromium and compare with `pdd-wizard run`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from wizard.core.model import UNSAFE
from wizard.render.text import SURROGATE, visible

if TYPE_CHECKING:
    from wizard.core.model import Tree

__all__ = ["SCRIPTS", "embed_json", "page_policy", "render_tree"]

#: The script's parts, in the order they are joined: the walk, the hours, the plan's words, the page.
SCRIPTS = ("engine.js", "hours.js", "plan.js", "page.js")
#: What the JSON in a ``<script>`` element must not hold raw: ``<`` (``</script>``, ``<!--``), ``>``,
#: ``&``, and U+2028/U+2029, which end a line in older JavaScript; unsafe characters and lone
#: surrogates too, as `wizard.render.text.json_document` escapes them.
_JSON_ESCAPES = re.compile(f"[<>&\u2028\u2029]|{UNSAFE.pattern}|{SURROGATE.pattern}")
_SLOT = re.compile(r"@(CSP|LANG|TITLE|STYLE|NOSCRIPT|DIAGRAMS|DATA|SCRIPT)@")


def asset(name: str) -> str:
    """One of the page's files shipped in the package (`assets/`)."""
    return resources.files(__package__).joinpath("assets").joinpath(name).read_text(encoding="utf-8")


def embed_json(document: Any) -> str:
    """`document` as JSON that can sit inside a ``<script>`` element: no text in it can close the element."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return _JSON_ESCAPES.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def page_policy(style: str, script: str) -> str:
    """The Content-Security-Policy: nothing from anywhere but the page's own style and script, by hash."""
    return (
        f"default-src 'none'; script-src {_digest(script)}; style-src {_digest(style)}; "
        "img-src data: blob:; base-uri 'none'; form-action 'none'"
    )


def render_tree(tree: Tree, *, lang: str, cluster: bool = False) -> bytes:
    """The page of `tree`, as UTF-8 bytes.

    Args:
        tree: The tree.
        lang: The language the page is written in before its script runs (the script then takes
            the browser's, or the one chosen before).
        cluster: Group the diagram's nodes by the first answer (`export --cluster`).

    Raises:
        GraphvizMissing: Graphviz's `dot` is not on the PATH.
        GraphvizError: `dot` failed.
    """
    from wizard.render.html.data import page_data
    from wizard.render.html.svg import diagram_svg
    from wizard.render.words import word

    style = asset("page.css")
    script = "(function () {\n'use strict';\n" + "".join(asset(name) for name in SCRIPTS) + "\n})();\n"
    diagrams = "".join(
        f'<div class="diagram" data-lang="{html.escape(code)}" hidden>{diagram_svg(tree, code, cluster=cluster)}</div>'
        for code in tree.languages
    )
    slots = {
        "CSP": html.escape(page_policy(style, script)),
        "LANG": html.escape(lang),
        "TITLE": html.escape(visible(tree.title.get(lang))),
        "STYLE": style,
        "NOSCRIPT": html.escape(word("page_no_script", lang)),
        "DIAGRAMS": diagrams,
        "DATA": embed_json(page_data(tree)),
        "SCRIPT": script,
    }
    return _SLOT.sub(lambda m: slots[m.group(1)], asset("page.html")).encode("utf-8")
