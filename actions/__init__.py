"""FruitBot's action server (rasa-sdk): classify the photos of a message, add a Wikipedia summary."""
