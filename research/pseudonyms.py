"""Per-project pseudonyms: keyed, invertible permutations of internal ids.

Every id a project sees is its own permutation of the internal id, so `video_id IN [...]`
needs no lookup table, two projects' ids cannot be joined, and destroying a project's key
shreds its mapping. Ids stay positive 64-bit integers.

The permutation is an 8-round Feistel network on 62 bits whose round function is AES
(ECB over one block per id and round, so a whole page is enciphered in one call per round);
pseudonyms are its output plus one, in [1, 2**62]. A 4-round Feistel with a pseudo-random
round function is already a strong pseudo-random permutation (Luby-Rackoff); 8 rounds leave
margin for the small 31-bit halves. Each entity type (video, creator, comment, decision,
playlist) has its own key derived from the project key, so a video and an account never
share a pseudonym.

Usernames are derived from the account's pseudonymous id ('u' + hexadecimal), so a username
in a query decodes to the account without a lookup either.
"""

import hashlib
import hmac
import re
from functools import lru_cache

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

ROUNDS = 8
BITS = 62  # internal ids are below 2**62 (a sequence will not get there)
LIMIT = 2**BITS  # pseudonyms are in [1, LIMIT]
_HALF = BITS // 2
_MASK = np.uint64((1 << _HALF) - 1)
_MASK32 = np.uint32((1 << _HALF) - 1)
_USERNAME = re.compile(r"^u([0-9a-f]{1,16})$")
ENTITIES = ("video", "creator", "comment", "decision", "playlist")


class Permutation:
    """A keyed permutation of [0, 2**62), applied to numpy arrays.

    A balanced Feistel network on two 31-bit halves needs no cycle-walking; walking a 64-bit
    permutation into [1, 2**63) cost about ten times more, because the slowest of a page's
    ids needs several extra passes.
    """

    def __init__(self, key: bytes):
        # ECB on one independent block per id and round: AES as a pseudo-random function,
        # not as a way to encrypt messages.
        self._cipher = Cipher(algorithms.AES(key), modes.ECB())  # noqa: S305

    def _rounds(self, values: np.ndarray, order) -> np.ndarray:
        # One encryptor and one block buffer for all rounds (ECB keeps no state between
        # blocks); creating them per round cost more than the AES itself.
        left = (values >> np.uint64(_HALF)).astype(np.uint32)
        right = (values & _MASK).astype(np.uint32)
        blocks = np.zeros((len(values), 4), dtype=np.uint32)
        encryptor = self._cipher.encryptor()
        forward = order[0] == 0
        for index in order:
            blocks[:, 0] = index
            blocks[:, 1] = right if forward else left
            mixed = np.frombuffer(encryptor.update(blocks.tobytes()), dtype=np.uint32)[2::4]
            if forward:
                left, right = right, left ^ (mixed & _MASK32)
            else:
                left, right = right ^ (mixed & _MASK32), left
        return (left.astype(np.uint64) << np.uint64(_HALF)) | right.astype(np.uint64)

    def forward(self, values: np.ndarray) -> np.ndarray:
        return self._rounds(values, range(ROUNDS))

    def backward(self, values: np.ndarray) -> np.ndarray:
        return self._rounds(values, range(ROUNDS - 1, -1, -1))

    def encode(self, ids) -> list[int]:
        """Internal ids (1 .. 2**62-1) to pseudonyms (1 .. 2**62)."""
        values = np.asarray(ids, dtype=np.uint64)
        if values.size == 0:
            return []
        return (self.forward(values) + np.uint64(1)).astype(np.int64).tolist()

    def decode(self, pseudonyms) -> list[int]:
        """Pseudonyms (1 .. 2**62) to internal ids."""
        values = np.asarray(pseudonyms, dtype=np.uint64)
        if values.size == 0:
            return []
        return self.backward(values - np.uint64(1)).astype(np.int64).tolist()


@lru_cache(maxsize=4096)
def _permutation(project_key: bytes, entity: str) -> Permutation:
    derived = hmac.new(
        project_key, b"research-api pseudonyms " + entity.encode(), hashlib.sha256
    ).digest()
    return Permutation(derived[:16])


class Pseudonyms:
    """A project's view of ids: encode internal ids, decode what the project sends."""

    def __init__(self, project_key: bytes):
        self._key = project_key

    def encode(self, entity: str, ids) -> list[int]:
        return _permutation(self._key, entity).encode(ids)

    def decode(self, entity: str, pseudonyms) -> list[int]:
        """Internal ids for pseudonyms; values outside [1, 2**62] decode to nothing (0)."""
        valid = [p if isinstance(p, int) and 0 < p <= LIMIT else None for p in pseudonyms]
        inside = [p for p in valid if p is not None]
        decoded = iter(_permutation(self._key, entity).decode(inside))
        return [next(decoded) if p is not None else 0 for p in valid]

    def usernames(self, creator_ids) -> list[str]:
        return [f"u{pseudonym:x}" for pseudonym in self.encode("creator", creator_ids)]

    def username_ids(self, usernames) -> list[int]:
        """Internal creator ids for usernames (0 for anything that is not one of ours)."""
        numbers = []
        for name in usernames:
            match = _USERNAME.match(name) if isinstance(name, str) else None
            numbers.append(int(match.group(1), 16) if match else 0)
        return self.decode("creator", numbers)
