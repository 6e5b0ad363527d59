"""What the bot says about a photo: pure functions that tests can call without any server."""

from __future__ import annotations

from actions.services.summary_cache import NO_PAGE, Cached, Summary
from classifier.predict import Prediction, Verdict
from common.fruit_names import Fruit

SUMMARY_MAX_CHARS = 320
CANNOT_OPEN = "I couldn't open that picture — could you send it as a photo?"
TOO_LARGE = "That picture is too large for me. Could you send a smaller photo?"
NOT_REACHABLE = "I couldn't download that picture. Could you send it as a photo instead?"
NO_IMAGE = "I don't see a picture there. Send me a photo of a fruit, or paste a link to one."
BUSY = "Sorry, something went wrong on my side while looking at that picture. Could you try again?"
FEEDBACK_BUTTONS = [{"title": "👍 Right", "payload": "/affirm"}, {"title": "👎 Wrong", "payload": "/deny"}]
NOT_A_FRUIT = "Hmm, that doesn't look like a fruit to me 🤔 Could you send me a photo of a fruit?"
WHICH_FRUIT = "Which fruit do you mean? Tell me its name, or send me a photo of it."
LOCAL_FILES_IN_SHELL_ONLY = (
    "I can only open files from your computer in the terminal chat (`make run`). Here, send me the photo itself."
)
MISSING_FILE = "I can't find that file. Check the path (quotes help when it has spaces) and try again."


def percent(p: float) -> str:
    """0.973 -> '97 %'."""
    return f"{round(p * 100)} %"


def shorten(text: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    """Cut `text` at a sentence (else word) boundary before `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > limit // 3 else cut[: cut.rfind(" ")] + "…"


def format_reply(prediction: Prediction, summary: Summary | None) -> str:
    """One reply for one photo: the name and confidence, and the summary when there is one."""
    if prediction.verdict is Verdict.NOT_FRUIT or not prediction.top:
        return NOT_A_FRUIT
    best = prediction.top[0]
    if prediction.verdict is Verdict.UNSURE:
        maybes = " or ".join(f"{g.name} ({percent(g.p)})" for g in prediction.top[:2])
        return f"I'm not sure — maybe {maybes}. A closer photo of one fruit in good light would help."
    lines = [f"{best.name} ({percent(best.p)})"]
    if summary is not None:
        lines.append(shorten(summary.extract))
        if summary.url:
            lines.append(f"More: {summary.url}")
    return "\n\n".join(lines)


def fruit_list(names: list[str], shown: int = 12) -> str:
    """'I know 70 kinds of fruit and vegetables: Apricot, Avocado, … and 58 more. Send me a photo!'"""
    listed = ", ".join(names[:shown])
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f"I know {len(names)} kinds of fruit (and a few vegetables and nuts): {listed}{more}. Send me a photo!"


def fruit_reply(fruit: Fruit, page: Cached | None) -> str:
    """The answer to a question about a fruit by name, from its Wikipedia page (`page` None: Wikipedia could not be
    asked now; NO_PAGE: it has no page of that name)."""
    if isinstance(page, Summary):
        lines = [shorten(page.extract)]
        lines.append(
            f"I can recognise {fruit.name.lower()} in photos too: send me one!"
            if fruit.known
            else f"I can't recognise {fruit.name.lower()} in photos yet, but send me any fruit and I'll try."
        )
        if page.url:
            lines.append(f"More: {page.url}")
        return "\n\n".join(lines)
    if page is NO_PAGE and not fruit.known:
        return f"I don't know {fruit.name.lower()}, sorry! Is it a fruit? Send me a photo and I'll have a look."
    if fruit.known:
        return f"I can't look {fruit.name.lower()} up right now, but I do recognise it in photos: send me one!"
    return f"I can't look {fruit.name.lower()} up right now. Try again in a moment, or send me a photo of it."
