"""Settings every service reads from the environment (prefix SOP_)."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOP_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    redis_url: str = "redis://127.0.0.1:6379/0"
    stream_prefix: str = "sop"
    persistence: Literal["sqlite", "postgres", "memory"] = "sqlite"
    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    postgres_user: str = "postgres"
    postgres_password: str = ""
    postgres_dbname: str = "test"
    postgres_schema_prefix: str = "sop"
    # Connections each event store keeps open, and how many more it may open under load. A service is one
    # event loop: two suffice; the library's default (5 + 10) made two replicas of the four services
    # exhaust PostgreSQL's 100, and a process waiting for a connection stalls its whole loop.
    postgres_pool_size: int = 2
    postgres_max_overflow: int = 6
    sop_dir: Path | None = None
    credentials_file: Path | None = None
    # Followers: how many times an event that fails on its own is tried before it is parked.
    max_deliveries: int = 5
    relay_poll_ms: int = 50
    # Streams are trimmed past what every reader has applied, keeping at least this many seconds
    # (after a Redis flush, followers register again within that window). Off: streams grow forever.
    stream_trim: bool = True
    # The audit guarantees, on by default. Off exists to measure what they cost and for deployments that accept
    # the trade-off (README, "Configuration"): chain off stores events with the library's own recorders, no
    # hash links (`sop verify` then says so); encryption off stores the applicant's personal data in clear
    # in the events, which no erasure can remove later (an erasure is refused). Values sealed while it was
    # on still open as long as their keys exist.
    event_chain: bool = True
    pii_encryption: bool = True
    stream_retain_s: float = 60.0
    command_timeout_s: float = 5.0
    # SIGTERM: requests in hand get this long to finish before the process stops anyway.
    shutdown_grace_s: float = 10.0
    host: str = "127.0.0.1"
    intake_port: int = 8000
    routing_port: int = 8001
    documents_port: int = 8002
    sla_port: int = 8003
    sla_url: str | None = None  # where the gateway finds the SLA service; default host:sla_port
    documents_url: str | None = None
    routing_url: str | None = None  # where the gateway and the SLA service ask routing for a case's events (?as_of=)
    # Where the public reaches the API: the documents' QR codes point to {public_url}/verify/...
    # Part of every rendered PDF, so changing it changes the bytes of documents issued afterwards.
    public_url: str | None = None
    # Above the sum of every field's maximum length, so an over-long field is a 422 that names it.
    max_body_bytes: int = 1024 * 1024
    max_upload_bytes: int = 10 * 1024 * 1024

    access_policy_file: Path | None = None  # who reads what; default shared/sop/access.yaml
    staff_file: Path | None = None  # who signs the agency's reports; default shared/sop/staff.yaml
    # Idempotency-Key: how long the first answer is kept for a retry (24 h, as portals know from Stripe).
    idempotency_ttl_s: int = 24 * 3600
    # occurred_at may lie this far in the past (a week: about five working days); never in the future.
    max_backdate_days: int = 7
    # Read your own writes: how long a read waits for the read model to reach a case version it was
    # told of (?min_version=) or a case just submitted.
    read_wait_s: float = 5.0

    def url_of(self, service: str) -> str:
        """Where another service's HTTP API listens: its SOP_<SERVICE>_URL, else host and port."""
        given = getattr(self, f"{service}_url", None)
        return (given or f"http://{self.host}:{getattr(self, f'{service}_port')}").rstrip("/")

    def public_base(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.intake_port}").rstrip("/")
