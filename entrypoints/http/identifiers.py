"""The contract's UUID spellings; the parser lives in the application layer, where the
identity adapters (below the entrypoint) use it too."""

from application.identifiers import parse_uuid

__all__ = ["parse_uuid"]
