"""Substring search that treats what people type literally (``%`` and ``_`` too)."""

from sqlalchemy import func

ESCAPE = "/"


def like_pattern(text: str) -> str:
    """A LIKE pattern, to use with ``escape=ESCAPE``, matching ``text`` anywhere."""
    escaped = (
        text.replace(ESCAPE, ESCAPE * 2)
        .replace("%", ESCAPE + "%")
        .replace("_", ESCAPE + "_")
    )
    return f"%{escaped}%"


def contains(column, text: str):
    """Case-insensitive condition: ``column`` contains ``text`` literally."""
    return func.lower(column).like(like_pattern(text.lower()), escape=ESCAPE)
