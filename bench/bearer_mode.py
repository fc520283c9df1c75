"""--bearer: the CRUD mix with the service in bearer mode. An Ed25519 key made for the run,
its JWKS as a file: URL (no issuer to run), and one token per seeded user, minted once, as a
client keeps its session's token; crud_mix.lua sends each user's token instead of X-User-ID.
The reference app stays on X-User-ID: its service/reference ratio against the default run's
gives the cost of bearer mode."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from bench.progress import log
from bench.seeding import SeededMix

ISSUER = "urn:todo:bench"
TOKEN_LIFETIME_S = 6 * 3600
KID = "bench-1"


@dataclass(frozen=True)
class BearerSetup:
    jwks_url: str
    tokens_file: Path  # "user_id token" lines, read by crud_mix.lua (tokens=FILE)

    def service_env(self) -> dict[str, str]:
        return {"AUTH_JWKS_URL": self.jwks_url, "AUTH_ISSUER": ISSUER}


def seeded_users(seeded: SeededMix) -> list[str]:
    users = {line.split()[0] for line in seeded.ids_file.read_text().splitlines() if line}
    users |= {user for user, _ in seeded.deletable}
    users.add(seeded.list_user)
    return sorted(users)


def prepare_bearer(workdir: Path, users: list[str]) -> BearerSetup:
    key = Ed25519PrivateKey.generate()
    jwk = OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
    jwks_path = workdir / "jwks.json"
    jwks_path.write_text(json.dumps({"keys": [{**jwk, "kid": KID, "alg": "EdDSA", "use": "sig"}]}))
    now = int(time.time())
    lines = []
    for user in users:
        claims = {"iss": ISSUER, "sub": user, "iat": now, "exp": now + TOKEN_LIFETIME_S}
        lines.append(f"{user} {jwt.encode(claims, key, algorithm='EdDSA', headers={'kid': KID})}\n")
    tokens_file = workdir / "tokens.txt"
    tokens_file.write_text("".join(lines))
    log(f"bearer mode: {len(users):,} EdDSA tokens, JWKS at {jwks_path}")
    return BearerSetup(jwks_path.resolve().as_uri(), tokens_file)
