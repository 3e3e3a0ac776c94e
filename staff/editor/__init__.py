"""The admin's template editor (`madoguchi admin`): see docs/editor.md."""
