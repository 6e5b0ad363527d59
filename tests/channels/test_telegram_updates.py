from channels.telegram.updates import incoming_message


def update(**message: object) -> dict:
    base = {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "is_bot": False}}
    return {"update_id": 7, "message": {**base, **message}}


def test_the_largest_photo_size_and_the_caption() -> None:
    sizes = [
        {"file_id": "small", "width": 90, "height": 90},
        {"file_id": "large", "width": 1280, "height": 960},
        {"file_id": "medium", "width": 320, "height": 240},
    ]
    m = incoming_message(update(photo=sizes, caption="what is it?"))
    assert (m.sender_id, m.message_id, m.text) == ("42", "7", "what is it?")
    assert m.images == [{"telegram_file_id": "large"}]


def test_an_image_sent_as_a_file_is_a_photo_but_a_pdf_is_not() -> None:
    assert incoming_message(update(document={"file_id": "d", "mime_type": "image/png"})).images == [
        {"telegram_file_id": "d"}
    ]
    pdf = incoming_message(update(document={"file_id": "p", "mime_type": "application/pdf"}))
    assert pdf.images == [] and pdf.other_attachments == [{"type": "document"}]


def test_commands_become_intent_triggers() -> None:
    assert incoming_message(update(text="/start")).text == "/greet"
    assert incoming_message(update(text="/help@FruitBot")).text == "/help"
    assert incoming_message(update(text="/affirm")).text == "/affirm"


def test_other_media_are_named() -> None:
    for kind in ["sticker", "animation", "video", "voice"]:
        assert incoming_message(update(**{kind: {"file_id": "x"}})).other_attachments == [{"type": kind}]


def test_button_taps_edits_and_bots() -> None:
    tap = {
        "update_id": 8,
        "callback_query": {"id": "c", "from": {"id": 42}, "message": {"chat": {"id": 42}}, "data": "/deny"},
    }
    assert incoming_message(tap).text == "/deny"
    assert incoming_message({"update_id": 9, "edited_message": {"text": "x"}}) is None
    assert incoming_message(update(text="hi", **{"from": {"id": 1, "is_bot": True}})) is None
    assert incoming_message({"no": "update_id"}) is None
