"""Probes behind /health and /health/live, bounded in time: a probe answers even when the database hangs."""

import asyncio
import sqlite3
from pathlib import Path

import psycopg
from asgiref.sync import sync_to_async
from django.db import connections

from bot.selectors import database_ping

# The whole database probe, connecting included: /health/live answers within a second, with room for a busy
# process (a reachable database answers in milliseconds, a managed one over TLS in a few tens of them).
PROBE_SECONDS = 0.5
# Libpq connection parameters Django adds that are Python objects, not connection settings.
_NOT_LIBPQ = {"cursor_factory", "context", "prepare_threshold"}


async def database_probe(*, timeout: float = PROBE_SECONDS) -> None:
    """Reach the database on a fresh connection (not the pool's) and ask it something; raises when it can't.

    The pool waits DB_POOL_TIMEOUT for a connection and SQLite waits SQLITE_TIMEOUT for a lock: right for
    requests, far too long for a probe. This one gives up after `timeout` seconds (TimeoutError).
    """
    database = connections["default"]
    async with asyncio.timeout(timeout):
        if database.vendor == "postgresql":
            await _postgresql_probe(database.get_connection_params(), timeout)
        elif database.vendor == "sqlite":
            await sync_to_async(_sqlite_probe, thread_sensitive=False)(database.settings_dict["NAME"], timeout)
        else:
            await sync_to_async(database_ping, thread_sensitive=False)()


async def _postgresql_probe(params: dict, timeout: float) -> None:
    params = {key: value for key, value in params.items() if key not in _NOT_LIBPQ}
    # connect_timeout cannot go below 2 s (libpq's rule, which psycopg follows): asyncio.timeout bounds it.
    statement_timeout = f"-c statement_timeout={int(timeout * 1000)}"
    params["options"] = f"{params.get('options', '')} {statement_timeout}".strip()
    connection = await psycopg.AsyncConnection.connect(**params, connect_timeout=2, autocommit=True)
    async with connection:
        await connection.execute("SELECT 1")


def _sqlite_probe(name: str, timeout: float) -> None:
    # mode=rw: a missing file is an error, not a new empty database.
    uri = name if str(name).startswith("file:") else Path(name).resolve().as_uri() + "?mode=rw"
    connection = sqlite3.connect(uri, uri=True, timeout=timeout)
    try:
        connection.execute("PRAGMA schema_version").fetchone()  # reads the file: waits on a lock like a query
    finally:
        connection.close()
