import ipaddress

import pytest

from actions.services.address_guard import BlockedAddress, any_address, checked_address, is_public


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:7f00:0001::1",
        "::",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.1.69", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


async def test_a_dns_name_that_resolves_to_loopback_is_refused() -> None:
    with pytest.raises(BlockedAddress, match="non-public"):
        await checked_address("localhost", 80, is_public)


async def test_the_allow_setting_lets_tests_use_loopback() -> None:
    assert await checked_address("localhost", 80, any_address) in ("127.0.0.1", "::1")


@pytest.mark.parametrize("host", ["no-such-host.invalid", "a\x00b", "x" * 300])
async def test_a_name_that_does_not_resolve_is_refused(host: str) -> None:
    with pytest.raises(BlockedAddress, match="does not resolve"):
        await checked_address(host, 80, any_address)


async def test_an_ip_literal_is_checked_without_resolving() -> None:
    async def never(host: str, port: int) -> list[str]:
        raise AssertionError("resolved an IP literal")

    assert await checked_address("8.8.8.8", 80, is_public, never) == "8.8.8.8"
    with pytest.raises(BlockedAddress):
        await checked_address("10.0.0.1", 80, is_public, never)
