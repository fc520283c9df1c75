"""The README and the API reference link only to files inside the repository, and every
such file exists (the README once pointed at a contract outside it)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("document", ["README.md", "docs/api.md", "bench/README.md"])
def test_every_relative_link_names_a_file_of_the_repository(document: str) -> None:
    path = ROOT / document
    for target in LINK.findall(path.read_text()):
        if target.startswith(("http://", "https://", "#", "mailto:")):
            continue
        resolved = (path.parent / target.split("#", 1)[0]).resolve()
        assert resolved.is_relative_to(ROOT), f"{document} links outside the repository: {target}"
        assert resolved.exists(), f"{document} links to a missing file: {target}"
