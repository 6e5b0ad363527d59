"""The action that answers a photo (or several) with what fruit it is, and offers 👍/👎 feedback buttons."""

from __future__ import annotations

import asyncio

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import runtime
from actions.message_images import images_in_message
from actions.photo_answer import PhotoAnswer, answer_photo
from actions.replies import FEEDBACK_BUTTONS, NO_IMAGE
from actions.services.feedback_store import PredictionRecord
from actions.types import EventDict
from classifier.predict import Verdict


def prediction_record(answer: PhotoAnswer, model_version: str) -> PredictionRecord | None:
    """What to store about an answered photo (None when nothing was predicted)."""
    if answer.prediction is None or answer.image_sha256 is None:
        return None
    top = answer.prediction.top[0] if answer.prediction.top else None
    return PredictionRecord(
        image_sha256=answer.image_sha256,
        model_version=model_version,
        verdict=answer.prediction.verdict.value,
        label=top.label if top else None,
        name=top.name if top else None,
        p=top.p if top else None,
    )


class ActionClassifyImage(Action):
    def name(self) -> str:
        return "action_classify_image"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventDict]:
        rt = runtime.current()
        images = images_in_message(tracker.latest_message)
        if not images:
            dispatcher.utter_message(text=NO_IMAGE)
            return []
        answers = [await answer_photo(rt, ref) for ref in images]
        prediction_id = None
        for position, answer in enumerate(answers, start=1):
            record = prediction_record(answer, rt.predictor.version)
            if record is not None:
                prediction_id = await asyncio.to_thread(rt.feedback.add_prediction, record)
            guessed = answer.prediction is not None and answer.prediction.verdict is not Verdict.NOT_FRUIT
            asks_feedback = guessed and position == len(answers)  # 👍/👎 refer to the last photo's guess
            dispatcher.utter_message(text=answer.text, buttons=FEEDBACK_BUTTONS if asks_feedback else [])
        return [SlotSet("prediction_id", str(prediction_id) if prediction_id is not None else None)]
