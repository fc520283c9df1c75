"""`make run` on the embedded default, misused as people do: started twice in one checkout,
stopped by closing the terminal (SIGHUP) or Ctrl+C. The second start is refused with one line
and stops nothing; any stop signal stops the database too."""

import signal
import subprocess
from pathlib import Path

import pytest

from tests.operations.conftest import free_port, start, status_of, wait_for_status
from tests.support.processes import gone_within


def server_pid(workdir: Path) -> int:
    return int((workdir / ".data" / "postgres" / "postmaster.pid").read_text().split()[0])


def test_a_second_start_is_refused_in_one_line_and_the_first_keeps_serving(
    workdir: Path,
) -> None:
    port = free_port()
    first = start("entrypoints.serve", workdir, PORT=str(port))
    try:
        wait_for_status(f"http://127.0.0.1:{port}/health/ready", 200)
        for second_port in (free_port(), port):  # another port, and the same one by mistake
            second = start("entrypoints.serve", workdir, PORT=str(second_port))
            _, errors = second.communicate(timeout=60)
            assert second.returncode == 2
            assert errors.strip().splitlines()[-1] == (
                f"cannot start: the embedded database in {workdir / '.data' / 'postgres'}"
                f" is already served by process {first.pid}"
            )
            assert "Traceback" not in errors
            assert status_of(f"http://127.0.0.1:{port}/health/ready") == 200
    finally:
        first.terminate()
        first.communicate(timeout=60)


@pytest.mark.parametrize("stop", [signal.SIGHUP, signal.SIGINT, signal.SIGTERM])
def test_every_stop_signal_stops_the_embedded_database(workdir: Path, stop: signal.Signals) -> None:
    port = free_port()
    service = start("entrypoints.serve", workdir, PORT=str(port))
    try:
        wait_for_status(f"http://127.0.0.1:{port}/health/ready", 200)
        postgres = server_pid(workdir)
        service.send_signal(stop)
        _, errors = service.communicate(timeout=60)
    finally:
        if service.poll() is None:
            service.kill()
    assert gone_within(postgres), errors
    assert "embedded PostgreSQL in" in errors and "stopped" in errors
    assert "Traceback" not in errors
    assert not (workdir / ".data" / "postgres" / "postmaster.pid").exists()


def test_make_migrate_beside_a_running_service_is_refused_in_one_line(workdir: Path) -> None:
    port = free_port()
    service = start("entrypoints.serve", workdir, PORT=str(port))
    try:
        wait_for_status(f"http://127.0.0.1:{port}/health/ready", 200)
        migrate = subprocess.run(
            [*service.args[:2], "entrypoints.migrate"],  # type: ignore[index]
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert migrate.returncode == 1
        assert "is already served by process" in migrate.stderr.strip().splitlines()[-1]
        assert status_of(f"http://127.0.0.1:{port}/health/ready") == 200
    finally:
        service.terminate()
        service.communicate(timeout=60)
