"""`wizard.render.words`: the one table of the wizard's own words, complete in both languages."""

from __future__ import annotations

import string

import pytest

from wizard.render.words import WORDS, word


def fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(WORDS))
def test_every_word_is_in_both_languages_with_the_same_fields(key: str) -> None:
    texts = WORDS[key]
    assert set(texts) == {"zh", "en"}
    assert fields(texts["zh"]) == fields(texts["en"])


def test_a_word_is_looked_up_filled_in_and_falls_back_to_english() -> None:
    assert word("step", "zh", n=2, m=5) == "第 2 步，共约 5 步"
    assert word("step", "fr", n=2, m=5) == "Step 2 of about 5"
    assert word("see_above", "en", id="{x}") == "see '{x}' above"  # a value is never read as a field
    assert word("list", "zh") == ""
