"""Access control for ``k8stui web``: a shared class password, exchanged for a signed cookie.

textual-serve has no authentication of its own, and anyone who reaches its websocket gets a
game process, so a server bound beyond loopback must be able to say no. The design:

* The instructor sets one password (``--password`` or, to keep it out of the process list,
  ``$K8STUI_WEB_PASSWORD``). Students type it into a small login form, or open a link that
  carries it once as ``?token=...`` (handy on a projector); the link is redirected at once to
  the same page without the token, so it does not stay in the address bar.
* A correct password earns a cookie holding an expiry time and an HMAC-SHA256 of it, keyed by
  a secret derived from the password and a per-server random salt. The cookie is HttpOnly and
  SameSite=Strict; it proves nothing outside this server process, and restarting the server
  (new salt) signs everyone out.
* Every page, static file and websocket needs the cookie. The websocket also needs an Origin
  header naming this same host, so another site cannot open a game in a student's browser.
* Wrong passwords are answered after a short delay, and an address that fails too often in a
  minute is refused for the rest of that minute.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

COOKIE = "k8stui_auth"
COOKIE_LIFETIME = 12 * 3600
"""Seconds a sign-in lasts: one school day."""
MAX_FAILURES_PER_MINUTE = 10


@dataclass
class Gate:
    """Checks passwords and the cookies they earn; ``password=None`` lets everyone in."""

    password: str | None
    salt: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    failures: dict[str, list[float]] = field(default_factory=dict)
    key: bytes = b""

    def __post_init__(self) -> None:
        # Deriving the key is deliberately slow, so it is done once per server, not per request.
        if self.password is not None:
            self.key = hashlib.pbkdf2_hmac("sha256", self.password.encode(), self.salt, 100_000)

    @property
    def enabled(self) -> bool:
        """True when a password is required."""
        return self.password is not None

    def password_ok(self, attempt: str) -> bool:
        """Constant-time comparison with the class password."""
        if self.password is None:
            return True
        return hmac.compare_digest(attempt.encode(), self.password.encode())

    def issue(self, now: float | None = None) -> str:
        """A new cookie value, valid for :data:`COOKIE_LIFETIME` seconds."""
        expires = int((time.time() if now is None else now) + COOKIE_LIFETIME)
        return f"{expires}.{self._sign(str(expires))}"

    def _sign(self, text: str) -> str:
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()

    def cookie_ok(self, value: str | None, now: float | None = None) -> bool:
        """True when ``value`` is a cookie this server issued and it has not expired."""
        if self.password is None:
            return True
        if not value or "." not in value:
            return False
        expires, _, signature = value.partition(".")
        if not expires.isdigit() or int(expires) < (time.time() if now is None else now):
            return False
        return hmac.compare_digest(signature, self._sign(expires))

    def locked_out(self, address: str, now: float | None = None) -> bool:
        """True when ``address`` failed too often in the last minute."""
        moment = time.time() if now is None else now
        recent = [t for t in self.failures.get(address, []) if moment - t < 60]
        self.failures[address] = recent
        return len(recent) >= MAX_FAILURES_PER_MINUTE

    def record_failure(self, address: str, now: float | None = None) -> None:
        """Count a wrong password from ``address``."""
        self.failures.setdefault(address, []).append(time.time() if now is None else now)
