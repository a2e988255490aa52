"""How client secrets are stored: HMAC-SHA256 under a key kept outside the database.

A client secret is 64 random characters (384 bits) that no person chooses, so it needs no
slow hash against guessing: PBKDF2's million iterations protected nothing a secret's length
does not, and made every wrong secret cost the server ~0.9 s of CPU, a gift to anyone who
wants to exhaust it. An HMAC costs microseconds, and without the key (settings.
RESEARCH_API_INTEGRITY_KEY, never in the database) a stolen table of hashes cannot be
checked against anything. django-oauth-toolkit stores and checks secrets with this hasher
(OAUTH2_PROVIDER["CLIENT_SECRET_HASHER"]); secrets stored under the old PBKDF2 hasher are
re-hashed the next time they are used (accounts.oauth.ProjectValidator).
"""

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare

from core.integrity import keyed_digest

ALGORITHM = "hmac_sha256"


class ClientSecretHasher(BasePasswordHasher):
    """hmac_sha256$<salt>$<hex digest>; for client secrets only, never for passwords."""

    algorithm = ALGORITHM

    def encode(self, password, salt):
        self._check_encode_args(password, salt)
        return f"{self.algorithm}${salt}${keyed_digest('client secrets', salt + password)}"

    def decode(self, encoded):
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            "algorithm": decoded["algorithm"],
            "salt": mask_hash(decoded["salt"], show=2),
            "hash": mask_hash(decoded["hash"]),
        }

    def harden_runtime(self, password, encoded):
        pass  # the same cost for every secret: nothing to even out

    def must_update(self, encoded):
        return False
