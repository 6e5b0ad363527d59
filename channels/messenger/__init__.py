"""Facebook Messenger: Rasa's Facebook connector with its flaws fixed (see channel.py)."""
