"""The operator commands against the running system, as an operator types them."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from system.cli import app
from system.demo import run_scenario, scenarios

pytestmark = pytest.mark.integration


def settings_of(system) -> dict[str, str]:
    """What the services were started with: the command finds them with nothing else."""
    return {k: v for k, v in system.env.items() if k.startswith("SOP_")}


def test_sop_replay_reports_identical_for_every_read_model(api, system):
    run_scenario(api, scenarios()[0], 120)
    result = CliRunner().invoke(app, ["replay"], env=settings_of(system))
    assert result.exit_code == 0, result.output
    assert "Read models rebuilt from event 1" in result.output and "Documents rendered again" in result.output
    assert "register and audit trails" in result.output and "SLA figures" in result.output
    assert "{" not in result.output and "differs" not in result.output  # a table, not a dict
    assert "identical: every rebuilt read model equals the live one" in result.output

    found = json.loads(CliRunner().invoke(app, ["replay", "--json"], env=settings_of(system)).stdout)
    models = {m["name"]: m for m in found["read_models"]}
    assert found["identical"] and all(m["identical"] and m["events"] >= m["distinct"] > 0 for m in models.values())
    assert models["register and audit trails"]["rows"]["register"] >= 1
    assert found["documents"]["identical"] and found["documents"]["revisions"] >= 4


def test_sop_report_prints_the_services_answer_as_tables_or_json_and_its_errors_as_one_line(api, system):
    run_scenario(api, scenarios()[0], 121)
    period = ["report", "--from", "2026-01-01", "--to", "2030-12-31"]
    shown = CliRunner().invoke(app, period, env=settings_of(system))
    assert shown.exit_code == 0 and "Capaian kinerja" in shown.output and "sop-a" in shown.output, shown.output
    answer = json.loads(CliRunner().invoke(app, [*period, "--json"], env=settings_of(system)).stdout)
    assert any(isinstance(v, list) and v for v in answer.values())
    refused = CliRunner().invoke(app, ["report", "--from", "2026-02-30", "--to", "2026-03-01"],
                                 env=settings_of(system))
    lines = refused.output.strip().splitlines()
    assert refused.exit_code == 1 and len(lines) == 1 and "answered 422" in lines[0], refused.output


def test_sop_dead_letters_lists_none_on_a_healthy_system(system):
    result = CliRunner().invoke(app, ["dead-letters"], env=settings_of(system))
    assert result.exit_code == 0 and "0 dead letters" in result.output, result.output


def test_sop_demo_produces_saves_and_verifies_every_document(system, tmp_path):
    env = settings_of(system) | {"COLUMNS": "250"}  # SOP_INTAKE_PORT among them: no --api needed
    result = CliRunner().invoke(app, ["demo", "--pdfs", str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output
    saved = {p.name for p in tmp_path.rglob("*.pdf")}
    assert saved >= {"buku_tamu.pdf", "buku_register.pdf", "lembar_koordinasi.pdf", "lembar_hasil_koordinasi.pdf",
                     "surat_masuk.pdf", "surat_permintaan_data.pdf", "disposisi_surat.pdf",
                     "konsep_surat_jawaban.pdf", "hasil_pengolahan_data.pdf", "surat_jawaban.pdf"}
    assert list(tmp_path.glob("buku-register-*.csv")) and list(tmp_path.glob("buku-register-*.pdf"))
    assert "original → genuine=True; one byte changed → genuine=False" in " ".join(result.output.split())
