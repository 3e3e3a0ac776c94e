"""Benchmarks for `madoguchi bench NAME`: one module per name, each with `run(args) -> None`.

Each prints `name: value unit` lines; where a figure has a baseline measured in the same run,
it also prints the ratio. Benchmarks are never timed tests.
"""
