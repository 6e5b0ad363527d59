"""FruitBot's Rasa channels (Messenger, Telegram), imported by the Rasa server (.venv-rasa, Python 3.10).

The modules without a Rasa import (contract, signatures, dedupe, ordered_tasks, the webhook parsers) are plain
Python that the 3.11 test suite imports too.
"""
