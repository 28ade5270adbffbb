"""An applicant's erasure, as documents carries it out: the PDFs that held their data are removed, and
the case file records the erasure; every revision's record (number, date, SHA-256) stays, so a
verifier still learns that a paper was genuine, and a revision never fetched renders with "[dihapus]".

The bytes go first, then the record: a crash between the two leaves the event unfiled, so it is
delivered again and the (idempotent) removal runs again. Revisions whose fields never carried the
data (a disposition sheet) keep their bytes: nothing of the subject is in them.
"""
from __future__ import annotations

from services.documents.domain import CaseFile
from services.documents.issuing import Issuer
from shared.events import PersonalDataErased


def remove_personal_pdfs(issuer: Issuer, case_file: CaseFile) -> list[str]:
    """The SHA-256 of each PDF removed."""
    removed = []
    for revisions in case_file.documents.values():
        for r in revisions:
            if r["sha256"] and issuer.holds_personal_data(case_file, r["kind"], r["revision"]):
                issuer.blobs.delete(r["sha256"])
                removed.append(r["sha256"])
    return removed


def erased_file(case_file: CaseFile | None, m: PersonalDataErased) -> CaseFile:
    """The file with the erasure recorded; a file routing has not opened yet starts with it."""
    case_file = case_file or CaseFile(case_id=m.case_id, sop_id=m.sop_id, sop_version=m.sop_version)
    case_file.erase(erased_at=m.recorded_at, source_event_id=m.event_id)
    return case_file
