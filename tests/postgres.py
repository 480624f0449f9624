"""A throwaway PostgreSQL cluster for the tests: `initdb` and `pg_ctl` from Debian's
`postgresql` package, in a temporary folder, on a free loopback port, without fsync.

Debian keeps `initdb` and `pg_ctl` off PATH (`pg_config --bindir` names their folder)
and they refuse to run as root, so as root they run as the package's `postgres` user.
"""

from __future__ import annotations

import contextlib
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
    """A cluster in `folder`; `new_database()` gives each test a database of its own."""

    def __init__(self, bindir: Path, folder: Path) -> None:
        self.bindir = bindir
        self.folder = folder
        self.port = _free_port()
        self._names = itertools.count(1)
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            self._as_postgres = ["runuser", "-u", "postgres", "--"]

    def _run(self, program: str, *arguments: str) -> None:
        command = [*self._as_postgres, str(self.bindir / program), *arguments]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")

    @property
    def _data(self) -> str:
        return str(self.folder / "data")

    def create(self) -> None:
        self._run("initdb", "-D", self._data, "-U", _USER, "-A", "trust", "-E", "UTF8")

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off"
        )
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", self._data, "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        """As a restart or a failover would: every connection cut, no new one accepted."""
        self._run("pg_ctl", "-D", self._data, "-m", "fast", "-w", "stop")

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


START_TRIES = 3
"""Starts on a new port before giving up: with the tests spread over processes (`make
test`), another one may bind the port found free before the server does."""


@contextmanager
def running_cluster(bindir: Path) -> Iterator[Cluster]:
    """Create and start a cluster, and remove it afterwards."""
    cluster = Cluster(bindir, Path(tempfile.mkdtemp(prefix="capcom-pg-")))
    try:
        cluster.create()
        for tries_left in reversed(range(START_TRIES)):
            try:
                cluster.start()
                break
            except RuntimeError:
                if not tries_left:
                    raise
                cluster.port = _free_port()
        yield cluster
    finally:
        with contextlib.suppress(RuntimeError):
            cluster.stop()
        shutil.rmtree(cluster.folder, ignore_errors=True)
