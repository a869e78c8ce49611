"""One writer at a time: a lock file holding the writer's pid; a dead writer's lock is taken over."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import IngestLocked


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WriterLock:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._held = False

    def acquire(self) -> "WriterLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self.holder()
                if holder is not None and holder != os.getpid() and _alive(holder):
                    raise IngestLocked(
                        f"another ingest is running (process {holder}); wait for it to finish and try again")
                self.path.unlink(missing_ok=True)  # stale: its writer died
                continue
            with os.fdopen(fd, "w") as handle:
                handle.write(str(os.getpid()))
            self._held = True
            return self
        raise IngestLocked(f"could not take the ingest lock {self.path}")

    def holder(self) -> int | None:
        try:
            return int(self.path.read_text().strip() or 0) or None
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        if self._held and self.holder() == os.getpid():
            self.path.unlink(missing_ok=True)
        self._held = False

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
