"""The action that answers a photo (or several) with what fruit it is, and offers 👍/👎 feedback buttons."""

from __future__ import annotations

import asyncio

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.message_images import SHELL_CHANNEL, images_in_message
from actions.photo_answer import PhotoAnswer, answer_photo
from actions.replies import FEEDBACK_BUTTONS, LOCAL_FILES_IN_SHELL_ONLY, NO_IMAGE
from actions.runtime import Runtime
from actions.services.feedback_store import PredictionRecord
from actions.types import EventDict
from common.contract import local_paths_in_text


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


def asks_feedback(answers: list[PhotoAnswer]) -> int | None:
    """Which answer carries the 👍/👎 buttons: the last one, when it names a fruit; else none.

    Only the last message can: Messenger shows quick replies on the newest message only. So for [a fruit, a
    broken photo] no buttons are shown, and nothing is pointed at for a 👍/👎 to refer to."""
    return len(answers) - 1 if answers and answers[-1].guessed else None


class ActionClassifyImage(Action):
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def name(self) -> str:
        return "action_classify_image"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventDict]:
        shell = tracker.get_latest_input_channel() == SHELL_CHANNEL and self.runtime.shell_local_files
        images = images_in_message(tracker.latest_message, local_files=shell)
        if not images:
            typed_a_file = bool(local_paths_in_text(tracker.latest_message.get("text") or ""))
            dispatcher.utter_message(text=LOCAL_FILES_IN_SHELL_ONLY if typed_a_file else NO_IMAGE)
            return []
        answers = [await answer_photo(self.runtime, ref) for ref in images]
        asked = asks_feedback(answers)
        prediction_id = None
        for position, answer in enumerate(answers):
            record = prediction_record(answer, self.runtime.predictor.version)
            stored = await asyncio.to_thread(self.runtime.feedback.add_prediction, record) if record else None
            if position == asked:
                prediction_id = stored
            dispatcher.utter_message(text=answer.text, buttons=FEEDBACK_BUTTONS if position == asked else [])
        return [SlotSet("prediction_id", str(prediction_id) if prediction_id is not None else None)]
