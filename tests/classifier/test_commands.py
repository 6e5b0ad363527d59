"""The `predict` and `evaluate` commands: files and URLs in, one line per input in input order, bad inputs say why;
metrics, JSON and plots out, unknown class folders reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.__main__ import main
from testkit.http_server import FakeHTTPServer, Reply
from tests.conftest import FIXTURES


def predicted_lines(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["predict", *args]) == 0
    return capsys.readouterr().out.splitlines()


def test_json_lines_in_input_order_with_a_bad_input_among_them(
    tmp_path: Path, fake_http: FakeHTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_http.routes["/lemon.jpg"] = Reply(200, (FIXTURES / "lemon.jpg").read_bytes(), {"Content-Type": "image/jpeg"})
    pdf = tmp_path / "photo.jpg"
    pdf.write_bytes(b"%PDF-1.4 not a photo")
    inputs = [str(FIXTURES / "banana.jpg"), str(pdf), f"{fake_http.url}/lemon.jpg", f"{fake_http.url}/gone.jpg"]
    banana, not_image, lemon, gone = (json.loads(line) for line in predicted_lines(capsys, *inputs, "--json"))
    assert [line["input"] for line in (banana, not_image, lemon, gone)] == inputs
    assert banana["verdict"] == "fruit" and len(banana["top"]) == 3
    assert (banana["top"][0]["label"], banana["top"][0]["name"]) == ("Banana", "Banana")
    assert all(set(guess) == {"label", "name", "p"} for guess in banana["top"])
    assert 0.5 <= banana["top"][0]["p"] <= 1 and banana["top"][0]["p"] >= banana["top"][1]["p"]
    assert not_image == {"input": str(pdf), "error": "not an image (no format Pillow can read)"}
    assert lemon["verdict"] == "fruit" and lemon["top"][0]["name"] == "Lemon"
    assert set(gone) == {"input", "error"} and "404" in gone["error"]


def test_readable_lines_name_the_fruit_with_its_probability(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.jpg"
    banana, absent = predicted_lines(capsys, str(FIXTURES / "banana.jpg"), str(missing))
    assert banana.startswith(f"{FIXTURES / 'banana.jpg'}: fruit — Banana ") and banana.count("%") == 3
    assert absent.startswith(f"{missing}: cannot read: FileNotFoundError")


def test_evaluate_reports_unknown_class_folders_and_writes_json_and_plots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "Test"
    for folder, fixture in [("Banana", "banana.jpg"), ("Lemon", "lemon.jpg"), ("Durian", "strawberry.jpg")]:
        (data / folder).mkdir(parents=True)
        (data / folder / "1.jpg").write_bytes((FIXTURES / fixture).read_bytes())
    out, plots = tmp_path / "report.json", tmp_path / "plots" / "test"
    plots.parent.mkdir()
    assert main(["evaluate", "--data", str(data), "--json", str(out), "--plots", str(plots)]) == 0
    assert "classes the model does not know (skipped): Durian" in capsys.readouterr().out
    report = json.loads(out.read_text())
    assert (report["n"], report["accuracy"], report["top5"]) == (2, 1.0, 1.0)
    assert report["per_class"] == {"Banana": 1.0, "Lemon": 1.0} and report["unknown_classes"] == ["Durian"]
    assert report["mean_latency_ms"] > 0
    for kind in ("confusion", "top_losses"):
        assert (plots.parent / f"test.{kind}.png").read_bytes().startswith(b"\x89PNG")
