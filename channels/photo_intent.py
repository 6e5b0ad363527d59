"""An NLU component: a message that carries a photo (in its metadata, or as an http(s) URL in its text) is a
`send_image`, whatever else its text says ("what is this?" + a photo is a photo), and names no fruit: words in a
photo's path or URL (samples/banana.jpg, …/kiwi.jpg) are not the user naming one, the photo is what is asked about.

Runs last in the pipeline (rasa_project/config.yml), after DIET and the FallbackClassifier.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from common.contract import SEND_IMAGE_TRIGGER, URL_IN_TEXT, local_paths_in_text

SEND_IMAGE = SEND_IMAGE_TRIGGER.removeprefix("/")  # the intent our channels trigger for photo-only messages


def carries_photo(metadata: Any, text: str | None) -> bool:
    """True when the message has images in its metadata (our channels), or a URL or a local photo path in its
    text (rasa shell; the action server reads local files for the shell channel only)."""
    images = metadata.get("images") if isinstance(metadata, dict) else None
    return bool(images) or bool(URL_IN_TEXT.search(text or "")) or bool(local_paths_in_text(text or ""))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PhotoIntent(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PhotoIntent:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if carries_photo(message.get("metadata"), message.get(TEXT)):
                intent = {"name": SEND_IMAGE, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
                message.set(ENTITIES, [], add_to_output=True)
        return messages
