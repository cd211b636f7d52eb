"""The checks of a tree, each once, with its code."""
