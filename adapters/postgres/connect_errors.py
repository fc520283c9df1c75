"""Why a connection failed, told apart: an operator needs to know whether the database is
down or refuses the credentials. Either way the API answers 503; only the log differs."""

import psycopg2

from application.ports import RepositoryUnavailable

# libpq reports a server's refusal (wrong password, unknown role or database, pg_hba) as the
# server's own FATAL message; a database that is down or unreachable produces none.
_REFUSALS = ("password authentication failed", "does not exist", "no pg_hba.conf entry",
             "authentication failed", "permission denied")  # fmt: skip


class LoginRefused(RepositoryUnavailable):
    """The server answered, and refused the login: it is up, the credentials are wrong."""


def unavailable(error: Exception) -> RepositoryUnavailable:
    """RepositoryUnavailable saying why `error` (a driver's, or SQLAlchemy's wrapping one)."""
    error = getattr(error, "orig", None) or error
    message = str(error).strip()
    if any(refusal in message for refusal in _REFUSALS):
        server_said = message.rsplit("FATAL:", 1)[-1].strip().splitlines()[0]
        return LoginRefused(
            f"the database refused the connection (authentication failed: {server_said})"
        )
    if isinstance(error, psycopg2.OperationalError) and "timeout expired" in message:
        return RepositoryUnavailable("the database did not answer in time")
    return RepositoryUnavailable("the database did not answer")
