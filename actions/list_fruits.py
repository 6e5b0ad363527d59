"""The action that says which fruit the bot knows, briefly, from the loaded model's own classes."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.replies import fruit_list
from actions.runtime import Runtime
from actions.types import EventDict
from classifier.labels import NOT_FRUIT, label_for


class ActionListFruits(Action):
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def name(self) -> str:
        return "action_list_fruits"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventDict]:
        names = {label_for(key).name for key in self.runtime.predictor.vocab if key != NOT_FRUIT}
        dispatcher.utter_message(text=fruit_list(sorted(names)))
        return []
