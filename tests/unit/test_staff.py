"""The staff directory is data: who signs the monitoring form comes from its file, checked at start, and a
file still holding placeholders says so."""
from __future__ import annotations

import pytest
import yaml

from services.sla.report_routes import penilai_of
from shared.settings import Settings
from shared.staff import DEFAULT_STAFF, StaffDirectory, StaffError

SHIPPED = yaml.safe_load(DEFAULT_STAFF.read_text(encoding="utf-8"))
OFFICER = SHIPPED["officers"]["sop_monitoring"]


@pytest.mark.parametrize("broken, named", [
    (SHIPPED | {"officers": {"sop_monitoring": OFFICER | {"nip": "1980 0101"}}}, "NIP"),
    (SHIPPED | {"officers": {"sop_monitoring": OFFICER | {"jabatan": ""}}}, "jabatan"),
    (SHIPPED | {"officers": {}}, "sop_monitoring"),
    ({k: v for k, v in SHIPPED.items() if k != "example"}, "example"),
    (SHIPPED | {"kepala": "x"}, "kepala"),
])
def test_a_broken_staff_file_is_refused_naming_the_problem(tmp_path, broken, named):
    path = tmp_path / "staff.yaml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    with pytest.raises(StaffError, match=named):
        StaffDirectory.from_file(path)


def test_the_shipped_file_is_marked_as_example_data_and_the_signature_says_so():
    shipped = StaffDirectory.from_file()
    assert shipped.example and "CONTOH" in shipped.officers.sop_monitoring.name
    assert penilai_of(shipped).example


def test_another_deployment_names_its_own_officer_by_a_setting(tmp_path, monkeypatch):
    path = tmp_path / "staff.yaml"
    real = {"name": "Dra. Siti Aminah, M.Si", "nip": "197503122000032004", "jabatan": "Sekretaris Badan"}
    path.write_text(yaml.safe_dump({"example": False, "officers": {"sop_monitoring": real}}), encoding="utf-8")
    monkeypatch.setenv("SOP_STAFF_FILE", str(path))
    signer = penilai_of(StaffDirectory.from_file(Settings().staff_file))
    assert (signer.name, signer.nip, signer.jabatan, signer.rank, signer.example) == (*real.values(), None, False)


def test_who_is_to_sign_for_an_office_is_its_holder_or_whoever_acts_for_it_that_day():
    from datetime import datetime, timedelta, timezone

    staff, wib = StaffDirectory.from_file(), timezone(timedelta(hours=7))
    holder = staff.holder("kepala_badan", datetime(2026, 12, 20, 16, 0, tzinfo=timezone.utc), wib)  # 23:00 WIB
    assert (holder["name"], holder["acting"], holder["nip"]) == ("HARTO, S.E., M.Si.", None, "19670612 199604 1 001")
    # 17:30 UTC on the 20th is already the 21st in WIB: the Sekretaris is Plh. from that day
    acting = staff.holder("kepala_badan", datetime(2026, 12, 20, 17, 30, tzinfo=timezone.utc), wib)
    assert (acting["name"], acting["acting"]) == ("HENDRA WIJAYA, S.T., M.M.", "Plh.")
    assert acting["for_jabatan"] == "Kepala Badan Perencanaan Pembangunan Daerah"
    assert staff.holder("admin_aplikasi", datetime(2026, 12, 1, tzinfo=timezone.utc), wib) is None
