"""Texts: a missing translation (E301), an empty text (E302), control characters (E303), a language not
declared (E304), a fact named but not declared (E305), a line too long (W404), and two options with one
label (W410).

Text is every user-visible text: title, description, prompts, help, labels, every field
and list item of an outcome, schedule names. A line break is allowed except in one-line
texts (labels, titles, channels, names); any other C0 control, DEL, C1 control or bidi
embedding/override/isolate is E303. A 100,000-node tree holds half a million texts: they
are tested in bulk, a chunk at a time, and one by one only in a chunk that is not clean.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from operator import attrgetter, itemgetter

from wizard.core.case import FACTS
from wizard.core.model import FACT, UNSAFE, Ladder, Localized, MultipleChoice, Outcome, SingleChoice, Tree
from wizard.rules.analysis import Analysis, with_repeats
from wizard.rules.findings import Found, Path

__all__ = [
    "control_characters",
    "empty_texts",
    "long_lines",
    "missing_translations",
    "same_labels",
    "text_groups",
    "texts",
    "undeclared_facts",
    "undeclared_languages",
]

# C0 controls except the line feed, DEL, C1 controls, and the bidi embeddings, overrides and
# isolates that make text read differently from how it is stored (Trojan Source).
FORBIDDEN = re.compile(f"\t|{UNSAFE.pattern}")  # tab too: it has no width a reader can see
_CONTROL_NAMES = {
    0x1B: "ESC, which starts terminal escape sequences",
    0x9B: "CSI, which starts terminal escape sequences",
    0x0D: "CR, which moves back over the line",
    0x09: "TAB",
    0x08: "BS",
    0x07: "BEL",
}
# Texts shown as one line (a menu entry, a heading): a line break there is an error too.
_ONE_LINE = {"label", "title", "channel"}
_HELP = attrgetter("help")
#: How many texts `_suspect_texts` tests in bulk at a time before testing them one by one.
_TEXT_CHUNK = 512


def missing_translations(a: Analysis) -> Iterator[Found]:
    """E301: a text without one of the tree's languages."""
    return iter(a.shared(_scan).get("E301", ()))


def empty_texts(a: Analysis) -> Iterator[Found]:
    """E302: an empty text."""
    return iter(a.shared(_scan).get("E302", ()))


def control_characters(a: Analysis) -> Iterator[Found]:
    """E303: control characters, escape sequences or bidi overrides; a line break in a one-line text."""
    return iter(a.shared(_scan).get("E303", ()))


def undeclared_languages(a: Analysis) -> Iterator[Found]:
    """E304: text in a language the tree does not declare."""
    return iter(a.shared(_scan).get("E304", ()))


def long_lines(a: Analysis) -> Iterator[Found]:
    """W404: a line of text longer than the stated budget."""
    return iter(a.shared(_scan).get("W404", ()))


#: Whose a text is, formatted only when it has a finding: (kind, node or schedule id, option id).
_Owner = tuple[str, str, str]


def _owner_name(owner: _Owner) -> str:
    """The owner as the text rules name it: "question 'q': option 'a'", "the tree"."""
    kind, owner_id, option_id = owner
    if kind == "tree":
        return "the tree"
    return f"{kind} '{owner_id}'" + (f": option '{option_id}'" if option_id else "")


def _context(owner: _Owner) -> str:
    """The owner as the loader named it (E301, E304 keep its messages): "node 'q': option 'a'", "" for the tree."""
    kind, owner_id, option_id = owner
    if kind == "tree":
        return ""
    if kind == "schedule":
        return f"schedule '{owner_id}'"
    return f"node '{owner_id}'" + (f": option '{option_id}'" if option_id else "")


def texts(tree: Tree) -> Iterator[tuple[_Owner, str, Localized, str | None, Path]]:
    """Every user-visible text: (whose it is, its field, the text, its node, where it is written)."""
    tree_owner = ("tree", "", "")
    yield tree_owner, "title", tree.title, None, ("title",)
    if tree.description is not None:
        yield tree_owner, "description", tree.description, None, ("description",)
    for key, node in tree.nodes.items():
        if isinstance(node, (SingleChoice, MultipleChoice)):
            yield from _question_texts(key, node)
        elif isinstance(node, Outcome):
            yield from _outcome_texts(key, node)
        elif isinstance(node, Ladder):
            for index, rung in enumerate(node.rungs):
                if rung.label is not None:
                    where = ("nodes", key, "rungs", index, "label")
                    yield ("ladder", key, ""), f"rungs[{index + 1}].label", rung.label, key, where
    for schedule_id, schedule in tree.schedules.items():
        owner = ("schedule", schedule_id, "")
        yield owner, "channel", schedule.channel, None, ("schedules", schedule_id, "channel")
        for index, period in enumerate(schedule.busy):
            where = ("schedules", schedule_id, "busy", index, "name")
            yield owner, f"busy[{index + 1}].name", period.name, None, where
        if schedule.easier is not None:
            yield owner, "easier", schedule.easier, None, ("schedules", schedule_id, "easier")


def _question_texts(
    key: str, node: SingleChoice | MultipleChoice
) -> Iterator[tuple[_Owner, str, Localized, str | None, Path]]:
    owner = ("question", key, "")
    yield owner, "prompt", node.prompt, key, ("nodes", key, "prompt")
    if node.name is not None:
        yield owner, "name", node.name, key, ("nodes", key, "name")
    if node.help is not None:
        yield owner, "help", node.help, key, ("nodes", key, "help")
    for index, option in enumerate(node.options):
        at = ("nodes", key, "options", index)
        yield ("question", key, option.id), "label", option.label, key, (*at, "label")
        if option.help is not None:
            yield ("question", key, option.id), "help", option.help, key, (*at, "help")


def _outcome_texts(key: str, node: Outcome) -> Iterator[tuple[_Owner, str, Localized, str | None, Path]]:
    owner = ("outcome", key, "")
    for name in ("title", "channel", "summary", "hours", "busy", "say", "warning", "if_fails"):
        value = getattr(node, name)
        if value is not None:
            yield owner, name, value, key, ("nodes", key, name)
    for part, points in (("how", node.how), ("prepare", node.prepare), ("record", node.record)):
        for index, point in enumerate(points):
            yield owner, f"{part}[{index + 1}]", point.text, key, ("nodes", key, part, index, "text")


def text_groups(a: Analysis) -> tuple[list[Mapping[str, str]], list[Mapping[str, str]]]:
    """The language maps of every text: those that may hold line breaks, and those shown on one line."""
    tree = a.tree
    nodes = a.node_list
    questions = [nodes[n] for n in a.question_numbers]
    groups: list[Mapping[str, str]] = [q.prompt.texts for q in questions]  # type: ignore[union-attr]
    one_line: list[Mapping[str, str]] = a.label_texts.copy()
    add, add_one_line = groups.append, one_line.append
    for helps in (map(_HELP, questions), map(_HELP, a.options)):
        groups.extend(h.texts for h in helps if h is not None)
    one_line.extend(q.name.texts for q in questions if q.name is not None)  # type: ignore[union-attr]
    for ladder in tree.nodes.values():
        if isinstance(ladder, Ladder):
            one_line.extend(rung.label.texts for rung in ladder.rungs if rung.label is not None)
    for number in a.outcome_numbers:
        node: Outcome = nodes[number]  # type: ignore[assignment]
        add_one_line(node.title.texts)
        add_one_line(node.channel.texts)
        add(node.summary.texts)
        for text in (node.hours, node.busy, node.say, node.warning, node.if_fails):
            if text is not None:
                add(text.texts)
        for points in (node.how, node.prepare, node.record):
            for point in points:
                add(point.text.texts)
    if tree.description is not None:
        add(tree.description.texts)
    add_one_line(tree.title.texts)
    for schedule in tree.schedules.values():
        add_one_line(schedule.channel.texts)
        for period in schedule.busy:
            add_one_line(period.name.texts)
        if schedule.easier is not None:
            add(schedule.easier.texts)
    return groups, one_line


def _all_clean(a: Analysis, texts: list[Mapping[str, str]], *, single_line: bool) -> bool:
    """Whether the texts are surely clean: each language given and no other, none empty, none with a
    forbidden character, none over the line budget, and no line break in a text shown on one line.

    Passes in C (`map`, `join`, one regular expression) over each language's texts cost a
    fraction of testing each text in turn.
    """
    if not texts:
        return True
    languages = a.tree.languages
    budget = a.limits.line_budget
    if set(map(len, texts)) != {len(languages)}:  # a language missing or one not declared
        return False
    for lang in languages:
        try:
            values = list(map(itemgetter(lang), texts))
            joined = "\n".join(values)  # TypeError: a text that is not a string
        except (KeyError, TypeError):
            return False
        if max(map(len, values)) > budget or min(map(len, map(str.strip, values))) == 0:
            return False
        if FORBIDDEN.search(joined) is not None:
            return False
        if single_line and "\n" in "".join(map(str.strip, values)):
            return False
    return True


def _suspect_texts(a: Analysis, groups: list[Mapping[str, str]], one_line: list[Mapping[str, str]]) -> set[int]:
    """The language maps (by id) that may have a finding: a language missing or extra, or a text
    empty, too long, with a forbidden character, or with a line break where one line is shown."""
    declared = set(a.tree.languages)
    budget = a.limits.line_budget
    suspects: set[int] = set()
    for texts_of, single_line in ((groups, False), (one_line, True)):
        for start in range(0, len(texts_of), _TEXT_CHUNK):
            chunk = texts_of[start : start + _TEXT_CHUNK]
            if _all_clean(a, chunk, single_line=single_line):
                continue
            for texts in chunk:
                if texts.keys() != declared or not all(_plain_text(v, single_line, budget) for v in texts.values()):
                    suspects.add(id(texts))
    return suspects


def _plain_text(value: object, single_line: bool, budget: int) -> bool:
    """Whether one text has surely no finding: a string, not blank, within the budget, with no
    forbidden character, and no line break when it is shown on one line."""
    return (
        type(value) is str
        and bool(value)
        and not value.isspace()
        and len(value) <= budget
        and FORBIDDEN.search(value) is None
        and not (single_line and "\n" in value.strip())
    )


def _scan(a: Analysis) -> dict[str, list[Found]]:
    """The findings of every text, by code; the texts the bulk test passes are not looked at."""
    found: dict[str, list[Found]] = {}
    suspects = _suspect_texts(a, *a.shared(text_groups))
    if not suspects:  # most trees
        return found
    languages = a.tree.languages
    budget = a.limits.line_budget
    for owner, name, text, node_id, path in texts(a.tree):
        if id(text.texts) not in suspects:
            continue
        if text.texts.keys() != set(languages):
            for code, item in _languages(owner, name, text.texts, languages, path):
                found.setdefault(code, []).append(Found(item[0], item[1], node_id))
        single_line = name in _ONE_LINE or name.endswith(".name")
        what = f"{_owner_name(owner)}: '{name}'"
        for lang, value in text.texts.items():
            if not _plain_text(value, single_line, budget):
                for code, message in _text_problems(what, single_line, lang, value, budget):
                    found.setdefault(code, []).append(Found((*path, lang), message, node_id))
    return found


def _languages(
    owner: _Owner, name: str, texts: Mapping[str, str], languages: tuple[str, ...], path: Path
) -> Iterator[tuple[str, tuple[Path, str]]]:
    """E301 and E304 of one text, worded as the loader worded them."""
    context = _context(owner)
    for lang in languages:
        if lang not in texts:
            if name == "label":  # reads as: node 'x': option 'y' has no 'en' label
                yield "E301", (path, f"{context} has no '{lang}' label")
            else:
                yield (
                    "E301",
                    (
                        path,
                        f"{context}: '{name}' has no '{lang}' text" if context else f"'{name}' has no '{lang}' text",
                    ),
                )
    declared = ", ".join(languages)
    for lang in texts:
        if lang not in languages:
            message = f"'{name}' has language '{lang}', which the tree does not declare ({declared})"
            yield "E304", ((*path, lang), f"{context}: {message}" if context else message)


def _text_problems(what: str, single_line: bool, lang: str, value: str, budget: int) -> Iterator[tuple[str, str]]:
    """The findings of one text in one language (E302, E303, W404)."""
    if not value.strip():
        yield "E302", f"{what} in '{lang}' is empty"
        return
    bad = FORBIDDEN.search(value)
    if bad is not None:
        yield "E303", f"{what} in '{lang}' holds {_describe(bad.group())}"
    elif single_line and "\n" in value.strip():
        yield "E303", f"{what} in '{lang}' holds a line break, in a text shown on one line"
    longest = max(len(line) for line in value.split("\n"))
    if longest > budget:
        yield "W404", f"{what} in '{lang}' has a line of {longest} characters, more than the budget of {budget}"


def _describe(char: str) -> str:
    code = ord(char)
    name = _CONTROL_NAMES.get(code)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        kind = "a bidirectional override, which makes text display differently from how it is stored"
    elif name:
        kind = f"a control character ({name})"
    else:
        kind = "a control character"
    return f"U+{code:04X}, {kind}; tree text must be plain"


# --- E305: a fact named but not declared ------------------------------------------------------------


def undeclared_facts(a: Analysis) -> Iterator[Found]:
    """E305: a text naming a fact (`{order_number}`) that the tree does not declare in `facts`, or a
    declared fact that no case supplies.

    In a tree that declares no facts, only the names of facts a case supplies count as facts: its
    other braces are text (`{brace}` in a label).
    """
    tree = a.tree
    for index, name in enumerate(tree.facts):
        if name not in FACTS:
            yield Found(
                ("facts", index), f"'facts' declares '{name}', which no case supplies; the facts: {', '.join(FACTS)}"
            )
    if not _any_brace(a):
        return
    declared = set(tree.facts)
    for owner, name, text, node_id, path in texts(tree):
        for lang, value in text.texts.items():
            if type(value) is not str or "{" not in value:
                continue
            for fact in dict.fromkeys(FACT.findall(value)):
                if fact in declared or (not declared and fact not in FACTS):
                    continue
                message = (
                    f"{_owner_name(owner)}: '{name}' in '{lang}' names the fact '{{{fact}}}', which the tree does not "
                    "declare in 'facts'"
                )
                yield Found((*path, lang), message, node_id)


def _any_brace(a: Analysis) -> bool:
    """Whether any text holds a `{` at all, tested a language at a time over every text at once."""
    groups, one_line = a.shared(text_groups)
    for lang in a.tree.languages:
        try:
            if "{" in "\n".join(map(itemgetter(lang), groups)) or "{" in "\n".join(map(itemgetter(lang), one_line)):
                return True
        except (KeyError, TypeError):  # a text missing a language or not a string (E301, E100): look at each
            return True
    return False


# --- W410: two options with one label --------------------------------------------------------------


def same_labels(a: Analysis) -> Iterator[Found]:
    """W410: two options of one question with the same label in one language."""
    for number in _questions_with_repeated_labels(a):
        key = a.keys[number]
        options = a.node_list[number].options  # type: ignore[union-attr]
        for lang in a.tree.languages:
            labels = [o.label.texts.get(lang, "").strip() for o in options]
            if len(set(labels)) == len(labels):
                continue
            first: dict[str, str] = {}
            for index, (option, label) in enumerate(zip(options, labels, strict=True)):
                if label and label in first:
                    yield Found(
                        ("nodes", key, "options", index),
                        f"question '{key}': options '{first[label]}' and '{option.id}' have the same '{lang}' label "
                        f"{label!r}",
                        key,
                    )
                first.setdefault(label, option.id)


def _questions_with_repeated_labels(a: Analysis) -> list[int]:
    """The questions in which a label comes twice in some language, decided over all options at once."""
    suspects: set[int] = set()
    for lang in a.tree.languages:
        try:
            labels = list(map(str.strip, map(itemgetter(lang), a.label_texts)))
        except (KeyError, TypeError):  # a label without this language (E301): each question is looked at
            return a.question_numbers
        suspects.update(with_repeats(a, labels))
    return sorted(suspects)
