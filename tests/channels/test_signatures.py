import hashlib
import hmac

from channels.signatures import same_secret, valid_bearer, valid_meta_request

BODY = b'{"object":"page","entry":[]}'


def sign(algorithm: str, secret: str = "s3cret", body: bytes = BODY) -> str:
    return f"{algorithm}=" + hmac.new(secret.encode(), body, getattr(hashlib, algorithm)).hexdigest()


def test_a_valid_sha256_signature_passes() -> None:
    assert valid_meta_request("s3cret", BODY, {"x-hub-signature-256": sign("sha256")}, allow_sha1=False)


def test_a_signature_of_another_body_or_secret_fails() -> None:
    assert not valid_meta_request("s3cret", BODY + b" ", {"x-hub-signature-256": sign("sha256")}, allow_sha1=False)
    assert not valid_meta_request("s3cret", BODY, {"x-hub-signature-256": sign("sha256", "other")}, allow_sha1=False)


def test_sha1_only_when_allowed() -> None:
    headers = {"x-hub-signature": sign("sha1")}
    assert not valid_meta_request("s3cret", BODY, headers, allow_sha1=False)
    assert valid_meta_request("s3cret", BODY, headers, allow_sha1=True)


def test_unknown_algorithms_and_garbage_fail_without_raising() -> None:
    for header in ["md5=abc", "sha512=" + "0" * 128, "garbage", "=", "", "sha256="]:
        assert not valid_meta_request("s3cret", BODY, {"x-hub-signature-256": header}, allow_sha1=True)
    assert not valid_meta_request("s3cret", BODY, {}, allow_sha1=True)
    assert not valid_meta_request("", BODY, {"x-hub-signature-256": sign("sha256", "")}, allow_sha1=False)


def test_same_secret() -> None:
    assert same_secret("abc", "abc")
    assert not same_secret("abc", "abd")
    assert not same_secret("abc", None)
    assert not same_secret("", "")


def test_non_ascii_and_surrogate_headers_are_refused_not_raised() -> None:
    for header in ["sha256=ünïcødé", "sha256=\ud800", "sha256=" + "é" * 64]:
        assert not valid_meta_request("s3cret", BODY, {"x-hub-signature-256": header}, allow_sha1=False)
    assert not same_secret("token", "tökén")
    assert not same_secret("token", "\udcff")


def test_the_bearer_token_in_any_scheme_case() -> None:
    assert valid_bearer("t0k", "Bearer t0k") and valid_bearer("t0k", "bearer t0k")
    for header in [None, "", "t0k", "Bearer", "Bearer t0kx", "Basic t0k", "Bearer tök"]:
        assert not valid_bearer("t0k", header)
