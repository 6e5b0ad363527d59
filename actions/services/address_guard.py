"""Refuse to fetch from loopback, private, link-local, metadata and other non-public addresses.

A host is resolved once; the fetcher then connects to the very address that was checked, so a name that
answers a public address first and a private one next (DNS rebinding) cannot slip through.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressPolicy = Callable[[IPAddress], bool]  # may we connect to this address?
Resolver = Callable[[str, int], Awaitable[list[str]]]  # (host, port) -> its addresses


class BlockedAddress(Exception):
    """The host resolves to an address we must not connect to (or does not resolve at all)."""


def is_public(address: IPAddress) -> bool:
    """True for globally routable unicast addresses; IPv4-mapped/NAT64-embedded IPv6 is judged by its IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not address.is_multicast


def any_address(address: IPAddress) -> bool:
    """The policy of IMAGE_FETCH_ALLOW_PRIVATE=true (tests only): every address is allowed."""
    return True


async def system_resolve(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for `host`."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(sockaddr[0]).split("%")[0] for *_, sockaddr in infos]


async def checked_address(host: str, port: int, allowed: AddressPolicy, resolve: Resolver = system_resolve) -> str:
    """The address to connect to for `host`: resolved once, and BlockedAddress unless every address it resolves
    to is `allowed` (an IP literal is checked as it is)."""
    try:
        addresses = [host] if is_ip(host) else await resolve(host, port)
    except (OSError, ValueError) as error:  # socket.gaierror; ValueError: a NUL, an IDNA label too long
        raise BlockedAddress(f"{host!r} does not resolve: {error}") from error
    if not addresses:
        raise BlockedAddress(f"{host!r} does not resolve")
    for address in addresses:
        if not allowed(ipaddress.ip_address(address)):
            raise BlockedAddress(f"{host!r} resolves to non-public address {address}")
    return addresses[0]


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
