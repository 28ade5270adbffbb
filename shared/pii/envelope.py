"""One personal field sealed for its data subject: AES-256-GCM, as a string that says whose key opens it.

A sealed value is a string, so it sits where the plaintext sat (a register column, a JSON field) and
every shape that carried the plaintext carries it unchanged: the event schemas, the read models'
tables and the facts documents keeps. The subject id is the authenticated data: a value copied under
another subject's id does not open. A fresh nonce per value: equal names do not give equal ciphertexts,
so nobody learns from the log that two requests came from the same person.
"""
from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "pii1:"
# What every reader shows where the data of an erased subject was.
ERASED = "[dihapus]"


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(value: str, subject_id: str, key: bytes) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, value.encode("utf-8"), subject_id.encode())
    return f"{PREFIX}{subject_id}:{base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def subject_of(sealed: str) -> str:
    return sealed[len(PREFIX):].split(":", 1)[0]


def unseal(sealed: str, key: bytes) -> str:
    subject_id, body = sealed[len(PREFIX):].split(":", 1)
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return AESGCM(key).decrypt(raw[:12], raw[12:], subject_id.encode()).decode("utf-8")


def seal_bytes(content: bytes, subject_id: str, key: bytes) -> bytes:
    """An uploaded file at rest: the nonce, then the ciphertext (the subject id authenticated)."""
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, content, subject_id.encode())


def unseal_bytes(sealed: bytes, subject_id: str, key: bytes) -> bytes:
    return AESGCM(key).decrypt(sealed[:12], sealed[12:], subject_id.encode())
