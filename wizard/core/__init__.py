"""The pure core: the tree model, conditions, routing, the engine, opening hours and path coverage.

No I/O, no terminal, no networkx.
"""
