"""Refuse to fetch from loopback, private, link-local, metadata and other non-public addresses."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(Exception):
    """The host resolves to an address we must not connect to (or does not resolve at all)."""


def is_public(address: IPAddress) -> bool:
    """True for globally routable unicast addresses; IPv4-mapped/NAT64-embedded IPv6 is judged by its IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not address.is_multicast


async def check_host(host: str, port: int, allow_private: bool) -> None:
    """Resolve `host` and raise BlockedAddress unless every address it resolves to is public."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, ValueError) as error:  # ValueError: a NUL, an IDNA label too long
        raise BlockedAddress(f"{host!r} does not resolve: {error}") from error
    if allow_private:
        return
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not is_public(address):
            raise BlockedAddress(f"{host!r} resolves to non-public address {address}")
