import hashlib
import hmac

from channels.signatures import same_secret, valid_meta_request

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
