"""Madoguchi assembled: the `madoguchi` command, the demo's composition, the benchmarks.

Nothing imports this package: it is the composition root.
"""
