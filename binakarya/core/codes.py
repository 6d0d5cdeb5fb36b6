"""Short human-friendly codes (lot codes) and unguessable verification codes.

Both use Crockford's base32 alphabet, which has no I, L, O or U, so a code read aloud or typed at a
till is hard to get wrong; ``normalize_code`` maps the usual look-alikes back.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def grouped(code: str, size: int = 4) -> str:
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def normalize_code(raw: str) -> str:
    """Upper-case, drop spaces and dashes, and map look-alike letters to digits."""
    return "".join(ch for ch in (raw or "").upper().translate(_LOOKALIKES) if ch in ALPHABET)
