"""What `sop` prints from the answers it gets: an API error as one line, any report as tables."""
from __future__ import annotations

import httpx
from rich.console import Console

from system.cli_errors import api_error
from system.cli_report import records, show
from system import cli_report


def answer(status: int, body) -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request("GET", "http://sla:8003/reports/capaian-kinerja"))


def test_an_api_error_is_its_code_and_reason_on_one_line():
    refused = answer(422, {"error": "invalid", "reason": "the period is not two real days",
                           "fields": [{"field": "query.from", "problem": "day value is outside\\nexpected range"}]})
    assert api_error(refused) == ("422 invalid: the period is not two real days "
                                  "(query.from: day value is outside\\nexpected range)")
    assert api_error(answer(502, {"error": "upstream_unavailable", "reason": "SLA did not answer"})) == \
        "502 upstream_unavailable: SLA did not answer"
    not_ours = httpx.Response(500, text="<html>\n<b>Internal\nServer Error</b></html>",
                              request=httpx.Request("GET", "http://sla:8003/x"))
    assert api_error(not_ours) == "500 from http://sla:8003/x: <html> <b>Internal Server Error</b></html>"


def test_a_report_field_added_later_is_a_column_and_brackets_are_text(monkeypatch):
    screen = Console(width=200, record=True)
    monkeypatch.setattr(cli_report, "console", screen)
    show({"period_from": "2026-01-01", "rows": [{"sop_id": "sop-a", "step": 2, "on_time_pct": None},
                                                 {"sop_id": "sop-b", "step": 4, "new_field": "[red]x[/]"}],
          "nested": {"not": "a table"}}, "2026-01-01 – 2026-06-30")
    text = screen.export_text()
    assert "period_from: 2026-01-01" in text and "new_field" in text and "[red]x[/]" in text
    assert "langkah" in text and "—" in text  # a known field under its heading; nothing as a dash
    assert len(records([{"a": 1}, {"b": [1, 2]}], "t").columns) == 2


def test_a_wide_report_is_one_line_a_record_its_short_fields_whole(monkeypatch):
    screen = Console(width=100, record=True)
    monkeypatch.setattr(cli_report, "console", screen)
    rows = [{"sop_id": f"sop-{n}", "step": n, "kegiatan": "Petugas mencatat pada buku register " * 4,
             "pelaksana": "Petugas Tata Usaha / Unit Kerja Pelayanan", "on_time_pct": 100.0} for n in range(3)]
    screen.print(records(rows, "t"))
    lines = screen.export_text().splitlines()
    body = [line for line in lines if "sop-" in line]
    assert len(body) == 3 and all(len(line) <= 100 for line in lines)
    assert all("100.0" in line and "Petugas mencatat" in line and "…" in line for line in body)
