"""Hostile webhook bodies for the fuzz tests: not JSON, too deep, too large, wrong types at every place of a
real payload, unicode edge cases. Deterministic for a seed; each body says what it is."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any

from channels.boundary import MAX_BODY_BYTES

ODD_VALUES: list[Any] = [None, True, 0, -1, 2**70, 1.5, "", "\ud800", "x" * 5000, [], {}, [[[[]]]], {"id": {}}]
ODD_STRINGS = ["\ud800", "\udc00x", "a\x00b", "\u202egnp.exe", "🍌" * 500, "\u0000" * 10, "' OR 1=1 --", "%s%n"]
RAW_BODIES = [
    b"",
    b"{",
    b"not json at all",
    b"\xff\xfe\xfa",
    b'{"a": "\xc3\x28"}',  # invalid UTF-8 inside a string
    b"null",
    b"[]",
    b'"a string"',
    b"42",
    b"NaN",
    b"1e999",
    b"[" * 10_000 + b"]" * 10_000,
    b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    b"9" * 5000,
]


def places(value: Any, path: tuple = ()) -> list[tuple]:
    """Every path to a value inside `value` (dict keys and list indexes), the root included."""
    found = [path]
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, child in children:
        found += places(child, (*path, key))
    return found


def replaced(template: Any, path: tuple, new: Any) -> Any:
    """A copy of `template` with the value at `path` replaced by `new`."""
    if not path:
        return new
    copied = copy.deepcopy(template)
    parent = copied
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new
    return copied


def random_json(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(7 if depth < 4 else 5)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.choice([0, -(2**63), 2**64, rng.randint(-1000, 1000)])
    if kind == 2:
        return rng.choice([1e308, -0.0, rng.random()])
    if kind in (3, 4):
        return rng.choice([*ODD_STRINGS, "hello", "/affirm", "https://cdn.example/a.jpg"])
    if kind == 5:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(["id", "text", "message", "a", "\ud800"]): random_json(rng, depth + 1) for _ in range(3)}


def hostile_bodies(template: dict[str, Any], seed: int, n_random: int = 20) -> Iterator[tuple[str, bytes]]:
    """(what, body) pairs: raw junk, every place of `template` given each odd value, odd strings in its string
    fields, random JSON, and a body just over the size cap."""
    for raw in RAW_BODIES:
        yield f"raw {raw[:12]!r}", raw
    for path in places(template):
        for value in ODD_VALUES:
            yield f"{'/'.join(map(str, path)) or 'root'} = {str(value)[:12]!r}", dumps(replaced(template, path, value))
    strings = [p for p in places(template) if isinstance(lookup(template, p), str)]
    rng = random.Random(seed)
    for path in strings:
        yield f"{'/'.join(map(str, path))} odd string", dumps(replaced(template, path, rng.choice(ODD_STRINGS)))
    for i in range(n_random):
        yield f"random JSON #{i}", dumps(random_json(rng))
    yield "a body over the size cap", dumps({**template, "padding": "x" * MAX_BODY_BYTES})


def lookup(value: Any, path: tuple) -> Any:
    for key in path:
        value = value[key]
    return value


def dumps(value: Any) -> bytes:
    """JSON as a client could send it: lone surrogates escaped (\\ud800), as json.dumps writes them."""
    return json.dumps(value).encode()
