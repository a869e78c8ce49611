"""One writer at a time, for every kind of store.

Local store: an OS file lock (filelock, fcntl/flock underneath) on `ingest.lock` in the store
folder. The kernel drops it when the holding process ends, however it ends, so a killed
ingest never leaves a lock to take over. The holder writes its pid into the file, for the
message others get.

Chroma server: the `lock` record of the server's kb-meta collection, added only if absent
(Chroma's add keeps an existing id), so of two writers adding at once exactly one reads back
its own token. The record names its holder and expires; a holder on this machine whose
process is gone, or an expired one, is taken over.

Inside one process (the app: two staff sessions, or a staff publish during the first-start
ingest) a per-store thread lock comes first, for both kinds.
"""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from pathlib import Path

from assistant.errors import IngestLocked, StoreError

LOCK_SECONDS = 1800.0  # a server lock whose holder vanished is taken over after this long
IN_THIS_APP = "another ingest is running in this app; wait for it to finish and try again"

_IN_PROCESS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


def _thread_lock(key: str) -> threading.Lock:
    with _GUARD:
        return _IN_PROCESS.setdefault(key, threading.Lock())


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Lock:
    """The in-process part both kinds share; subclasses take the cross-process part."""

    def __init__(self, key: str):
        self._local = _thread_lock(key)
        self._held = False

    def acquire(self):
        if not self._local.acquire(blocking=False):
            raise IngestLocked(IN_THIS_APP)
        try:
            self._take()
        except BaseException:
            self._local.release()
            raise
        self._held = True
        return self

    def release(self) -> None:
        if not self._held:
            return
        try:
            self._give_back()
        finally:
            self._held = False
            self._local.release()

    def _take(self) -> None:
        raise NotImplementedError

    def _give_back(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


class WriterLock(_Lock):
    def __init__(self, path: Path):
        self.path = Path(path)
        super().__init__(str(self.path.resolve()))
        self._file = None

    def _take(self) -> None:
        from filelock import FileLock, Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = FileLock(self.path, timeout=0, thread_local=False)
            self._file.acquire()
        except Timeout:
            holder = self.holder()
            who = f" (process {holder})" if holder else ""
            raise IngestLocked(f"another ingest is running{who}; wait for it to finish and try again") from None
        except OSError as exc:  # read-only or full disk, not a busy lock
            raise StoreError(f"cannot write to the store folder {self.path.parent} ({exc.strerror or exc})") from exc
        try:
            self.path.write_text(str(os.getpid()), encoding="utf-8")
        except OSError:
            pass  # the pid is only for messages

    def _give_back(self) -> None:
        self._file.release()

    def holder(self) -> int | None:
        try:
            return int(self.path.read_text(encoding="utf-8").strip() or 0) or None
        except (OSError, ValueError):
            return None


class ServerLock(_Lock):
    def __init__(self, records, key: str, seconds: float = LOCK_SECONDS):
        super().__init__(key)
        self.records, self.seconds = records, seconds
        self.token = uuid.uuid4().hex

    def _take(self) -> None:
        collection = self.records.collection
        host = socket.gethostname()
        for _ in range(3):
            collection.add(ids=["lock"], documents=[""], embeddings=[[1.0]],
                           metadatas=[{"kind": "lock", "holder": self.token, "host": host,
                                       "pid": os.getpid(), "expires": time.time() + self.seconds}])
            got = collection.get(ids=["lock"], include=["metadatas"])
            if not got["ids"]:
                continue  # released between our add and our read: try again
            holder = got["metadatas"][0]
            if holder["holder"] == self.token:
                return
            if not _stale(holder, host):
                raise IngestLocked(f"another ingest is running (process {holder['pid']} on "
                                   f"{holder['host']}); wait for it to finish and try again")
            collection.delete(ids=["lock"], where={"holder": holder["holder"]})
        raise IngestLocked("could not take the ingest lock in the Chroma server")

    def _give_back(self) -> None:
        self.records.collection.delete(ids=["lock"], where={"holder": self.token})


def _stale(holder: dict, host: str) -> bool:
    if holder.get("expires", 0) < time.time():
        return True
    return holder.get("host") == host and not process_alive(int(holder.get("pid", 0)))
