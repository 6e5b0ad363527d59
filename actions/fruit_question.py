"""Which fruit a question is about ("what is a rambutan?", "are avocados healthy?"): the NLU's `fruit` entity
when it found one, else the words the question asks about; known names come from common/fruit_names.py."""

from __future__ import annotations

import re
from typing import Any

from common.fruit_names import Fruit, fruit_names

QUESTION = re.compile(
    r"^(?:(?:what|who)(?:'s| is| are| do you know about)|tell me (?:something )?about|(?:facts|info|information) "
    r"(?:about|on)|describe|explain what|(?:is|are)|how healthy (?:is|are)|what (?:does|do))\s+(?:a |an |the |some )?"
    r"(?P<name>[a-z][a-z' -]{1,40}?)"
    r"(?:\s+(?:is|are|fruits?|a fruit|healthy|good for you|taste like|look like|come from|grow))*\s*[?!.]*$",
    re.IGNORECASE,
)


NOT_A_NAME = {"your", "my", "this", "that", "it", "you", "me", "our", "his", "her", "their"}


def fruit_asked_about(latest_message: Any) -> Fruit | None:
    """The fruit a message asks about; an unknown name becomes a fruit we do not know (its Wikipedia title
    guessed from the name); None when no name can be found."""
    message = latest_message if isinstance(latest_message, dict) else {}
    found = message.get("entities")
    entities = found if isinstance(found, list) else []
    names = [e.get("value") for e in entities if isinstance(e, dict) and e.get("entity") == "fruit"]
    name = next((n for n in names if isinstance(n, str) and n.strip()), None)
    if name is None:
        text = message.get("text")
        match = QUESTION.match(text.strip()) if isinstance(text, str) else None
        name = match.group("name") if match else None
    if not name or name.lower().split()[0] in NOT_A_NAME:
        return None
    return fruit_named(name)


def fruit_named(name: str) -> Fruit:
    """The fruit a name means: one the bot knows (by any of its names), else one it does not."""
    key = " ".join(name.lower().split())
    known = fruit_names().get(key)
    if known is not None:
        return known
    singular = re.sub(r"(?<=[^s])s$", "", key)
    return fruit_names().get(singular) or Fruit(singular.capitalize(), singular.capitalize(), known=False)
