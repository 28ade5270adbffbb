"""The agency is data: roles, zone, escalation line and register numbers come from its file, checked
like the SOP files, and the one zone is what every service dates by."""
from __future__ import annotations

import pytest
import yaml

from services.documents.numbering import year_of
from shared.calendar_settings import CalendarSettings
from services.sla.sla_settings import SlaSettings
from shared.agency import DEFAULT_AGENCY, Agency, AgencyError, agency
from shared.projections.folds import AGENCY_ZONE
from shared.roles import KNOWN_ROLES

SHIPPED = yaml.safe_load(DEFAULT_AGENCY.read_text(encoding="utf-8"))


@pytest.mark.parametrize("broken, named", [
    (SHIPPED | {"zone": "Asia/Ketapang"}, "Asia/Ketapang"),
    (SHIPPED | {"escalation": {"kabid": "bupati"}}, "bupati"),
    (SHIPPED | {"register_number": "{nomor}/REG"}, "register_number"),
    (SHIPPED | {"letterhead": "x"}, "letterhead"),
    (SHIPPED | {"monitoring": SHIPPED["monitoring"] | {"by_role": {"bupati": "Perbaiki"}}}, "bupati"),
    ({k: v for k, v in SHIPPED.items() if k != "monitoring"}, "monitoring"),
])
def test_a_broken_agency_file_is_refused_naming_the_problem(tmp_path, broken, named):
    path = tmp_path / "agency.yaml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    with pytest.raises(AgencyError, match=named):
        Agency.from_file(path)


def test_roles_zone_and_escalation_come_from_the_agency_file():
    shipped = agency()
    assert KNOWN_ROLES == set(SHIPPED["roles"]) and shipped.zone == SHIPPED["zone"]
    assert AGENCY_ZONE == shipped.tz and CalendarSettings().zone == shipped.zone
    assert SlaSettings().escalation == SHIPPED["escalation"]
    from datetime import datetime, timezone

    assert year_of(datetime(2026, 12, 31, 17, 30, tzinfo=timezone.utc)) == 2027  # 00:30 WIB, 1 January
