"""Both sides of the photo-in-metadata contract against the same JSON examples."""

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from actions.message_images import images_in_message
from channels.contract import IncomingMessage

EXAMPLES = json.loads((Path(__file__).parents[1] / "contract_examples.json").read_text())["examples"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["name"] for e in EXAMPLES])
def test_channels_write_what_the_action_server_reads(example: dict) -> None:
    incoming = IncomingMessage(**example["incoming"])
    assert incoming.rasa_text() == example["rasa_text"]
    assert incoming.metadata() == example["metadata"]
    latest_message = {"text": incoming.rasa_text(), "metadata": incoming.metadata()}
    assert [asdict(ref) for ref in images_in_message(latest_message)] == example["action_images"]
