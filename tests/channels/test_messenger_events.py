from channels.messenger.events import incoming_messages


def page(*events: dict) -> dict:
    return {"object": "page", "entry": [{"id": "P", "time": 1, "messaging": list(events)}]}


def msg(sender: str, **message: object) -> dict:
    return {"sender": {"id": sender}, "recipient": {"id": "P"}, "timestamp": 1, "message": message}


def test_every_entry_and_event_is_read_in_order() -> None:
    body = page(msg("1001", mid="m1", text="hi"), msg("1002", mid="m2", text="yo"))
    body["entry"].append({"id": "P", "time": 2, "messaging": [msg("1001", mid="m3", text="bye")]})
    assert [(m.sender_id, m.message_id, m.text) for m in incoming_messages(body)] == [
        ("1001", "m1", "hi"),
        ("1002", "m2", "yo"),
        ("1001", "m3", "bye"),
    ]


def test_attachments_keep_their_type() -> None:
    attachments = [
        {"type": "image", "payload": {"url": "https://cdn/p.jpg"}},
        {"type": "image", "payload": {"url": "https://cdn/s.png", "sticker_id": 369239263222822}},
        {"type": "image", "payload": {"url": "https://cdn/anim.gif"}},
        {"type": "video", "payload": {"url": "https://cdn/v.mp4"}},
        {"type": "file", "payload": {"url": "https://cdn/doc.pdf"}},
    ]
    [m] = incoming_messages(page(msg("1003", mid="m", text="look", attachments=attachments)))
    assert m.text == "look"
    assert m.images == [{"url": "https://cdn/p.jpg"}]
    assert m.other_attachments == [{"type": "sticker"}, {"type": "animation"}, {"type": "video"}, {"type": "file"}]


def test_quick_replies_and_postbacks_become_their_payload() -> None:
    tap = msg("1003", mid="m", text="👍 Right", quick_reply={"payload": "/affirm"})
    postback = {"sender": {"id": "1003"}, "recipient": {"id": "P"}, "timestamp": 5, "postback": {"payload": "/help"}}
    assert [m.text for m in incoming_messages(page(tap, postback))] == ["/affirm", "/help"]


def test_echoes_deliveries_reads_and_junk_are_ignored() -> None:
    echo = msg("2000", mid="m", text="ours", is_echo=True)
    delivery = {"sender": {"id": "1003"}, "delivery": {"mids": ["m"]}}
    read = {"sender": {"id": "1003"}, "read": {"watermark": 1}}
    assert incoming_messages(page(echo, delivery, read, "junk", {"message": {"mid": "x"}})) == []
    assert incoming_messages({"object": "instagram", "entry": []}) == []
    assert incoming_messages(["not", "a", "dict"]) == []
