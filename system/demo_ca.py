"""A DEMO certificate authority for the embedded default: a root CA and the agency's signing certificate.

`sop up` (system/launcher.py) makes them under {data_dir}/signing/ when they are absent, so the reply
letters of a demo carry a real PAdES signature that any PDF reader shows and that validates against
demo-root-ca.pem. Every name says DEMO: no reader trusts this root unless told to, and nothing signed
with it is a letter of the agency. Production signs with a certificate of BSrE (Balai Sertifikasi
Elektronik, BSSN) instead: README, "Electronic signature".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_PASSPHRASE = "DEMO"  # not a secret: the demo key signs nothing that counts
ROOT_NAME = "DEMO Root CA - SOP case backend (tidak sah, hanya untuk demo)"
SIGNER_NAME = "DEMO Kepala BAPPEDA Kabupaten Ketapang"
ORGANISATION = "DEMO BAPPEDA Kabupaten Ketapang"
# Back-dated, so that a letter whose signing event lies in the past is inside the certificate's validity.
VALID_FROM = datetime(2020, 1, 1, tzinfo=timezone.utc)
VALID_YEARS = 30


@dataclass(frozen=True)
class DemoCa:
    root_pem: Path
    signer_p12: Path
    passphrase: str = DEMO_PASSPHRASE

    def env(self) -> dict[str, str]:
        """The SOP_SIGNING_* settings that make the documents service sign with the demo certificate."""
        return {"SOP_SIGNING_PKCS12_FILE": str(self.signer_p12), "SOP_SIGNING_PKCS12_PASSPHRASE": self.passphrase,
                "SOP_SIGNING_TRUST_ROOTS": str(self.root_pem)}


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: x509.Name, issuer: x509.Name, key: rsa.RSAPrivateKey, signing_key: rsa.RSAPrivateKey,
                 ca: bool) -> x509.Certificate:
    usage = x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                          encipher_only=False, decipher_only=False)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(VALID_FROM)
               .not_valid_after(VALID_FROM + timedelta(days=365 * VALID_YEARS))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
               .add_extension(usage, critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def ensure_demo_ca(data_dir: Path) -> DemoCa:
    """The demo root and signer under {data_dir}/signing/, made once: an existing pair is kept (replay
    re-signs old letters with the same key, so a new key would make every signed letter differ)."""
    folder = data_dir / "signing"
    found = DemoCa(folder / "demo-root-ca.pem", folder / "demo-signer.p12")
    if found.root_pem.exists() and found.signer_p12.exists():
        return found
    folder.mkdir(parents=True, exist_ok=True)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    root = _certificate(_name(ROOT_NAME), _name(ROOT_NAME), root_key, root_key, ca=True)
    signer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer = _certificate(_name(SIGNER_NAME), root.subject, signer_key, root_key, ca=False)
    bundle = pkcs12.serialize_key_and_certificates(
        b"demo-signer", signer_key, signer, [root],
        serialization.BestAvailableEncryption(DEMO_PASSPHRASE.encode()))
    found.signer_p12.write_bytes(bundle)
    found.signer_p12.chmod(0o600)
    found.root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return found
