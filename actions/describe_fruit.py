"""The action that answers a question about a fruit by name with the Wikipedia summary the photo answers use."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.fruit_question import fruit_asked_about
from actions.replies import WHICH_FRUIT, fruit_reply
from actions.runtime import Runtime
from actions.types import EventDict


class ActionDescribeFruit(Action):
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def name(self) -> str:
        return "action_describe_fruit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventDict]:
        fruit = fruit_asked_about(tracker.latest_message)
        if fruit is None:
            dispatcher.utter_message(text=WHICH_FRUIT)
            return []
        dispatcher.utter_message(text=fruit_reply(fruit, await self.runtime.wikipedia.page(fruit.wiki)))
        return []
