"""Identity adapters: the trusted X-User-ID header, and verified bearer tokens (JWKS)."""
