"""Types shared by the actions."""

from typing import Any

EventDict = dict[str, Any]  # a Rasa event as rasa-sdk returns it (e.g. SlotSet(...))
