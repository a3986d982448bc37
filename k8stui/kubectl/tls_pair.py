"""The checks ``kubectl create secret tls`` makes on a certificate and key (Go's ``X509KeyPair``).

The PEM blocks are found as Go's ``pem.Decode`` finds them; the first CERTIFICATE block must
parse as an X.509 certificate and the first ``... PRIVATE KEY`` block as an RSA, ECDSA or
Ed25519 key that belongs to the certificate's public key. Each refusal has Go's text.
"""

from __future__ import annotations

import base64
import binascii
import re

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, x25519

_BLOCK = re.compile(r"-----BEGIN ([^\r\n-]*)-----\r?\n(.*?)-----END \1-----", re.DOTALL)


class KeyPairError(Exception):
    """A certificate and key that Go's ``tls.X509KeyPair`` refuses (the text is Go's)."""


def _blocks(text: str) -> list[tuple[str, bytes]]:
    """The PEM blocks that decode: (type, DER bytes); a block whose body is not base64 is
    skipped, as ``pem.Decode`` skips it."""
    found = []
    for match in _BLOCK.finditer(text):
        lines = match.group(2).splitlines()
        body = "".join(line.strip() for line in lines if ":" not in line)
        try:
            found.append((match.group(1), base64.b64decode(body, validate=True)))
        except (binascii.Error, ValueError):
            continue
    return found


def _certificate(text: str) -> x509.Certificate:
    blocks = _blocks(text)
    der = next((data for kind, data in blocks if kind == "CERTIFICATE"), None)
    if der is None:
        skipped = [kind for kind, _ in blocks]
        if not skipped:
            raise KeyPairError("tls: failed to find any PEM data in certificate input")
        if len(skipped) == 1 and skipped[0].endswith("PRIVATE KEY"):
            raise KeyPairError(
                "tls: failed to find certificate PEM data in certificate input, but did find "
                "a private key; PEM inputs may have been switched"
            )
        raise KeyPairError(
            'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping '
            f"PEM blocks of the following types: [{' '.join(skipped)}]"
        )
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError:
        raise KeyPairError("x509: malformed certificate") from None


def _private_key(text: str) -> object:
    blocks = _blocks(text)
    der = next(
        (data for kind, data in blocks if kind == "PRIVATE KEY" or kind.endswith(" PRIVATE KEY")),
        None,
    )
    if der is None:
        skipped = [kind for kind, _ in blocks]
        if not skipped:
            raise KeyPairError("tls: failed to find any PEM data in key input")
        if skipped == ["CERTIFICATE"]:
            raise KeyPairError(
                "tls: found a certificate rather than a key in the PEM for the private key"
            )
        raise KeyPairError(
            'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input '
            f"after skipping PEM blocks of the following types: [{' '.join(skipped)}]"
        )
    try:
        key = serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError):
        raise KeyPairError("tls: failed to parse private key") from None
    if isinstance(key, x25519.X25519PrivateKey):
        raise KeyPairError("tls: found unknown private key type in PKCS#8 wrapping")
    if not isinstance(
        key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
    ):
        raise KeyPairError("tls: failed to parse private key")
    return key


def check_key_pair(cert_text: str, key_text: str) -> None:
    """Raise :class:`KeyPairError` unless the PEM texts hold a certificate and its own key."""
    public = _certificate(cert_text).public_key()
    key = _private_key(key_text)
    mismatch = KeyPairError("tls: private key does not match public key")
    wrong_type = KeyPairError("tls: private key type does not match public key type")
    if isinstance(public, rsa.RSAPublicKey):
        if not isinstance(key, rsa.RSAPrivateKey):
            raise wrong_type
        if key.public_key().public_numbers().n != public.public_numbers().n:
            raise mismatch
    elif isinstance(public, ec.EllipticCurvePublicKey):
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise wrong_type
        if key.public_key().public_numbers() != public.public_numbers():
            raise mismatch
    elif isinstance(public, ed25519.Ed25519PublicKey):
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise wrong_type
        raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
        if key.public_key().public_bytes(*raw) != public.public_bytes(*raw):
            raise mismatch
    else:
        raise KeyPairError("tls: unknown public key algorithm")
