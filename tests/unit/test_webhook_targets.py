"""Where webhooks may go (SSRF) and how a receiver checks their signature."""
from __future__ import annotations

import time

import pytest

from services.intake.webhooks.signing import signature, verify
from services.intake.webhooks.targets import (
    TargetRefused, checked_addresses, host_header, parse_target, pinned_url, public,
)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.8", "172.16.4.1", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
                                     "224.0.0.1", "240.0.0.1"])
def test_loopback_private_link_local_and_reserved_addresses_are_not_public(address):
    assert not public(address)


def test_internet_addresses_are_public():
    assert public("93.184.216.34") and public("2606:2800:220:1:248:1893:25c8:1946")


@pytest.mark.parametrize("url", ["http://example.com/x", "ftp://example.com/", "https:///x",
                                 "https://u:p@example.com/", "https://example.com:99999/", "https://example.com/#f"])
def test_only_plain_https_urls_are_taken(url):
    with pytest.raises(TargetRefused):
        parse_target(url, allow_private=False)


async def test_a_name_is_refused_when_any_address_it_resolves_to_is_private():
    async def rebinding(host, port):
        return ["93.184.216.34", "127.0.0.1"]
    target = parse_target("https://hooks.example.com/in", allow_private=False)
    with pytest.raises(TargetRefused, match="127.0.0.1"):
        await checked_addresses(target, False, rebinding)
    assert await checked_addresses(target, True, rebinding) == ["93.184.216.34", "127.0.0.1"]


def test_a_delivery_connects_to_the_address_checked_and_names_the_host():
    target = parse_target("https://hooks.example.com:8443/in?portal=1", allow_private=False)
    assert pinned_url(target, "93.184.216.34") == "https://93.184.216.34:8443/in?portal=1"
    assert pinned_url(target, "2606:2800::1") == "https://[2606:2800::1]:8443/in?portal=1"
    assert host_header(target) == "hooks.example.com:8443"
    assert host_header(parse_target("https://hooks.example.com", False)) == "hooks.example.com"


def test_a_signature_verifies_and_a_wrong_one_or_an_old_one_does_not():
    body, now = b'{"id":"d1"}', int(time.time())
    header = signature("secret-one", now, body)
    assert verify("secret-one", header, body)
    assert not verify("secret-two", header, body), "another secret"
    assert not verify("secret-one", header, body + b" "), "another body"
    assert not verify("secret-one", header.replace(f"t={now}", f"t={now + 1}"), body), "another time"
    assert not verify("secret-one", signature("secret-one", now - 600, body), body), "a replay past the tolerance"
    assert not verify("secret-one", "garbage", body)
