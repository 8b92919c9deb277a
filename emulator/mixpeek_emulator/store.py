"""SQLite persistence for clusters, tasks, output collections and cluster triggers
(stdlib ``sqlite3``).

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
CREATE TABLE IF NOT EXISTS collections (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection_id TEXT NOT NULL UNIQUE,
    namespace_id TEXT NOT NULL,
    collection_name TEXT NOT NULL,
    cluster_id TEXT,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS collections_by_cluster ON collections (cluster_id);
CREATE TABLE IF NOT EXISTS triggers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    trigger_id TEXT NOT NULL UNIQUE,
    namespace_id TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
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

    def runs_in(self, namespace_id: str) -> set[str]:
        """The run ids of every run of the namespace that wrote results."""
        with self.transaction():
            rows = self._conn.execute(
                "SELECT record FROM tasks WHERE namespace_id = ? AND terminal = 1",
                (namespace_id,),
            ).fetchall()
        runs = (_load(r[0]).get("run_id") for r in rows)
        return {run for run in runs if run}

    # -- output collections ------------------------------------------------------------
    def insert_collection(self, record: Record) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO collections (collection_id, namespace_id, collection_name,"
                " cluster_id, record) VALUES (?, ?, ?, ?, ?)",
                (
                    record["collection_id"],
                    record["namespace_id"],
                    record["collection_name"],
                    record.get("cluster_id"),
                    json.dumps(record),
                ),
            )

    def update_collection(self, record: Record) -> None:
        with self.transaction():
            self._conn.execute(
                "UPDATE collections SET cluster_id = ?, record = ? WHERE collection_id = ?",
                (record.get("cluster_id"), json.dumps(record), record["collection_id"]),
            )

    def collection_names_in(self, namespace_id: str) -> set[str]:
        with self.transaction():
            rows = self._conn.execute(
                "SELECT collection_name FROM collections WHERE namespace_id = ?",
                (namespace_id,),
            ).fetchall()
        return {r[0] for r in rows}

    def collection_by_id_or_name(self, namespace_id: str, identifier: str) -> Record | None:
        """A collection of the namespace by id first, then by name."""
        with self.transaction():
            row = self._conn.execute(
                "SELECT record FROM collections WHERE namespace_id = ? AND collection_id = ?",
                (namespace_id, identifier),
            ).fetchone()
            if row is None:
                row = self._conn.execute(
                    "SELECT record FROM collections WHERE namespace_id = ?"
                    " AND collection_name = ? ORDER BY seq LIMIT 1",
                    (namespace_id, identifier),
                ).fetchone()
        return None if row is None else _load(row[0])

    def collections_of(self, cluster_id: str) -> list[Record]:
        """The output collections a cluster created and still owns."""
        with self.transaction():
            rows = self._conn.execute(
                "SELECT record FROM collections WHERE cluster_id = ? ORDER BY seq", (cluster_id,)
            ).fetchall()
        return [_load(r[0]) for r in rows]

    def delete_collections_of(self, cluster_id: str) -> list[str]:
        """Delete the output collections a cluster owns; their ids."""
        with self.transaction():
            ids = [r["collection_id"] for r in self.collections_of(cluster_id)]
            self._conn.execute("DELETE FROM collections WHERE cluster_id = ?", (cluster_id,))
        return ids

    # -- cluster triggers --------------------------------------------------------------
    def insert_trigger(self, record: Record) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO triggers (trigger_id, namespace_id, record) VALUES (?, ?, ?)",
                (record["trigger_id"], record["namespace_id"], json.dumps(record)),
            )

    def update_trigger(self, record: Record) -> None:
        with self.transaction():
            self._conn.execute(
                "UPDATE triggers SET record = ? WHERE trigger_id = ?",
                (json.dumps(record), record["trigger_id"]),
            )

    def trigger(self, namespace_id: str, trigger_id: str) -> Record | None:
        with self.transaction():
            row = self._conn.execute(
                "SELECT record FROM triggers WHERE namespace_id = ? AND trigger_id = ?",
                (namespace_id, trigger_id),
            ).fetchone()
        return None if row is None else _load(row[0])

    def triggers(self, namespace_id: str | None = None) -> list[Record]:
        """The triggers of a namespace (of every namespace when None), oldest first."""
        with self.transaction():
            if namespace_id is None:
                rows = self._conn.execute("SELECT record FROM triggers ORDER BY seq").fetchall()
            else:
                rows = self._conn.execute(
                    "SELECT record FROM triggers WHERE namespace_id = ? ORDER BY seq",
                    (namespace_id,),
                ).fetchall()
        return [_load(r[0]) for r in rows]

    def delete_trigger(self, namespace_id: str, trigger_id: str) -> bool:
        with self.transaction():
            cursor = self._conn.execute(
                "DELETE FROM triggers WHERE namespace_id = ? AND trigger_id = ?",
                (namespace_id, trigger_id),
            )
        return cursor.rowcount > 0

    # -- the trigger clock -------------------------------------------------------------
    def clock_offset(self) -> float:
        """Seconds the trigger clock is ahead of the wall clock (0 until advanced)."""
        with self.transaction():
            row = self._conn.execute(
                "SELECT value FROM settings WHERE name = 'clock_offset'"
            ).fetchone()
        return 0.0 if row is None else float(row[0])

    def set_clock_offset(self, offset: float) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO settings (name, value) VALUES ('clock_offset', ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (repr(offset),),
            )

    # -- test controls -----------------------------------------------------------------
    def wipe(self) -> None:
        """Delete every cluster, task, collection and trigger."""
        with self.transaction():
            self._conn.execute("DELETE FROM tasks")
            self._conn.execute("DELETE FROM clusters")
            self._conn.execute("DELETE FROM collections")
            self._conn.execute("DELETE FROM triggers")


def _load(text: str) -> Record:
    record: Record = json.loads(text)
    return record
