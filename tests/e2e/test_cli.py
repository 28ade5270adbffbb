"""The operator commands against the running system, as an operator types them."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from system.cli import app
from system.demo import run_scenario, scenarios

pytestmark = pytest.mark.integration


def test_sop_replay_reports_identical_for_every_read_model(api, system):
    run_scenario(api, scenarios()[0], 120)
    env = {k: system.env[k] for k in ("SOP_DATA_DIR", "SOP_REDIS_URL", "SOP_STREAM_PREFIX")}
    result = CliRunner().invoke(app, ["replay"], env=env)
    assert result.exit_code == 0, result.output
    assert "register and audit trails: replayed" in result.output and "SLA figures: replayed" in result.output
    assert "documents: re-rendered" in result.output and "differs" not in result.output
    assert "identical" in result.output


def test_sop_dead_letters_lists_none_on_a_healthy_system(system):
    env = {k: system.env[k] for k in ("SOP_DATA_DIR", "SOP_REDIS_URL", "SOP_STREAM_PREFIX")}
    result = CliRunner().invoke(app, ["dead-letters"], env=env)
    assert result.exit_code == 0 and "0 dead letters" in result.output, result.output


def test_sop_demo_produces_saves_and_verifies_every_document(system, tmp_path):
    env = {k: system.env[k] for k in ("SOP_DATA_DIR", "SOP_REDIS_URL", "SOP_STREAM_PREFIX")} | {"COLUMNS": "250"}
    result = CliRunner().invoke(app, ["demo", "--api", system.url("intake"), "--pdfs", str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output
    saved = {p.name for p in tmp_path.rglob("*.pdf")}
    assert saved >= {"buku_tamu.pdf", "buku_register.pdf", "lembar_koordinasi.pdf", "lembar_hasil_koordinasi.pdf",
                     "surat_masuk.pdf", "surat_permintaan_data.pdf", "disposisi_surat.pdf",
                     "konsep_surat_jawaban.pdf", "hasil_pengolahan_data.pdf", "surat_jawaban.pdf"}
    assert list(tmp_path.glob("buku-register-*.csv")) and list(tmp_path.glob("buku-register-*.pdf"))
    assert "original → genuine=True; one byte changed → genuine=False" in " ".join(result.output.split())
