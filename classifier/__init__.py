"""FruitBot's fruit classifier: fastai training on Fruits-360 and a small, fast predict API."""
