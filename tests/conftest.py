"""Shared fixtures: the small test trees, loaded."""

from __future__ import annotations

import pytest

from tests.utils import MINI
from wizard.core.model import Tree
from wizard.source.load import load_tree


@pytest.fixture(scope="session")
def mini_tree() -> Tree:
    """The minimal tree `tests/fixtures/trees/mini.yaml`: a select, a checkbox, a ladder, five outcomes."""
    return load_tree(MINI)
