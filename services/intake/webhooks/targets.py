"""Where a webhook may point (SSRF, OWASP API7): only https:// to addresses on the public internet.

A URL is checked when it is registered and its host resolved again before every delivery, each address it
resolves to checked, and the delivery then connects to the address that was checked (the name goes in the
Host header and TLS's SNI, so the certificate is still verified for it): a name that resolves to a public
address at registration and to 127.0.0.1 later (DNS rebinding) is refused then too. `allow_private`
(SOP_WEBHOOK_ALLOW_PRIVATE, development only) also lets http:// and loopback or private addresses through.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

RESOLVE_TIMEOUT_S = 5
Resolver = Callable[[str, int], Awaitable[list[str]]]


class TargetRefused(ValueError):
    """Why a URL may not receive webhooks, in words for the portal's developer."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    path: str  # and query


def parse_target(url: str, allow_private: bool) -> Target:
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise TargetRefused(f"the URL must start with {' or '.join(s + '://' for s in schemes)}")
    if not parts.hostname:
        raise TargetRefused("the URL has no host")
    if parts.username or parts.password:
        raise TargetRefused("the URL must not carry a user or password: sign with the secret instead")
    if parts.fragment:
        raise TargetRefused("the URL must not have a #fragment")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused("the URL's port is not a number from 1 to 65535") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(url, parts.scheme, parts.hostname.lower(), port, path)


def public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback
    return ip.is_global and not ip.is_multicast


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


async def checked_addresses(target: Target, allow_private: bool, resolve: Resolver = system_resolver) -> list[str]:
    """The addresses the target's host resolves to, every one allowed; TargetRefused otherwise."""
    try:
        addresses = await asyncio.wait_for(resolve(target.host, target.port), RESOLVE_TIMEOUT_S)
    except TimeoutError:
        raise TargetRefused(f"{target.host} did not resolve within {RESOLVE_TIMEOUT_S} s") from None
    except OSError as exc:
        raise TargetRefused(f"{target.host} does not resolve: {exc.strerror or exc}") from None
    if not addresses:
        raise TargetRefused(f"{target.host} does not resolve")
    refused = [a for a in addresses if not public(a)]
    if refused and not allow_private:
        raise TargetRefused(f"{target.host} resolves to {', '.join(refused)}: loopback, private, link-local and "
                            "reserved addresses never receive webhooks")
    return addresses


def pinned_url(target: Target, address: str) -> str:
    """The target's URL with its host replaced by the address checked, so nothing resolves it again."""
    host = f"[{address}]" if ":" in address else address
    return f"{target.scheme}://{host}:{target.port}{target.path}"


def host_header(target: Target) -> str:
    default = 443 if target.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == default else f"{host}:{target.port}"
