"""Rendering filled templates to PDF and spooling them to CUPS. No Qt."""
