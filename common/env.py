"""Reading settings from the environment, the same way in both processes."""

from __future__ import annotations

TRUE = frozenset({"1", "true", "yes", "on"})


def flag(value: str | None) -> bool:
    """An on/off setting: "1", "true", "yes" or "on" (any case) is on; anything else, or unset, is off."""
    return (value or "").strip().lower() in TRUE
