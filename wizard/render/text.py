"""Tree text as every front end shows it: control characters made visible, lines broken as Chinese is set.

Pure Python and light (no terminal library), so the scripted run can use it too: the plain
text plan (`wizard.render.plan`), the interactive wizard's panels and prompts (`wizard.tui.draw`,
`wizard.tui.interactive`), `pdd-wizard show` and the saved Markdown (`wizard.render.markdown`) all call
`visible` on tree text before it reaches a terminal or a file, and break lines with
`line_breaks`. It is the one escaping function: ids, keys and file names in messages (`check`'s
findings, also as GitHub annotations, `run`'s warnings, the CLI's errors) go through `one_line`,
JUnit reports through `visible`; JSON keeps the data exact, JSON-escaped (`json_document`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.source.environment import Environment

from wizard.core.model import UNSAFE

__all__ = [
    "GLUE",
    "NO_LINE_END",
    "NO_LINE_START",
    "SURROGATE",
    "UNSAFE",
    "cell_width",
    "json_document",
    "line_breaks",
    "one_line",
    "output_width",
    "visible",
    "wrap",
]

#: The characters no output carries raw, as the validator's E303 finds them: the C0 controls but tab
#: and line feed, DEL, the C1 controls (U+0080-U+009F, CSI among them), and the bidi embeddings,
#: overrides and isolates (U+202A-U+202E, U+2066-U+2069), which show text in another order than
#: it is stored. Each output replaces them its own way: `visible`, `json_document`, the diagrams.
# `visible` also makes a CR LF one line break and a tab one space, so widths can be counted.
_VISIBLE = re.compile(f"\r\n|\t|{UNSAFE.pattern}")


def _stand_in(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\r\n":
        return "\n"
    if char == "\t":
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Tree text that can move no cursor, set no title and reorder no text: safe to print or save.

    Every character a terminal would act on instead of showing is replaced by its escape as
    Python writes it, in plain characters: ESC (U+001B) becomes the four characters ``\\x1b``
    (so ``ESC [2J`` shows as ``\\x1b[2J`` and clears nothing), BEL ``\\x07``, a lone CR
    ``\\x0d``, DEL ``\\x7f``, the C1 control CSI ``\\x9b``, and a bidi override or isolate
    ``\\u202e`` (four hex digits above U+00FF). That covers the C0 controls, DEL, the C1
    controls (U+0080-U+009F) and U+202A-U+202E, U+2066-U+2069: what `pdd-wizard check`
    reports as E303. A line feed stays a line break (CR LF becomes one), and a tab becomes one
    space, so widths can be counted. Everything else, CJK and punctuation included, is kept.

    Idempotent: the stand-ins are printable, so text passed twice is unchanged the second time.
    """
    if text.isprintable():  # the common case: no line break, nothing to replace
        return text
    return _VISIBLE.sub(_stand_in, text)


def one_line(text: str) -> str:
    """`visible`, with a line feed shown as ``\\n`` too: a message that names what the user typed
    (a file name with a line break in it) stays on its one line."""
    return visible(text).replace("\n", "\\n")


#: Lone surrogates: no UTF-8 stream can hold them, but a name from the command line carries one
#: for each byte that was not UTF-8 (Python's ``surrogateescape``). Not unsafe, only unwritable.
SURROGATE = re.compile("[\ud800-\udfff]")


def json_document(document: object) -> str:
    """`document` as indented JSON, safe to print, and with every string exactly as it was.

    A JSON consumer needs the real data, so JSON is not shown through `visible`: an id holding
    ESC stays ESC once parsed. It is escaped as JSON escapes it instead, so that none of it
    reaches a terminal raw: json.dumps writes the C0 controls as ``\\u001b`` itself, and DEL,
    the C1 controls and the bidi overrides, which it writes raw with ``ensure_ascii=False``
    (kept so CJK stays readable), become ``\\u009b``-style escapes here, as do lone
    surrogates (``\\udcff``), which would make the output invalid UTF-8. Outside strings JSON
    holds none of them, so the value read back is unchanged.
    """
    import json

    # json.dumps escapes the C0 controls itself: what is left of `UNSAFE` it would write raw.
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    text = UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if not text.isascii() and SURROGATE.search(text):
        text = SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


# --- Display width ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    import unicodedata

    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """Columns `text` takes in a terminal: CJK characters two, combining marks none, the rest one."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


# --- Line breaking ------------------------------------------------------------------------------

#: Characters a line must not start with (禁则, kinsoku): closing punctuation, CJK and ASCII.
NO_LINE_START = frozenset("，。、；：？！）］｝」』》〉】〕〗〙〛〞’”…‥・,.;:?!)]}")
#: Characters a line must not end with: opening brackets and quotes.
NO_LINE_END = frozenset("（［｛「『《〈【〔〖〘〚〝‘“([{")
_ZWJ = "\u200d"
#: A space no line breaks at (no-break space): it holds "level 2" and "第 2 级" together.
GLUE = "\u00a0"


def _space(char: str) -> bool:
    """Whether a line may break at `char`: any space but `GLUE`."""
    return char.isspace() and char != GLUE


def _units(text: str, measure: Callable[[str], int], cjk: bool) -> Iterator[tuple[int, int, int]]:
    """(start, end of the content, end with the spaces after it) of each piece a line may break before.

    A piece is a word (a run of narrow characters), or with `cjk` a single wide character;
    closing punctuation joins the piece before it and an opening bracket the piece after it,
    so a line never starts or ends with them. Without `cjk` a piece is everything between
    spaces, as in rich. Leading spaces belong to the first piece (as in rich). `GLUE` is not
    a space here, and joins the characters on either side of it.
    """

    def wide(char: str) -> bool:
        return measure(char) >= 2

    def breakable(before: str, after: str) -> bool:
        if not cjk or after in NO_LINE_START or before in NO_LINE_END or before == _ZWJ or measure(after) == 0:
            return False
        if before == GLUE or after == GLUE:
            return False
        return wide(before) or wide(after)

    size = len(text)
    start = index = 0
    while index < size and _space(text[index]):
        index += 1
    while index < size:
        stop = index + 1
        while stop < size and not _space(text[stop]) and not breakable(text[stop - 1], text[stop]):
            stop += 1
        end = stop
        while end < size and _space(text[end]):
            end += 1
        yield start, stop, end
        start = index = end


def _chop(text: str, width: int, measure: Callable[[str], int]) -> list[str]:
    """`text` cut into pieces of at most `width` columns (at least one character each)."""
    pieces, piece, used = [], "", 0
    for char in text:
        size = measure(char)
        if piece and used + size > width:
            pieces.append(piece)
            piece, used = "", 0
        piece, used = piece + char, used + size
    pieces.append(piece)
    return pieces


def line_breaks(
    text: str,
    width: int,
    *,
    fold: bool = True,
    measure: Callable[[str], int] = cell_width,
    cjk: bool = True,
) -> list[int]:
    """Where to break one line of text (no line feed) so each line fits `width` columns.

    The same greedy filling as rich's own `divide_line`, so text of narrow characters breaks
    exactly where rich breaks it (at spaces); with `cjk`, a line may also break between CJK
    characters, but never before closing punctuation (``，。、；：？！）」』》`` and the like)
    nor after an opening bracket (``（「『《``): the character before moves to the next line
    with it. A piece wider than a whole line is cut (`fold`) or left to be cropped.

    Args:
        text: One line of text.
        width: Columns available.
        fold: Cut a piece wider than `width` over several lines.
        measure: Display width of a string (rich's `cell_len` when rich draws the text).
        cjk: Break Chinese between characters (for Chinese text); without it the breaks are
            exactly rich's, at spaces only (for English text, whose Chinese terms stay whole).

    Returns:
        The offsets in `text` where new lines start, in order.
    """
    breaks: list[int] = []
    used = 0
    for start, stop, end in _units(text, measure, cjk):
        size = measure(text[start:stop])
        if width - used >= size:
            used += measure(text[start:end])
        elif size > width:
            if fold:
                pieces = _chop(text[start:end], width, measure)
                for number, piece in enumerate(pieces, 1):
                    if start:
                        breaks.append(start)
                    if number == len(pieces):
                        used = measure(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                used = measure(text[start:end])
        elif used and start:
            breaks.append(start)
            used = measure(text[start:end])
    return breaks


def wrap(text: str, width: int | None, *, cjk: bool = True, fold: bool = True) -> list[str]:
    """The lines of `text` broken to fit `width` columns by `line_breaks`; None keeps only its own line breaks.

    Spaces at a break are dropped. `cjk` and `fold` as for `line_breaks`.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if width is None or cell_width(paragraph) <= width:
            lines.append(paragraph)
            continue
        offsets = [0, *line_breaks(paragraph, width, fold=fold, cjk=cjk), len(paragraph)]
        lines.extend(paragraph[a:b].rstrip(" ") for a, b in itertools.pairwise(offsets))
    return lines


def output_width(env: Environment) -> int | None:
    """The columns a plain-text plan should be wrapped at, or None to leave its lines whole.

    Only a terminal gets wrapped lines: there `COLUMNS` when it is set to a number, else the
    terminal's width. A pipe or a file gets None, whatever `COLUMNS` says, so a script reads
    the same bytes wherever it runs.
    """
    if not env.stdout_isatty:
        return None
    value = env.environ.get("COLUMNS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    import os

    try:
        return os.get_terminal_size(env.stdout.fileno()).columns or None
    except (AttributeError, OSError, ValueError):
        return None
