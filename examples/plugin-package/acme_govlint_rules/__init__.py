"""ACME's governance rules for govlint, one module per rule.

govlint collects every rule of this package (and its submodules) through the
``govlint.rules`` entry point declared in pyproject.toml.
"""
