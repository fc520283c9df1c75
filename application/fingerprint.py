"""A request body's identity for idempotency: equal JSON values, equal fingerprints."""

import hashlib
import json


def fingerprint(body: object) -> str:
    """SHA-256 of the canonical JSON of `body`: key order and spacing do not matter."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
