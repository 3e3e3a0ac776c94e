"""Helpers shared by several test areas (servers started by session fixtures)."""
