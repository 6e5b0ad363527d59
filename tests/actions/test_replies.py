from actions.replies import NOT_A_FRUIT, format_reply, fruit_list, shorten
from actions.services.wikipedia import Summary
from classifier.predict import Guess, Prediction, Verdict

BANANA = Guess("Banana", "Banana", 0.973, "Banana")
KIWI = Guess("Kiwi", "Kiwi", 0.3, "Kiwifruit")
SUMMARY = Summary("Banana", "A banana is an elongated, edible fruit.", "https://en.wikipedia.org/wiki/Banana")


def test_a_confident_answer_names_the_fruit_with_confidence_and_summary() -> None:
    reply = format_reply(Prediction(Verdict.FRUIT, (BANANA, KIWI)), SUMMARY)
    assert reply == (
        "Banana (97 %)\n\nA banana is an elongated, edible fruit.\n\nMore: https://en.wikipedia.org/wiki/Banana"
    )


def test_without_a_summary_the_classification_still_stands() -> None:
    assert format_reply(Prediction(Verdict.FRUIT, (BANANA,)), None) == "Banana (97 %)"


def test_an_unsure_answer_offers_two_guesses() -> None:
    reply = format_reply(Prediction(Verdict.UNSURE, (Guess("Mango", "Mango", 0.45, "Mango"), KIWI)), None)
    assert reply.startswith("I'm not sure — maybe Mango (45 %) or Kiwi (30 %)")


def test_not_a_fruit_is_said_kindly() -> None:
    assert format_reply(Prediction(Verdict.NOT_FRUIT, (KIWI,)), SUMMARY) == NOT_A_FRUIT


def test_long_summaries_are_cut_at_a_sentence() -> None:
    text = "First sentence is here. " * 30
    short = shorten(text, 100)
    assert len(short) <= 100 and short.endswith(".")


def test_the_fruit_list_is_brief() -> None:
    names = [f"Fruit {i:02}" for i in range(30)]
    reply = fruit_list(names, shown=3)
    assert reply.startswith("I know 30 kinds of fruit")
    assert "Fruit 00, Fruit 01, Fruit 02 and 27 more." in reply
