"""The container images, the compose file and the Procfile, held against the code (no container engine runs here):
what they copy exists, what they set is a setting, they start the servers the way `make serve` and the tests do,
on the settings' ports, with health checks on real routes, as a user that is not root, with no secret baked in."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from actions.app import create_app
from actions.settings import Settings
from testkit.processes import ROOT, START_SERVER
from tests.test_env_example import READERS, RecordingEnv, documented, example_values

DOCKERFILES = {"actions": ROOT / "docker" / "actions.Dockerfile", "rasa": ROOT / "docker" / "rasa.Dockerfile"}
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
PORT_SETTING = {"actions": "ACTIONS_PORT", "rasa": "RASA_PORT"}
HEALTH_PATH = {"actions": "/health", "rasa": "/"}  # Rasa's root route answers "Hello from Rasa"
START = str(START_SERVER.relative_to(ROOT))


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", dockerfile.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def env_of(dockerfile: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, args in instructions(dockerfile):
        if name == "ENV":
            found.update(dict(pair.split("=", 1) for pair in shlex.split(args)))
    return found


def read_variables() -> set[str]:
    """Every variable a settings module reads, and every one our scripts and config files read."""
    read: set[str] = set()
    for from_env in READERS:
        env = RecordingEnv({})
        from_env(env)
        read |= env.asked
    config = "\n".join(
        p.read_text() for p in [ROOT / "endpoints.yml", ROOT / "credentials.yml", *ROOT.glob("scripts/*")]
    )
    return read | set(re.findall(r"\$\{?([A-Z][A-Z0-9_]+)", config))


@pytest.mark.parametrize("server", DOCKERFILES)
def test_every_file_an_image_copies_exists(server: str) -> None:
    for name, args in instructions(DOCKERFILES[server]):
        if name == "COPY":
            *sources, _ = shlex.split(args)
            for source in sources:
                assert (ROOT / source).exists(), f"{server} image copies {source}, which is not in the repository"


@pytest.mark.parametrize("server", DOCKERFILES)
def test_an_image_starts_its_server_as_make_serve_does_on_the_settings_port(server: str) -> None:
    steps = dict(instructions(DOCKERFILES[server]))
    assert yaml.safe_load(steps["CMD"]) == [START, server]
    assert COMPOSE["services"][server]["command"] == [START, server]
    assert f'{START} {server}"' in (ROOT / "scripts" / "serve.sh").read_text()
    port = example_values()[PORT_SETTING[server]]
    assert steps["EXPOSE"] == port and env_of(DOCKERFILES[server])[PORT_SETTING[server]] == port
    assert COMPOSE["services"][server]["environment"][PORT_SETTING[server]] == port
    if server == "actions":
        assert str(Settings().port) == port


@pytest.mark.parametrize("server", DOCKERFILES)
def test_health_checks_ask_a_route_that_exists(server: str) -> None:
    check = dict(instructions(DOCKERFILES[server]))["HEALTHCHECK"]
    assert f"{PORT_SETTING[server]}" in check and f'}}{HEALTH_PATH[server]}\\"' in check
    if server == "actions":
        app = create_app(Settings(), predictor=object(), name="deployment_check")  # the routes, not the model
        assert "health" in {route.path.strip("/") for route in app.router.routes}


@pytest.mark.parametrize("server", DOCKERFILES)
def test_images_are_pinned_run_as_a_user_and_bake_in_no_secret(server: str) -> None:
    steps = instructions(DOCKERFILES[server])
    base = dict(steps)["FROM"]
    assert re.fullmatch(r"python:3\.1[01]\.\d+-slim-\w+", base), base
    assert [args for name, args in steps if name == "USER"] == ["fruitbot"]
    baked = env_of(DOCKERFILES[server])
    assert not [k for k in baked if re.search("TOKEN|SECRET|PASSWORD", k)]
    assert set(baked) - {"PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "RASA_TELEMETRY_ENABLED"} <= documented()


def test_compose_sets_only_settings_that_exist_and_takes_secrets_from_the_environment() -> None:
    known = documented() & read_variables()
    for name in ("actions", "rasa"):
        environment = COMPOSE["services"][name]["environment"]
        assert set(environment) <= known, set(environment) - known
        for key, value in environment.items():
            if re.search("TOKEN|SECRET", key):
                assert re.fullmatch(r"\$\{[A-Z_]+(:[-?][^}]*)?\}", str(value)), f"{name}: {key} is not from the env"
    referenced = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text()))
    assert referenced <= documented()
    for image in ("redis", "postgres"):
        assert re.search(r":\d+\.\d+", COMPOSE["services"][image]["image"])  # pinned, not :latest


def test_the_procfile_starts_the_servers_as_make_serve_does() -> None:
    processes = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line)
    assert processes == {"web": f"RASA_PORT=$PORT {START} rasa", "actions": f"{START} actions"}
