"""A throwaway PostgreSQL cluster for the tests: `initdb` and `pg_ctl` from Debian's
`postgresql` package, in a temporary folder, on a free loopback port, without fsync.

Debian keeps `initdb` and `pg_ctl` off PATH (`pg_config --bindir` names their folder)
and they refuse to run as root, so as root they run as the package's `postgres` user.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg

NOT_INSTALLED = "PostgreSQL is not installed (apt-get install postgresql to run its tests)"
_USER = "capcom"


def server_bindir() -> Path | None:
    """The folder of `initdb` and `pg_ctl`, or None without a PostgreSQL server."""
    candidates: list[str] = []
    if pg_config := shutil.which("pg_config"):
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(found.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if initdb := shutil.which("initdb"):
        candidates.append(str(Path(initdb).parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Cluster:
    """A running cluster; `new_database()` gives each test a database of its own."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._names = itertools.count(1)

    def url(self, database: str) -> str:
        return f"postgresql://{_USER}@127.0.0.1:{self.port}/{database}"

    async def new_database(self) -> str:
        name = f"test_{os.getpid()}_{next(self._names)}"
        connection = await asyncpg.connect(self.url("postgres"))
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        return self.url(name)


@contextmanager
def running_cluster(bindir: Path) -> Iterator[Cluster]:
    """Start a cluster (as `postgres` when run as root) and remove it afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="capcom-pg-"))
    data = folder / "data"
    prefix: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*command: str) -> None:
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr or done.stdout}")

    run(str(bindir / "initdb"), "-D", str(data), "-U", _USER, "-A", "trust", "-E", "UTF8")
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off"
    )
    log = str(folder / "server.log")
    try:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", log, "-o", options, "-w", "start")
        yield Cluster(port)
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(folder, ignore_errors=True)
