import json
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks import tail_mix
from benchmarks.tail_mix import mixed
from classifier.results import HeldOut, Scored
from classifier.rule_choice import choose_rule, grouped

VOCAB = ["Banana", "Lemon", "Strawberry", "not_fruit"]
TEMPERATURE = 2.0


def random_held_out(seed: int, n: int = 40) -> HeldOut:
    rng = np.random.default_rng(seed)
    photos = []
    for i in range(n):
        probs = rng.dirichlet(np.ones(len(VOCAB)) * 0.5)
        photos.append(Scored(Path(f"photo-{i}.jpg"), VOCAB[i % len(VOCAB)], probs.tolist()))
    return HeldOut(VOCAB, photos, folds=[i % 4 for i in range(n)])


def with_vetoed_first(held_out: HeldOut) -> HeldOut:
    first = held_out.photos[0]
    vetoed = Scored(first.path, "Banana", [1e-8, 1e-8, 1e-8, 1 - 3e-8])
    return HeldOut(held_out.vocab, [vetoed, *held_out.photos[1:]], held_out.rule, held_out.folds)


def test_the_tail_is_averaged_with_the_heads_at_temperature_one_then_one_temperature_is_fitted() -> None:
    base, tail = random_held_out(0), random_held_out(1)
    mix = mixed(base, TEMPERATURE, tail, 0.3)
    heads = np.array([s.probs for s in base.photos]) ** TEMPERATURE
    heads /= heads.sum(axis=1, keepdims=True)
    expected = np.log(0.7 * heads + 0.3 * np.array([s.probs for s in tail.photos]))
    got = np.log(np.array([s.probs for s in mix.photos]))
    # softmax(log expected / T') for one T' for every photo: log-ratios scaled alike
    scale = (got[:, :-1] - got[:, -1:]) / (expected[:, :-1] - expected[:, -1:])
    np.testing.assert_allclose(scale, np.full_like(scale, scale[0, 0]), rtol=1e-4)
    assert [s.path for s in mix.photos] == [s.path for s in base.photos] and mix.folds == base.folds


def test_a_photo_the_crossval_vetoed_stays_vetoed_whatever_the_tail_says() -> None:
    base = with_vetoed_first(random_held_out(0))
    tail = random_held_out(1)
    sure_banana = Scored(tail.photos[0].path, "Banana", [0.97, 0.01, 0.01, 0.01])
    tail = HeldOut(VOCAB, [sure_banana, *tail.photos[1:]], tail.rule, tail.folds)
    mix = mixed(base, TEMPERATURE, tail, 0.5)
    assert mix.photos[0].probs == base.photos[0].probs
    assert mix.photos[1].probs != base.photos[1].probs


def test_files_that_hold_out_different_photos_or_a_weight_outside_0_1_are_refused() -> None:
    base, tail = random_held_out(0), random_held_out(1, n=39)
    with pytest.raises(ValueError, match="same photos"):
        mixed(base, TEMPERATURE, tail, 0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        mixed(base, TEMPERATURE, random_held_out(1), 1.0)


def test_each_weight_writes_its_mix_with_the_rule_chosen_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report, base, tail = tmp_path / "report.json", tmp_path / "held-out.json", tmp_path / "tail.json"
    report.write_text(json.dumps({"calibration": {"temperature": TEMPERATURE}}), encoding="utf-8")
    random_held_out(0).write(base)
    random_held_out(1).write(tail)
    argv = ["tail_mix", str(report), str(base), str(tail), str(tmp_path / "mix"), "--weights", "0.2", "0.6"]
    monkeypatch.setattr(sys, "argv", argv)
    tail_mix.main()
    for weight in (0.2, 0.6):
        written = HeldOut.read(tmp_path / f"mix-{weight}.json")
        expected = mixed(HeldOut.read(base), TEMPERATURE, HeldOut.read(tail), weight)
        np.testing.assert_allclose([s.probs for s in written.photos], [s.probs for s in expected.photos])
        assert written.rule == choose_rule(grouped(written.photos, VOCAB))
    printed = capsys.readouterr().out
    assert printed.count("cross-checked") == 3 and "tail 0.6, rule" in printed
