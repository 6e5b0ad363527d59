"""Plain Python that both processes import: the photo-in-metadata contract's shared facts, environment parsing.

The Rasa server (.venv-rasa, Python 3.10) and the action server (.venv, Python 3.11) each import it; it imports
nothing but the standard library.
"""
