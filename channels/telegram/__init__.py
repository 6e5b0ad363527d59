"""Telegram: a small connector of our own where photos work (Rasa 3.6's drops them)."""
