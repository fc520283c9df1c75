"""`make dev-token SUB=alice`: a bearer token for trying bearer mode without an identity
provider. Signs with a local Ed25519 key (made on first use, kept in .data/dev-token/, which
git ignores) and writes the matching JWKS next to it, which the service reads through a
file: URL. The token goes to standard output (so `TOKEN=$(make -s dev-token SUB=alice)`
works); how to run the service with it goes to standard error."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

KEY_DIR = Path(".data/dev-token")
ISSUER = "urn:todo:dev-token"  # no real issuer has this name: a dev token never passes elsewhere


def _signing_key(directory: Path) -> Ed25519PrivateKey:
    path = directory / "ed25519.pem"
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, Ed25519PrivateKey), f"{path} is not an Ed25519 key"
        return key
    directory.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.touch(mode=0o600)
    path.write_bytes(pem)
    return key


def _write_jwks(directory: Path, key: Ed25519PrivateKey) -> tuple[Path, str]:
    public = OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
    kid = "dev-" + hashlib.sha256(public["x"].encode()).hexdigest()[:12]
    path = directory / "jwks.json"
    path.write_text(json.dumps({"keys": [{**public, "kid": kid, "alg": "EdDSA", "use": "sig"}]}))
    return path.resolve(), kid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sub", default="dev-user", help="the token's subject (the user)")
    parser.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds")
    parser.add_argument("--dir", type=Path, default=KEY_DIR, help="where the key and JWKS live")
    args = parser.parse_args(argv)
    if not args.sub:
        parser.error("--sub must not be empty")
    key = _signing_key(args.dir)
    jwks, kid = _write_jwks(args.dir, key)
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": args.sub, "iat": now, "exp": now + args.ttl}
    token = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})
    print(token)
    print(
        f"\nA token for sub={args.sub!r}, valid {args.ttl} s. Run the service in bearer mode "
        f"with the matching JWKS:\n\n"
        f"  AUTH_JWKS_URL={jwks.as_uri()} AUTH_ISSUER={ISSUER} make run\n\n"
        f"then call it:\n\n"
        f'  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/v1/todos\n\n'
        f"(TOKEN=$(make -s dev-token SUB={args.sub}) keeps the token in a variable.)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
