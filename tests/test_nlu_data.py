"""The NLU's held-out sets: the independent one is written by others, says where it comes from and under which
licence, and none of its lines is in the training data."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "rasa_project" / "data" / "nlu.yml"
INDEPENDENT = ROOT / "tests" / "nlu_independent.yml"
FRESH = ROOT / "tests" / "nlu_fresh.yml"


def examples(path: Path) -> dict[str, str]:
    """Normalised example text -> intent (entity annotations taken out)."""
    found = {}
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in (block.get("examples") or "").splitlines():
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip().removeprefix("- "))
            found[normalise(text)] = block.get("intent", "")
    return found


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


def test_no_independent_line_is_trained_on() -> None:
    assert set(examples(INDEPENDENT)) & set(examples(TRAINING)) == set()


def test_the_fresh_set_shares_no_line_with_training_or_the_independent_set() -> None:
    fresh = set(examples(FRESH))
    assert len(fresh) == 150
    assert fresh & set(examples(TRAINING)) == set()
    assert fresh & set(examples(INDEPENDENT)) == set()
    header = FRESH.read_text(encoding="utf-8").split("version:")[0]
    assert "chatterbot-corpus" in header and "BSD" in header


def test_the_independent_set_names_its_sources_and_licences() -> None:
    header = INDEPENDENT.read_text(encoding="utf-8").split("version:")[0]
    assert "chatterbot-corpus" in header and "BSD" in header and "Apache-2.0" in header
    assert len(examples(INDEPENDENT)) >= 250
    assert sum(intent == "out_of_scope" for intent in examples(INDEPENDENT).values()) == 200


def test_the_alice_set_is_drawn_out_of_every_other_set(tmp_path: Path) -> None:
    out = tmp_path / "nlu-alice.yml"
    others = [TRAINING, ROOT / "tests" / "nlu_heldout.yml", INDEPENDENT, FRESH]
    subprocess.run([sys.executable, str(ROOT / "scripts" / "nlu_alice.py"), str(out)], check=True)
    alice = examples(out)
    assert len(alice) == 200 and set(alice.values()) == {"out_of_scope"}
    for other in others:
        assert set(alice) & set(examples(other)) == set()
    assert not any(re.search(r"\b(you|your|i|my|fruit)\b", line) for line in alice)
