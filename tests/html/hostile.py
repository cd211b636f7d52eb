"""A hostile tree for the page: markup, event attributes, `</script>`, bidi overrides, control characters,
Markdown syntax and a 10,000-character label, in texts and ids alike. It must show as text and run nothing."""

from __future__ import annotations

import json
from pathlib import Path

#: Markup that would run if any text reached the page as HTML: each sets `window.pwned`.
MARKUP = (
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=1">',
    "</script><script>window.pwned=1</script>",
    '<svg onload="window.pwned=1"></svg>',
    "<!-- <script>",
    "]]></style></template></textarea>",
)
#: A right-to-left override and an isolate, which would show text in another order than stored.
BIDI = "\u202eevil\u202c \u2066iso\u2069"
#: Markdown that would be syntax if not escaped, and Python-versus-JavaScript corners (full-width digits,
#: an ideographic space, a BOM before closing hashes, CR LF, a tab, ESC, BEL).
MARKDOWN = "# head ##\n1. one\n１. full\n  - dash\n_u_ a_b *s* `c` [l](x) a|b ~t~ &amp; \\ > q\u3000#\ufeff##"
CONTROLS = "esc \x1b[2J bel \x07 cr\r\nlf tab\tend"
LONG = "长" * 5000 + "long" * 1250  # 10,000 characters

STRANGE_ID = "x</script><b>"


def text(value: str) -> dict[str, str]:
    return {"zh": value, "en": value}


def hostile_tree() -> dict[str, object]:
    """The tree, as a mapping (written as JSON, which YAML reads too)."""
    evil = " ".join(MARKUP)
    return {
        "id": "hostile",
        "title": text(f"{MARKUP[0]} title {BIDI}"),
        "languages": ["zh", "en"],
        "start": "role",
        "schedules": {
            "desk": {
                "channel": text(f"desk {MARKUP[1]} {BIDI}"),
                "timezone": "Asia/Shanghai",
                "opens": "09:00",
                "closes": "21:00",
                "busy": [{"name": text(MARKUP[2]), "date": "11-12", "days": 14}],
            }
        },
        "nodes": {
            "role": {
                "kind": "single",
                "prompt": text(f"{evil} {BIDI} {CONTROLS}"),
                "help": text(MARKUP[3]),
                "options": [
                    {"id": "long", "label": text(LONG), "next": "tried", "help": text(MARKUP[1])},
                    {"id": STRANGE_ID, "label": text(f"{MARKUP[2]} {MARKDOWN}"), "next": "tried"},
                ],
            },
            "tried": {
                "kind": "multiple",
                "prompt": text(MARKDOWN),
                "options": [
                    {"id": "a", "label": text(MARKUP[0])},
                    {"id": "b", "label": text(BIDI)},
                ],
                "next": "ladder",
            },
            "ladder": {
                "kind": "ladder",
                "question": "tried",
                "rungs": [{"step": "a", "next": STRANGE_ID}, {"step": "b", "next": "last"}],
                "exhausted": "last",
            },
            STRANGE_ID: {
                "kind": "outcome",
                "level": 1,
                "title": text(f"{MARKDOWN} {MARKUP[0]}"),
                "channel": text(MARKUP[1]),
                "summary": text(f"{evil}\n{CONTROLS}\n{BIDI}"),
                "schedule": "desk",
                "how": [text(MARKDOWN), {"text": text(MARKUP[2]), "when": {"tried": {"includes": ["b"]}}}],
                "hours": text(MARKUP[4]),
                "busy": text(MARKUP[5]),
                "prepare": [text(LONG)],
                "say": text(f"{MARKDOWN}\n\n{MARKUP[0]}"),
                "record": [text(CONTROLS)],
                "warning": text(f"  {MARKDOWN}  \n {MARKUP[1]} "),
                "if_fails": text(MARKUP[3]),
                "escalates_to": "last",
            },
            "last": {
                "kind": "outcome",
                "level": 2,
                "tone": "danger",
                "title": text(f"#{MARKUP[2]} ##"),
                "channel": text(BIDI),
                "summary": text(LONG),
            },
        },
    }


def write_hostile(folder: Path) -> Path:
    path = folder / "hostile.json"
    path.write_text(json.dumps(hostile_tree(), ensure_ascii=False), encoding="utf-8")
    return path
