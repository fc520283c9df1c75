"""The one failure the benchmark reports as such (exit status 1)."""


class Broken(Exception):
    """Something the benchmark needs failed: a server did not start or died, wrk failed, the
    database failed, or a run got no successful answer at all."""
