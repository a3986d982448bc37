"""``kubectl create secret tls``: the key pair is checked as Go's ``tls.X509KeyPair`` checks it.

Certificates and keys are made here (EC, Ed25519, a small RSA); every form is compared with
the real kubectl's offline ``--dry-run=client -o yaml`` when it is installed, and the texts
that matter most are also asserted directly.
"""

from __future__ import annotations

import base64
import datetime
import shlex
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from tests.console_helpers import session

KUBECTL = shutil.which("kubectl")
_PKCS8 = serialization.PrivateFormat.PKCS8
_TRADITIONAL = serialization.PrivateFormat.TraditionalOpenSSL


def _cert(key: object) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "web.example")])
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())  # type: ignore[attr-defined]
        .serial_number(7)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=365))
    )
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(key, algorithm).public_bytes(serialization.Encoding.PEM).decode()  # type: ignore[arg-type]


def _key(key: object, fmt: serialization.PrivateFormat = _PKCS8) -> str:
    return key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, fmt, serialization.NoEncryption()
    ).decode()


@cache
def files() -> dict[str, str]:
    """Every file the forms name."""
    ec_key, other_ec = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ed_key = ed25519.Ed25519PrivateKey.generate()
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    ec_crt = _cert(ec_key)
    return {
        "ec.crt": ec_crt,
        "ec.key": _key(ec_key),
        "ec-sec1.key": _key(ec_key, _TRADITIONAL),
        "other-ec.key": _key(other_ec),
        "ed.crt": _cert(ed_key),
        "ed.key": _key(ed_key),
        "rsa.crt": _cert(rsa_key),
        "rsa-pkcs1.key": _key(rsa_key, _TRADITIONAL),
        "junk.txt": "not a PEM file\n",
        "foo.pem": "-----BEGIN FOO-----\nYWJj\n-----END FOO-----\n",
        "bad-cert.pem": "-----BEGIN CERTIFICATE-----\nYWJj\n-----END CERTIFICATE-----\n",
        "bad-key.pem": "-----BEGIN PRIVATE KEY-----\nYWJj\n-----END PRIVATE KEY-----\n",
        "chain.pem": ec_crt + "-----BEGIN FOO-----\nYWJj\n-----END FOO-----\n",
    }


FORMS = {
    "create secret tls web --cert=ec.crt --key=ec.key": "",
    "create secret tls web --cert=ec.crt --key=ec-sec1.key -n team": "",
    "create secret tls web --cert=ed.crt --key=ed.key": "",
    "create secret tls web --cert=rsa.crt --key=rsa-pkcs1.key": "",
    "create secret tls web --cert=ec.crt --key=other-ec.key": (
        "error: tls: private key does not match public key\n"
    ),
    "create secret tls web --cert=rsa.crt --key=ec.key": (
        "error: tls: private key type does not match public key type\n"
    ),
    "create secret tls web --cert=junk.txt --key=ec.key": (
        "error: tls: failed to find any PEM data in certificate input\n"
    ),
    "create secret tls web --cert=ec.crt --key=junk.txt": (
        "error: tls: failed to find any PEM data in key input\n"
    ),
    "create secret tls web --cert=ec.key --key=ec.crt": (
        "error: tls: failed to find certificate PEM data in certificate input, but did find a "
        "private key; PEM inputs may have been switched\n"
    ),
    "create secret tls web --cert=ec.crt --key=ec.crt": (
        "error: tls: found a certificate rather than a key in the PEM for the private key\n"
    ),
    "create secret tls web --cert=foo.pem --key=ec.key": (
        'error: tls: failed to find "CERTIFICATE" PEM block in certificate input after '
        "skipping PEM blocks of the following types: [FOO]\n"
    ),
    "create secret tls web --cert=ec.crt --key=chain.pem": (
        'error: tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input '
        "after skipping PEM blocks of the following types: [CERTIFICATE FOO]\n"
    ),
    "create secret tls web --cert=ec.crt --key=bad-key.pem": (
        "error: tls: failed to parse private key\n"
    ),
    "create secret tls web --cert=ec.crt": "error: key and cert must be specified\n",
    "create secret tls web --cert=nope.crt --key=ec.key": (
        "error: Cannot read file nope.crt, open nope.crt: no such file or directory\n"
    ),
}


def _run_ours(form: str) -> tuple[str, str, int]:
    result = session(files()).run("kubectl " + form + " --dry-run=client -o yaml")
    return result.stdout, result.stderr, result.exit_code


@pytest.mark.parametrize("form", FORMS)
def test_texts(form: str) -> None:
    out, err, code = _run_ours(form)
    assert err == FORMS[form]
    assert code == (1 if FORMS[form] else 0)
    if not FORMS[form]:
        obj = yaml.safe_load(out)
        assert obj["type"] == "kubernetes.io/tls"
        cert_file = shlex.split(form)[4].removeprefix("--cert=")
        assert base64.b64decode(obj["data"]["tls.crt"]).decode() == files()[cert_file]
        assert list(obj["data"]) == ["tls.crt", "tls.key"]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
@pytest.mark.parametrize(
    "form", [*FORMS, "create secret tls web --cert=bad-cert.pem --key=ec.key", "create secret tls"]
)
def test_same_as_kubectl(form: str, tmp_path: Path) -> None:
    for path, text in files().items():
        (tmp_path / path).write_text(text)
    args = [*shlex.split(form), "--dry-run=client", "-o", "yaml"]
    real = subprocess.run(
        [str(KUBECTL), *args], capture_output=True, text=True, timeout=30, cwd=tmp_path
    )
    out, err, code = _run_ours(form)
    assert (out, err, code) == (real.stdout, real.stderr, real.returncode)
