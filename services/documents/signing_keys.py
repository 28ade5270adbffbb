"""Whose key signs the reply letters: the agency's certificate and key, from settings (env prefix SOP_SIGNING_).

Two sources, one of them:
- a PKCS#12 file (.p12/.pfx) and its passphrase: SOP_SIGNING_PKCS12_FILE, SOP_SIGNING_PKCS12_PASSPHRASE.
  `sop up` sets these to the DEMO certificate it makes under data/signing/ when none is given
  (system/demo_ca.py);
- a PKCS#11 token (a BSrE key on a smart card or an HSM): SOP_SIGNING_PKCS11_MODULE (the vendor's .so),
  SOP_SIGNING_PKCS11_TOKEN_LABEL, SOP_SIGNING_PKCS11_CERT_LABEL, SOP_SIGNING_PKCS11_KEY_LABEL (default: the
  certificate's label), SOP_SIGNING_PKCS11_PIN. It needs python-pkcs11 (`pip install python-pkcs11==0.10.1`,
  a wheel with no system dependencies; not in requirements.lock, since the embedded default does not use it).

SOP_SIGNING_TRUST_ROOTS: PEM files (comma-separated) of the roots verification trusts, e.g. BSrE's root.
A setting that cannot be used (a missing file, a wrong passphrase, no python-pkcs11, no token) stops the
documents service at start-up with the reason (`SigningKeyError`): a letter signed with nothing, or
a signature nobody can check, must not leave the agency looking finished.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from asn1crypto import pem, x509
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.signers.pdf_cms import Signer


class SigningKeyError(RuntimeError):
    """The signing settings name a key that cannot be used; the message says which and why."""


class SigningSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOP_SIGNING_", env_file=".env", extra="ignore")

    pkcs12_file: Path | None = None
    pkcs12_passphrase: SecretStr = SecretStr("")
    pkcs11_module: Path | None = None
    pkcs11_token_label: str | None = None
    pkcs11_cert_label: str | None = None
    pkcs11_key_label: str | None = None
    pkcs11_pin: SecretStr | None = None
    trust_roots: str = ""  # comma-separated PEM files

    @property
    def configured(self) -> bool:
        return self.pkcs12_file is not None or self.pkcs11_module is not None

    def trust_root_files(self) -> list[Path]:
        return [Path(p.strip()) for p in self.trust_roots.split(",") if p.strip()]


DEMO_FILES = ("signing/demo-signer.p12", "DEMO", "signing/demo-root-ca.pem")  # as system/demo_ca.py makes them


def resolved(settings: SigningSettings | None = None, data_dir: Path | None = None) -> SigningSettings:
    """The settings given, or, when none name a key, the DEMO CA under {data_dir}/signing/ if `sop up` made
    one: so `sop replay` and a second documents process sign with the key the running system uses."""
    settings = settings or SigningSettings()
    if settings.configured:
        return settings
    from shared.settings import Settings

    folder = data_dir or Settings().data_dir
    p12, passphrase, root = DEMO_FILES
    if not (folder / p12).is_file():
        return settings
    return settings.model_copy(update={"pkcs12_file": folder / p12, "pkcs12_passphrase": SecretStr(passphrase),
                                       "trust_roots": settings.trust_roots or str(folder / root)})


def load_signer(settings: SigningSettings) -> Signer | None:
    """The signer the settings name (None when none is configured: then nothing is signed)."""
    if settings.pkcs12_file is not None and settings.pkcs11_module is not None:
        raise SigningKeyError("set SOP_SIGNING_PKCS12_FILE or SOP_SIGNING_PKCS11_MODULE, not both")
    if settings.pkcs12_file is not None:
        return _pkcs12(settings.pkcs12_file, settings.pkcs12_passphrase.get_secret_value())
    if settings.pkcs11_module is not None:
        return _pkcs11(settings)
    return None


@lru_cache(maxsize=4)
def _pkcs12(path: Path, passphrase: str) -> Signer:
    """Once per process and file: a worker signs every letter it renders with the same loaded key."""
    if not path.is_file():
        raise SigningKeyError(f"SOP_SIGNING_PKCS12_FILE {path}: no such file")
    signer = SimpleSigner.load_pkcs12(str(path), passphrase=passphrase.encode() or None)
    if signer is None:  # pyhanko logs the cause and answers None
        raise SigningKeyError(f"SOP_SIGNING_PKCS12_FILE {path}: cannot be opened (wrong passphrase or not PKCS#12)")
    return signer


def _pkcs11(settings: SigningSettings) -> Signer:
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
    except ImportError as exc:
        raise SigningKeyError("SOP_SIGNING_PKCS11_MODULE is set, but python-pkcs11 is not installed "
                              f"(pip install python-pkcs11==0.10.1): {exc}") from None
    if not settings.pkcs11_cert_label:
        raise SigningKeyError("SOP_SIGNING_PKCS11_CERT_LABEL: name the signing certificate on the token")
    try:
        session = open_pkcs11_session(
            str(settings.pkcs11_module), token_criteria=TokenCriteria(label=settings.pkcs11_token_label),
            user_pin=settings.pkcs11_pin.get_secret_value() if settings.pkcs11_pin else None)
        return PKCS11Signer(session, cert_label=settings.pkcs11_cert_label, key_label=settings.pkcs11_key_label)
    except Exception as exc:  # the token's own errors are many classes; each one is a start-up refusal
        raise SigningKeyError(f"PKCS#11 token via {settings.pkcs11_module}: {type(exc).__name__}: {exc}") from None


def trust_roots(settings: SigningSettings) -> list[x509.Certificate]:
    """The roots a signature must chain to, read from SOP_SIGNING_TRUST_ROOTS (PEM or DER files)."""
    roots = []
    for path in settings.trust_root_files():
        if not path.is_file():
            raise SigningKeyError(f"SOP_SIGNING_TRUST_ROOTS {path}: no such file")
        data = path.read_bytes()
        blocks = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        roots += [x509.Certificate.load(der) for der in blocks]
    return roots
