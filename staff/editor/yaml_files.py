"""The editor's files: YAML read from and written to disk through the file dialogs, and how an
imported text is told apart (a template has a `layout`; anything else is read as a bundle)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from forms.yamlio import YAMLError, load_yaml

YAML_FILTER = "YAML (*.yaml *.yml)"


def looks_like_template(text: str) -> bool:
    """A mapping with a `layout` is a template; anything unreadable goes the template way too,
    so its problem is reported as a template's."""
    try:
        data = load_yaml(text)
    except YAMLError:
        return True
    return not isinstance(data, dict) or "layout" in data


class Unreadable(Exception):
    """The chosen file is not UTF-8 text (or cannot be opened); its name says which."""


def choose_yaml_to_read(parent: QWidget) -> tuple[str, str] | None:
    """(text, file name) of the YAML file the admin chooses; None if they cancel."""
    path, _ = QFileDialog.getOpenFileName(parent, "YAML 読込 / Import YAML", "", YAML_FILTER)
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8"), Path(path).name
    except (OSError, UnicodeDecodeError):
        raise Unreadable(Path(path).name) from None


def choose_yaml_to_write(parent: QWidget) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "YAML 書出 / Export YAML", "", "YAML (*.yaml)")
    return path or None


def choose_signed_bundle(parent: QWidget) -> tuple[str, str] | None:
    """(output path, signing key path) for the signed bundle; None if the admin cancels."""
    key, _ = QFileDialog.getOpenFileName(parent, "署名鍵 / Signing key", "", "PEM (*.key *.pem)")
    if not key:
        return None
    out, _ = QFileDialog.getSaveFileName(
        parent, "署名付きパッケージ / Signed bundle", "templates.mdgb", "(*.mdgb)"
    )
    return (out, key) if out else None
