"""Was this exact upstream event processed already?

eventsourcing's `has_tracking_id` answers "was anything at or past this position
tracked", which is wrong for a consumer that may apply a reclaimed message after a
later one. This asks the recorder's tracking table for the exact (source, position).
"""
from __future__ import annotations

from eventsourcing.persistence import ProcessRecorder


def already_processed(recorder: ProcessRecorder, source: str, position: int) -> bool:
    from eventsourcing.postgres import PostgresTrackingRecorder
    from eventsourcing.sqlite import SQLiteTrackingRecorder

    if isinstance(recorder, SQLiteTrackingRecorder):
        with recorder.datastore.transaction(commit=False) as c:
            c.execute("SELECT 1 FROM tracking WHERE application_name = ? AND notification_id = ?",
                      (source, position))
            return c.fetchone() is not None
    if isinstance(recorder, PostgresTrackingRecorder):
        from psycopg.sql import SQL, Identifier

        statement = SQL("SELECT 1 FROM {}.{} WHERE application_name = %s AND notification_id = %s").format(
            Identifier(recorder.datastore.schema or "public"), Identifier(recorder.tracking_table_name))
        with recorder.datastore.transaction(commit=False) as curs:
            curs.execute(statement, (source, position))
            return curs.fetchone() is not None
    # The in-memory recorder keeps only the highest position per source and refuses
    # lower ones: fine for tests that deliver in order, not for production.
    return recorder.has_tracking_id(source, position)
