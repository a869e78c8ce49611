"""Files that readers may open while they are written: replaced whole, never seen half-written."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_file(path: Path):
    """A binary handle whose bytes appear at `path` only when the block ends without error:
    write-temp-then-rename, flushed to disk first, so a reader (or a crash) sees the old file or
    the new one. The temp file starts with a dot, so an ingest never takes it for an article."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: str | bytes) -> None:
    with atomic_file(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def remove_tree(folder: Path) -> None:
    """Delete a folder of plain files (a keyword index), deepest first."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    folder.rmdir()
