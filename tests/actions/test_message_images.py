from actions.message_images import ImageRef, images_in_message


def test_images_come_from_the_metadata_in_order() -> None:
    message = {
        "text": "/send_image",
        "metadata": {"channel": "messenger", "images": [{"url": "https://a/1.jpg"}, {"telegram_file_id": "AgAD"}]},
    }
    assert images_in_message(message) == [ImageRef(url="https://a/1.jpg"), ImageRef(telegram_file_id="AgAD")]


def test_an_url_typed_as_text_is_an_image_for_rasa_shell() -> None:
    message = {"text": "what is this? https://cdn.example.com/x.jpg, and http://b.example/y.png.", "metadata": None}
    assert images_in_message(message) == [
        ImageRef(url="https://cdn.example.com/x.jpg"),
        ImageRef(url="http://b.example/y.png"),
    ]


def test_malformed_metadata_entries_are_ignored() -> None:
    message = {"text": "hello", "metadata": {"images": ["x", {"url": 5}, {}, {"url": ""}]}}
    assert images_in_message(message) == []


def test_a_message_without_image_has_none() -> None:
    assert images_in_message({"text": "hi there"}) == []


def test_any_json_value_is_read_without_raising_and_urls_are_capped() -> None:
    for message in [None, [], "text", {"metadata": []}, {"metadata": {"images": {"url": "x"}}}, {"text": 5}]:
        assert images_in_message(message) == []
    long_url = "https://cdn.example/" + "a" * 3000
    assert images_in_message({"text": f"see {long_url}"}) == []
    many = {"metadata": {"images": [{"url": f"https://cdn.example/{i}.jpg"} for i in range(50)]}}
    assert len(images_in_message(many)) == 10
