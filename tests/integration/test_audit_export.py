"""The audit export read from the stores: a period's rows are an unbroken stretch of each chain, an altered
row inside it is still exported, and the CSV carries every link."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.chain.export import export, period_instants
from shared.chain.export_formats import to_csv
from tests.integration.chain_support import fill, flip_one_byte

ZONE = ZoneInfo("Asia/Pontianak")


def rows_of(settings, start: date, end: date, with_state: bool = True):
    return list(export(settings, *period_instants(start, end, ZONE), with_state=with_state))


def test_a_period_is_an_unbroken_stretch_of_the_chain_and_keeps_an_altered_row(store_settings):
    fill(store_settings, notes=3)
    today = datetime.now(ZONE).date()  # the agency's day, as the period is read
    rows = rows_of(store_settings, today - timedelta(days=1), today + timedelta(days=1))
    assert [r["position"] for r in rows] == [1, 2, 3, 4, 5, 6] and all(r["in_period"] for r in rows)
    assert all(b["prev_hash"] == a["link_hash"] for a, b in zip(rows, rows[1:]))
    assert rows_of(store_settings, today + timedelta(days=2), today + timedelta(days=3)) == []

    flip_one_byte(store_settings, 3)  # its timestamp may no longer read: it stays, inside the stretch
    altered = rows_of(store_settings, today - timedelta(days=1), today + timedelta(days=1))
    assert [r["position"] for r in altered] == [1, 2, 3, 4, 5, 6]
    assert altered[2]["state"] != rows[2]["state"] and altered[2]["link_hash"] == rows[2]["link_hash"]


def test_the_csv_has_every_field_and_link_but_not_the_bytes(store_settings):
    fill(store_settings, notes=1)
    today = datetime.now(ZONE).date()  # the agency's day, as the period is read
    table = list(csv.DictReader(io.StringIO(to_csv(rows_of(store_settings, today, today, with_state=False)).decode())))
    assert len(table) == 2 and table[0]["event_type"] == "Created" and table[1]["prev_hash"] == table[0]["link_hash"]
    assert "state" not in table[0] and table[0]["service"] == "intake"
