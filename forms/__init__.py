"""The domain: templates, field types, validation, prefill, bundles, era dates, payload codec.

Plain Python only: no Qt and no imports of Madoguchi's other packages (import-linter enforces it).
"""
