"""Builds the `eventsourcing` environment of a service's own event store."""
from __future__ import annotations

from shared.settings import Settings


def store_env(settings: Settings, service: str) -> dict[str, str]:
    # Multi-row tracking: a reclaimed message may be processed after a later one,
    # and single-row tracking would then drop it as "already seen".
    env = {"SINGLE_ROW_TRACKING": "n", "AGGREGATE_CACHE_MAXSIZE": "5000"}
    if settings.persistence == "memory":
        return env | {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if settings.persistence == "sqlite":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return env | chained("sqlite", "SQLite", settings.event_chain) | {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(settings.data_dir / f"{service}.db"),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    schema = f"{settings.postgres_schema_prefix}_{service}"
    ensure_postgres_schema(settings, schema)
    return env | chained("postgres", "Postgres", settings.event_chain) | {
        "PERSISTENCE_MODULE": "shared.postgres_factory:UnpreparedPostgresFactory",
        "POSTGRES_HOST": settings.postgres_host,
        "POSTGRES_PORT": str(settings.postgres_port),
        "POSTGRES_USER": settings.postgres_user,
        "POSTGRES_PASSWORD": settings.postgres_password,
        "POSTGRES_DBNAME": settings.postgres_dbname,
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
        "POSTGRES_MAX_OVERFLOW": str(settings.postgres_max_overflow),
        "CREATE_TABLE": "y",
    }


def chained(module: str, prefix: str, on: bool = True) -> dict[str, str]:
    """The library's recorders with one step more: each event's link of the hash chain, in its own
    transaction (shared/chain/). An `Application` asks for the application recorder, an
    `EventSourcedProjection` for the process recorder; both are chained. Off (SOP_EVENT_CHAIN=false):
    the library's own recorders, which neither create nor write the chain table."""
    if not on:
        return {}
    return {"APPLICATION_RECORDER_TOPIC": f"shared.chain.{module}:Chained{prefix}ApplicationRecorder",
            "PROCESS_RECORDER_TOPIC": f"shared.chain.{module}:Chained{prefix}ProcessRecorder"}


def ensure_postgres_schema(settings: Settings, schema: str) -> None:
    import psycopg

    with psycopg.connect(
        host=settings.postgres_host, port=settings.postgres_port, user=settings.postgres_user,
        password=settings.postgres_password or None, dbname=settings.postgres_dbname, autocommit=True,
    ) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
