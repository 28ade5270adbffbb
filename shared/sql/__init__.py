"""One connection layer for a service's own tables (read models, the webhook and key stores): SQLite by
default, PostgreSQL with SOP_PERSISTENCE=postgres, the same SQL on both (shared/sql/place.py says where)."""
