"""The requirements layers: serve (the action server) holds everything serving imports and nothing of training;
every package is pinned exactly once across serve, train and dev."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from testkit.processes import ROOT

LAYERS = ["serve", "train", "dev"]
PROBE = """
import importlib.abc, importlib.metadata, json, re, sys
allowed = set(json.loads(sys.argv[1]))
dists = importlib.metadata.packages_distributions()


class OnlyServe(importlib.abc.MetaPathFinder):
    \"\"\"Installed packages outside requirements/serve.txt are not there, as in a serve-only venv.\"\"\"

    def find_spec(self, name, path=None, target=None):
        owners = {re.sub(r"[-_.]+", "-", d).lower() for d in dists.get(name.split(".")[0], [])}
        if owners and not owners & allowed:
            raise ImportError(f"{name} is not in requirements/serve.txt")
        return None


sys.meta_path.insert(0, OnlyServe())
import actions.__main__, actions.app
from actions.settings import Settings
actions.app.create_app(Settings.from_env({}))
print("served")
"""


def pins(layer: str) -> dict[str, str]:
    lines = (ROOT / "requirements" / f"{layer}.txt").read_text().splitlines()
    found = [re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line) for line in lines if line and not line.startswith("#")]
    assert all(found), "every line is name==version"
    return {normalise(m.group(1)): m.group(2) for m in found if m}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_package_is_pinned_once_across_the_layers() -> None:
    names = [name for layer in LAYERS for name in pins(layer)]
    assert len(names) == len(set(names))


def test_the_action_server_starts_with_only_what_serve_installs() -> None:
    """`make run` and `make serve` install serve only: the server imports and loads its model without the rest
    (an optional import of a package outside serve fails, as it does there)."""
    allowed = json.dumps(sorted(pins("serve")))
    run = subprocess.run([sys.executable, "-c", PROBE, allowed], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip().endswith("served"), run.stderr[-2000:]


def test_serve_holds_no_training_or_dev_package() -> None:
    assert {"torch", "torchvision", "fastai", "timm", "pytest", "mypy", "ruff"} & set(pins("serve")) == set()


def test_the_in_files_name_only_pinned_packages() -> None:
    for layer in LAYERS:
        lines = (ROOT / "requirements" / f"{layer}.in").read_text().splitlines()
        wanted = [normalise(re.split(r"[=\[]", line)[0].strip()) for line in lines if line and line[0] != "#"]
        assert set(wanted) <= set(pins(layer)), layer
