"""SQLite persistence for clusters and tasks (stdlib ``sqlite3``).

Each row keeps the full record as JSON next to the columns that are looked up or constrained.
Cluster names are unique per namespace through a UNIQUE index, so two concurrent creates with
the same name cannot both win. One connection is shared by the server's worker threads behind
a re-entrant lock; ``transaction()`` groups several calls into one atomic unit.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["NameTaken", "Record", "Store"]

Record = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS clusters (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id TEXT NOT NULL UNIQUE,
    namespace_id TEXT NOT NULL,
    cluster_name TEXT NOT NULL,
    record TEXT NOT NULL,
    UNIQUE (namespace_id, cluster_name)
);
CREATE TABLE IF NOT EXISTS tasks (
    task_id TEXT PRIMARY KEY,
    cluster_id TEXT NOT NULL,
    namespace_id TEXT NOT NULL,
    terminal INTEGER NOT NULL DEFAULT 0,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_open ON tasks (terminal);
"""


class NameTaken(Exception):
    """A cluster with this name already exists in the namespace."""

    def __init__(self, cluster_name: str) -> None:
        super().__init__(cluster_name)
        self.cluster_name = cluster_name


class Store:
    """Clusters and tasks in one SQLite database (a file, or ``:memory:``)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._depth = 0
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the enclosed calls atomically (nested use joins the outer transaction)."""
        with self._lock:
            outermost = self._depth == 0
            if outermost:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outermost:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outermost:
                self._conn.execute("COMMIT")

    # -- clusters ----------------------------------------------------------------------
    def insert_cluster(self, record: Record) -> None:
        """Store a new cluster; NameTaken if its name is used in its namespace."""
        with self.transaction():
            try:
                self._conn.execute(
                    "INSERT INTO clusters (cluster_id, namespace_id, cluster_name, record)"
                    " VALUES (?, ?, ?, ?)",
                    (
                        record["cluster_id"],
                        record["namespace_id"],
                        record["cluster_name"],
                        json.dumps(record),
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise NameTaken(record["cluster_name"]) from exc

    def update_cluster(self, record: Record) -> None:
        """Replace a stored cluster; NameTaken if a rename collides."""
        with self.transaction():
            try:
                self._conn.execute(
                    "UPDATE clusters SET cluster_name = ?, record = ? WHERE cluster_id = ?",
                    (record["cluster_name"], json.dumps(record), record["cluster_id"]),
                )
            except sqlite3.IntegrityError as exc:
                raise NameTaken(record["cluster_name"]) from exc

    def cluster_by_id(self, namespace_id: str, cluster_id: str) -> Record | None:
        with self.transaction():
            row = self._conn.execute(
                "SELECT record FROM clusters WHERE namespace_id = ? AND cluster_id = ?",
                (namespace_id, cluster_id),
            ).fetchone()
        return None if row is None else _load(row[0])

    def cluster_by_id_or_name(self, namespace_id: str, identifier: str) -> Record | None:
        """Look a cluster up by id first, then by name, inside one namespace."""
        with self.transaction():
            found = self.cluster_by_id(namespace_id, identifier)
            if found is not None:
                return found
            row = self._conn.execute(
                "SELECT record FROM clusters WHERE namespace_id = ? AND cluster_name = ?",
                (namespace_id, identifier),
            ).fetchone()
        return None if row is None else _load(row[0])

    def clusters_in(self, namespace_id: str) -> list[Record]:
        """Every cluster of a namespace, oldest first."""
        with self.transaction():
            rows = self._conn.execute(
                "SELECT record FROM clusters WHERE namespace_id = ? ORDER BY seq",
                (namespace_id,),
            ).fetchall()
        return [_load(r[0]) for r in rows]

    def delete_cluster(self, namespace_id: str, cluster_id: str) -> bool:
        """Delete a cluster and its tasks; False if it does not exist in the namespace."""
        with self.transaction():
            cursor = self._conn.execute(
                "DELETE FROM clusters WHERE namespace_id = ? AND cluster_id = ?",
                (namespace_id, cluster_id),
            )
            if cursor.rowcount == 0:
                return False
            self._conn.execute("DELETE FROM tasks WHERE cluster_id = ?", (cluster_id,))
        return True

    # -- tasks -------------------------------------------------------------------------
    def insert_task(self, record: Record, *, terminal: bool = False) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO tasks (task_id, cluster_id, namespace_id, terminal, record)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    record["task_id"],
                    record["cluster_id"],
                    record["namespace_id"],
                    int(terminal),
                    json.dumps(record),
                ),
            )

    def update_task(self, record: Record, *, terminal: bool) -> None:
        with self.transaction():
            self._conn.execute(
                "UPDATE tasks SET terminal = ?, record = ? WHERE task_id = ?",
                (int(terminal), json.dumps(record), record["task_id"]),
            )

    def task(self, task_id: str) -> Record | None:
        with self.transaction():
            row = self._conn.execute(
                "SELECT record FROM tasks WHERE task_id = ?", (task_id,)
            ).fetchone()
        return None if row is None else _load(row[0])

    def open_tasks(self) -> list[Record]:
        """Tasks that have not reached a terminal status yet."""
        with self.transaction():
            rows = self._conn.execute("SELECT record FROM tasks WHERE terminal = 0").fetchall()
        return [_load(r[0]) for r in rows]

    # -- test controls -----------------------------------------------------------------
    def wipe(self) -> None:
        """Delete every cluster and task."""
        with self.transaction():
            self._conn.execute("DELETE FROM tasks")
            self._conn.execute("DELETE FROM clusters")


def _load(text: str) -> Record:
    record: Record = json.loads(text)
    return record
