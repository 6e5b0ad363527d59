"""Webhook authentication: HMAC signatures (Meta) and shared secrets (Telegram's secret token, REST's Bearer
token), compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

ALGORITHMS = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}


def valid_hub_signature(secret: str, body: bytes, header: str | None, algorithm: str) -> bool:
    """True when `header` ("sha256=<hex>") is the HMAC of the raw `body` with the app `secret`."""
    if not header or not secret or "=" not in header:
        return False
    name, _, received = header.partition("=")
    if name != algorithm or algorithm not in ALGORITHMS:
        return False
    expected = hmac.new(secret.encode(), body, ALGORITHMS[algorithm]).hexdigest()
    return hmac.compare_digest(expected.encode(), as_bytes(received.strip().lower()))


def valid_meta_request(secret: str, body: bytes, headers: Mapping[str, str], allow_sha1: bool) -> bool:
    """Meta's X-Hub-Signature-256; the legacy SHA-1 X-Hub-Signature only when allowed (`headers`: lower-case keys
    or a case-insensitive mapping)."""
    if valid_hub_signature(secret, body, headers.get("x-hub-signature-256"), "sha256"):
        return True
    return allow_sha1 and valid_hub_signature(secret, body, headers.get("x-hub-signature"), "sha1")


def same_secret(expected: str, received: str | None) -> bool:
    """Constant-time comparison of a shared secret (verify token, Telegram secret token)."""
    return bool(expected) and isinstance(received, str) and hmac.compare_digest(expected.encode(), as_bytes(received))


def valid_bearer(token: str, header: str | None) -> bool:
    """An `Authorization: Bearer <token>` header with our token (the scheme in any case)."""
    scheme, _, received = (header or "").partition(" ")
    return scheme.lower() == "bearer" and same_secret(token, received.strip())


def as_bytes(received: str) -> bytes:
    """A received header or parameter as bytes to compare: any str (non-ASCII, lone surrogates) encodes."""
    return received.encode("utf-8", "surrogatepass")
