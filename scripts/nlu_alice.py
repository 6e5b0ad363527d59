"""A second untouched out-of-scope set, by yet other hands: questions from the A.L.I.C.E. bot's AIML files.

    .venv/bin/python scripts/nlu_alice.py OUT.yml

The AIML files ship in the PyPI package python-aiml (requirements/dev.in); they are GPL (c) ALICE A.I. Foundation,
so the lines are drawn from the installed package when `make test` runs and never committed. What is drawn: the
patterns without wildcards of at least three words, from the topical files (knowledge, geography, biography,
science, computers, history, literature, money, movies, music, politics, sports: questions written by the
bot's authors) and from the MindPixel files (mp0-mp6: yes/no questions and statements typed by the public);
leaving out lines about the bot or the person (you, I, my…), greetings, thanks, food and fruit, and any line of the
training data or the other held-out sets (EXCLUDED). 100 of each kind, with a fixed seed, before anyone looked at
what the NLU answers to them.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import aiml
import yaml

ALICE = Path(aiml.__file__).parent / "botdata" / "alice"
ROOT = Path(__file__).resolve().parent.parent
EXCLUDED = [
    ROOT / "rasa_project/data/nlu.yml",
    *(ROOT / f"tests/nlu_{name}.yml" for name in ["heldout", "independent", "fresh"]),
]
TOPICAL = [
    "knowledge", "geography", "biography", "science", "computers", "history",
    "literature", "money", "movies", "music", "politics", "sports",
]  # fmt: skip
MINDPIXEL = [f"mp{i}" for i in range(7)]
PER_KIND = 100
SEED = 42
# about the bot or the person (small talk, bot challenge), a greeting or thanks, or food: not out of scope here
LEFT_OUT = re.compile(
    r"\b(YOU|YOUR|YOURS|YOURSELF|I|ME|MY|MINE|WE|US|OUR|ALICE|BOT|ROBOT|HELLO|HI|BYE|GOODBYE|THANK|THANKS|"
    r"FRUIT|FRUITS|VEGETABLE|VEGETABLES|FOOD|EAT|EATS|EATING|EATEN|TASTE|TASTES|JUICE|PIE)\b"
)


def patterns(name: str) -> list[str]:
    text = (ALICE / f"{name}.aiml").read_text(encoding="utf-8", errors="replace")
    return [" ".join(p.split()) for p in re.findall(r"<pattern>(.*?)</pattern>", text, re.S)]


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


def known_lines(paths: list[Path]) -> set[str]:
    """Every example of these NLU files (entity annotations taken out), normalised."""
    found = set()
    for path in paths:
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in (block.get("examples") or "").splitlines():
                found.add(normalise(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip().removeprefix("- "))))
    return found


def fruit_words() -> set[str]:
    """Every word of the fruit lookup table, upper case (the AIML patterns are)."""
    lookup = yaml.safe_load((ROOT / "rasa_project/data/fruit_lookup.yml").read_text())
    names = "\n".join(block.get("examples", "") for block in lookup["nlu"])
    return {w.upper() for w in re.findall(r"[a-zA-Z]+", names) if len(w) > 2}


def draw(files: list[str], excluded: set[str], fruit: set[str], rng: random.Random) -> list[str]:
    pool = sorted(
        {
            p
            for name in files
            for p in patterns(name)
            if not re.search(r"[*_<#^]", p)
            and len(p.split()) >= 3
            and not LEFT_OUT.search(p)
            and not fruit & set(p.split())
            and normalise(p) not in excluded
        }
    )
    return [line.lower() for line in rng.sample(pool, PER_KIND)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    excluded, fruit, rng = known_lines(EXCLUDED), fruit_words(), random.Random(SEED)
    lines = draw(TOPICAL, excluded, fruit, rng) + draw(MINDPIXEL, excluded, fruit, rng)
    examples = "".join(f"      - {line}\n" for line in lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        f"# Drawn by scripts/nlu_alice.py from python-aiml's A.L.I.C.E. files (GPL, (c) ALICE A.I. Foundation).\n"
        f'version: "3.1"\nnlu:\n  - intent: out_of_scope\n    examples: |\n{examples}',
        encoding="utf-8",
    )
    print(f"{len(lines)} out-of-scope lines written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
