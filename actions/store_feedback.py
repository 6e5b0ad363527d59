"""The action that stores the user's 👍/👎 (and, after 👎, the name they typed) with the prediction."""

from __future__ import annotations

import asyncio

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.runtime import Runtime
from actions.types import EventDict


class ActionStoreFeedback(Action):
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def name(self) -> str:
        return "action_store_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventDict]:
        prediction_id = tracker.get_slot("prediction_id")
        corrected = (tracker.get_slot("corrected_name") or "").strip()[:200] or None
        right = corrected is None and (tracker.latest_message.get("intent") or {}).get("name") == "affirm"
        if prediction_id is not None and prediction_id.isdigit():
            await asyncio.to_thread(self.runtime.feedback.set_feedback, int(prediction_id), right, corrected)
        dispatcher.utter_message(response="utter_feedback_thanks")
        return [SlotSet("prediction_id", None), SlotSet("corrected_name", None)]
