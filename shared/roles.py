"""Who acts: the roles of the agency and the actor a credential stands for."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

KNOWN_ROLES: frozenset[str] = frozenset({
    "pemohon",          # the applicant, or a portal acting for one
    "petugas_tu",       # front desk: Tata Usaha / Unit Kerja Pelayanan
    "kabid",            # Kepala Bidang Perencanaan Strategis dan Pengendalian
    "sub_koordinator",
    "admin_aplikasi",   # Admin Aplikasi / Pelaksana
    "staf_data",        # Staf / Pengolah Data
    "sekretaris",       # Sekretaris Badan
    "kepala_badan",
    "operator",         # runs the system: dead letters, replay; acts on no step
})


class Actor(BaseModel):
    """The person or portal behind a credential; written into every event it causes."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    roles: tuple[str, ...]

    def has(self, role: str) -> bool:
        return role in self.roles


class ActingAs(BaseModel):
    """An actor in the one role it used for a step: what an event records."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    role: str
