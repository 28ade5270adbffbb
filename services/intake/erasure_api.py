"""POST /data-subjects/{id}/erasure: the operator erases an applicant's personal data (services/intake/erasure.py).

The operator reads no case (shared/sop/access.yaml), so the answer names the register number and the
erasure, never the data. The data subject's id is the case id of the request it submitted.
"""
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.encoders import jsonable_encoder

from services.intake.answers import Erasure
from services.intake.commands import IdempotencyKey, idempotent
from services.intake.erasure import erase
from services.intake.schemas import EraseSubject
from services.intake.wiring import IntakeService
from shared.http.errors import ApiError, responses
from shared.http.params import CaseId
from shared.roles import Actor
from shared.sop.machine import Refused

STATUS = {"unknown_subject": 404, "retention_period": 409, "not_erasable": 409, "pii_encryption_off": 409}


def build_erasure_router(svc: IntakeService) -> APIRouter:
    router = APIRouter(tags=["personal data"], responses=responses(400, 401, 403, 404, 409, 413, 422))

    async def operator(actor: Annotated[Actor, Depends(svc.auth)]) -> Actor:
        await svc.access.role_in(actor, ("operator",), "POST /data-subjects/{subject_id}/erasure")
        return actor

    @router.post("/data-subjects/{subject_id}/erasure", response_model=Erasure,
                 summary="Erase a data subject's personal data: its key is deleted, every read shows [dihapus]")
    async def erasure(subject_id: CaseId, body: EraseSubject, actor: Annotated[Actor, Depends(operator)],
                      idempotency_key: IdempotencyKey = None) -> Any:
        route = f"POST /data-subjects/{subject_id}/erasure"

        async def run(_: UUID) -> tuple[int, Any]:
            try:
                done = erase(svc.intake, str(subject_id), body.legal_basis, body.reason, actor)
                svc.files.erase(str(subject_id))  # after the key: sealed already, now gone too
            except Refused as exc:
                raise ApiError(STATUS.get(exc.code, 422), exc.reason, code=exc.code) from None
            return 200, jsonable_encoder(done)
        return await idempotent(svc, actor, route, idempotency_key, body.model_dump(mode="json"), run)

    return router
