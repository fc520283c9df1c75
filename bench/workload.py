"""The requests bench/crud_mix.lua sends: the operations, the mix of the default mode, and the
script's arguments."""

from pathlib import Path

from bench.seeding import SeededMix

OPS = ("get", "list", "create", "patch", "delete")
MIX = "get:50,list:20,patch:15,create:10,delete:5"
MIX_TEXT = "50% get, 20% list (limit=50, a 50-todo user), 15% patch, 10% create, 5% delete"


def script_args(
    ids_file: Path,
    list_user: str,
    *,
    mix: str = MIX,
    list_query: str = "limit=50",
    deletable_file: Path | None = None,
    gzip: bool = False,
) -> dict[str, str]:
    """crud_mix.lua's arguments (its header says what each means); list_query "-" for none."""
    args = {"ids": str(ids_file), "list_user": list_user, "list_query": list_query, "mix": mix}
    if deletable_file is not None:
        args["del"] = str(deletable_file)
    if gzip:
        args["gzip"] = "1"
    return args


def seeded_mix_args(
    seeded: SeededMix, *, mix: str = MIX, deletable: int = 0, gzip: bool = False
) -> dict[str, str]:
    """The arguments for a run on the seeded mix data; a mix with deletes gets `deletable`
    seeded todos of its own (deletes take todos the run created first, these when none is
    left). `gzip`: every request asks for a gzipped answer."""
    return script_args(
        seeded.ids_file,
        seeded.list_user,
        mix=mix,
        deletable_file=seeded.deletable_file(deletable) if "delete" in mix else None,
        gzip=gzip,
    )
