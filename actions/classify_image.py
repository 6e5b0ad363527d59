"""The action that answers a photo (or several) with what fruit it is."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.message_images import images_in_message
from actions.photo_answer import answer_photo
from actions.replies import NO_IMAGE


class ActionClassifyImage(Action):
    def name(self) -> str:
        return "action_classify_image"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        images = images_in_message(tracker.latest_message)
        if not images:
            dispatcher.utter_message(text=NO_IMAGE)
        for ref in images:
            dispatcher.utter_message(text=await answer_photo(runtime.current(), ref))
        return []
