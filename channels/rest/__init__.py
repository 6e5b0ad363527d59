"""The REST channel: Rasa's `rest` webhook, with a total parser, a Bearer token and the same safety net."""
