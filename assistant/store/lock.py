"""One writer at a time: a lock file holding the writer's pid; a dead writer's lock is taken over.

Inside one process (the app: two staff sessions, or a staff publish during the first-start
ingest) the pid alone can't tell writers apart, so a per-path thread lock comes first.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from .errors import IngestLocked, StoreError


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_IN_PROCESS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


def _thread_lock(path: Path) -> threading.Lock:
    with _GUARD:
        return _IN_PROCESS.setdefault(str(path.resolve()), threading.Lock())


class WriterLock:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._held = False

    def acquire(self) -> "WriterLock":
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot write to the store folder {self.path.parent} ({exc.strerror or exc})") from exc
        local = _thread_lock(self.path)
        if not local.acquire(blocking=False):
            raise IngestLocked("another ingest is running in this app; wait for it to finish and try again")
        try:
            return self._acquire_file()
        except OSError as exc:  # read-only or full disk, not a busy lock
            local.release()
            raise StoreError(f"cannot write to the store folder {self.path.parent} ({exc.strerror or exc})") from exc
        except BaseException:
            local.release()
            raise

    def _acquire_file(self) -> "WriterLock":
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self.holder()
                if holder is not None and holder != os.getpid() and _alive(holder):
                    raise IngestLocked(
                        f"another ingest is running (process {holder}); wait for it to finish and try again")
                if holder is None and self._age() < 10:  # created, its pid not written yet
                    raise IngestLocked("another ingest is starting; wait for it to finish and try again")
                self.path.unlink(missing_ok=True)  # stale: its writer died
                continue
            with os.fdopen(fd, "w") as handle:
                handle.write(str(os.getpid()))
            self._held = True
            return self
        raise IngestLocked(f"could not take the ingest lock {self.path}")

    def _age(self) -> float:
        try:
            return time.time() - self.path.stat().st_mtime
        except OSError:
            return float("inf")

    def holder(self) -> int | None:
        try:
            return int(self.path.read_text().strip() or 0) or None
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        if not self._held:
            return
        if self.holder() == os.getpid():
            self.path.unlink(missing_ok=True)
        self._held = False
        _thread_lock(self.path).release()

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
