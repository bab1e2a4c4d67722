"""X-Forwarded-For is believed only from FALUN_KB_TRUSTED_PROXIES, for the rate limit and
the audit log; from anyone else the peer address is the client."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from service.http.audit import AuditLog
from service.settings import Settings
from tests.service.http.desk import desk_client

PROXY = ("10.1.2.3", 40000)
ASK = {"question": "Vem är internationell koordinator?"}


def _asks(client, forwarded_for: str) -> list[int]:
    headers = {"X-Forwarded-For": forwarded_for}
    return [client.post("/api/ask", json=ASK, headers=headers).status_code for _ in range(3)]


def _clients(settings: Settings) -> list[str | None]:
    log = AuditLog.open(settings.data_dir, settings.audit)
    return [item["client"] for item in log.export(reader="test", reason="test")]


def test_behind_a_trusted_proxy_each_user_has_a_bucket_and_an_address(tmp_path):
    client, settings, _ = desk_client(
        tmp_path,
        client=PROXY,
        trusted_proxies="10.0.0.0/8",
        rate_limit_burst=2,
        rate_limit_per_second=0.001,
        audit_store_client=True,
    )
    assert _asks(client, "192.0.2.7") == [200, 200, 429]
    assert _asks(client, "192.0.2.8") == [200, 200, 429]  # another user, another bucket
    # a client-made entry to the left of the proxy's own does not get a fresh bucket
    spoofed = {"X-Forwarded-For": "6.6.6.6, 192.0.2.7"}
    assert client.post("/api/ask", json=ASK, headers=spoofed).status_code == 429
    assert set(_clients(settings)) == {"192.0.2.7", "192.0.2.8"}


def test_an_untrusted_peer_cannot_choose_its_address(tmp_path):
    client, settings, _ = desk_client(
        tmp_path,
        client=("203.0.113.9", 40000),
        trusted_proxies="10.0.0.0/8",
        rate_limit_burst=2,
        rate_limit_per_second=0.001,
        audit_store_client=True,
    )
    assert _asks(client, "192.0.2.7") == [200, 200, 429]
    assert _asks(client, "192.0.2.8") == [429, 429, 429]  # the same peer, the same bucket
    assert set(_clients(settings)) == {"203.0.113.9"}


def test_without_trusted_proxies_the_header_is_ignored(tmp_path):
    client, settings, _ = desk_client(
        tmp_path, client=PROXY, rate_limit_burst=1, rate_limit_per_second=0.001,
        audit_store_client=True,
    )  # fmt: skip
    assert _asks(client, "192.0.2.7") == [200, 429, 429]
    assert _clients(settings) == ["10.1.2.3"]


def test_a_malformed_network_is_refused_at_start():
    with pytest.raises(ValidationError, match="not an IP address"):
        Settings(trusted_proxies="10.0.0.0/8, intranet")
    assert Settings(trusted_proxies=" 10.0.0.0/8 ,::1").http.trusted_proxies == (
        "10.0.0.0/8",
        "::1",
    )
