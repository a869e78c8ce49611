"""Where the store keeps what is not vectors: the version pointer, the manifests, the markers of
versions being built, and the writer lock.

`FileMeta`: files in the store folder (one machine). `ServerMeta`: records of a small `kb-meta`
collection in the Chroma server, so several app replicas and one ingester on other machines
agree on the active version and on who is writing. Both speak JSON documents; store.py owns
their meaning.
"""
from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from pathlib import Path

from .errors import IngestLocked, StoreError

META_COLLECTION = "kb-meta"
LOCK_SECONDS = 1800.0  # a server lock whose holder vanished is taken over after this long


def write_atomic(path: Path, text: str) -> None:
    """Write-temp-then-rename: a reader sees the old file or the new one, never half of one."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class FileMeta:
    def __init__(self, folder: Path, pointer: str):
        self.dir = Path(folder)
        self.pointer_path = self.dir / pointer

    def manifest_path(self, version: int) -> Path:
        return self.dir / "versions" / f"v{version:04d}.json"

    def building_marker(self, version: int) -> Path:
        return self.dir / "versions" / f"v{version:04d}.building"

    def stamp(self):
        try:
            stat = self.pointer_path.stat()
        except OSError:  # missing, or the store path is not a folder: reading it says which
            return None
        return stat.st_mtime_ns, stat.st_size

    def read_pointer(self) -> str | None:
        try:
            return self.pointer_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"the store pointer {self.pointer_path} cannot be read ({exc})") from exc

    def write_pointer(self, text: str) -> None:
        write_atomic(self.pointer_path, text)

    def read_manifest(self, version: int) -> str:
        return self.manifest_path(version).read_text(encoding="utf-8")

    def write_manifest(self, version: int, text: str) -> None:
        write_atomic(self.manifest_path(version), text)

    def delete_manifest(self, version: int) -> None:
        self.manifest_path(version).unlink(missing_ok=True)

    def manifest_versions(self) -> list[int]:
        folder = self.dir / "versions"
        if not folder.is_dir():
            return []
        return sorted(int(p.stem[1:]) for p in folder.glob("v*.json") if p.stem[1:].isdigit())

    def mark_building(self, version: int) -> None:
        marker = self.building_marker(version)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()

    def clear_building(self, version: int) -> None:
        self.building_marker(version).unlink(missing_ok=True)

    def building_versions(self) -> list[int]:
        folder = self.dir / "versions"
        if not folder.is_dir():
            return []
        return sorted(int(p.name[1:5]) for p in folder.glob("v*.building") if p.name[1:5].isdigit())


class ServerMeta:
    """The same records in the server's `kb-meta` collection (ids `pointer`, `manifest-v0007`,
    `building-v0007`, `lock`; the JSON in the document, a 1-d dummy vector: no model involved)."""

    def __init__(self, client_of):
        self._client_of = client_of  # () -> the Chroma client (opened lazily by the Store)
        self._collection = None

    @property
    def collection(self):
        if self._collection is None:
            try:
                self._collection = self._client_of().get_or_create_collection(
                    META_COLLECTION, embedding_function=None, metadata={"kind": "kb-meta"})
            except StoreError:
                raise
            except Exception as exc:
                raise StoreError(f"the Chroma server's {META_COLLECTION} collection cannot be opened ({exc})") from exc
        return self._collection

    def _get(self, record: str) -> str | None:
        try:
            got = self.collection.get(ids=[record], include=["documents"])
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"the Chroma server cannot be read ({exc})") from exc
        return got["documents"][0] if got["ids"] else None

    def _put(self, record: str, text: str, **meta) -> None:
        self.collection.upsert(ids=[record], documents=[text], embeddings=[[1.0]],
                               metadatas=[{"kind": record.split("-")[0], **meta}])

    def stamp(self):
        return self._get("pointer")

    def read_pointer(self) -> str | None:
        return self._get("pointer")

    def write_pointer(self, text: str) -> None:
        self._put("pointer", text)  # one record replaced whole: readers see old or new

    def read_manifest(self, version: int) -> str:
        text = self._get(f"manifest-v{version:04d}")
        if text is None:
            raise FileNotFoundError(f"manifest-v{version:04d}")
        return text

    def write_manifest(self, version: int, text: str) -> None:
        self._put(f"manifest-v{version:04d}", text, version=version)

    def delete_manifest(self, version: int) -> None:
        self.collection.delete(ids=[f"manifest-v{version:04d}"])

    def _versions(self, kind: str) -> list[int]:
        got = self.collection.get(where={"kind": kind}, include=["metadatas"])
        return sorted(int(meta["version"]) for meta in got["metadatas"])

    def manifest_versions(self) -> list[int]:
        return self._versions("manifest")

    def mark_building(self, version: int) -> None:
        self._put(f"building-v{version:04d}", "", version=version)

    def clear_building(self, version: int) -> None:
        self.collection.delete(ids=[f"building-v{version:04d}"])

    def building_versions(self) -> list[int]:
        return self._versions("building")


_IN_PROCESS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


class ServerLock:
    """One writer among machines: the `lock` record of kb-meta, added only if absent (Chroma's
    add keeps an existing id), so of two writers adding at once exactly one reads back its own
    token. The record names its holder and expires; a holder on this machine whose process is
    gone, or an expired one, is taken over (deleted only if it is still that holder's)."""

    def __init__(self, meta: ServerMeta, key: str, seconds: float = LOCK_SECONDS):
        self.meta, self.seconds = meta, seconds
        self.token = uuid.uuid4().hex
        with _GUARD:
            self._local = _IN_PROCESS.setdefault(key, threading.Lock())
        self._held = False

    def acquire(self) -> "ServerLock":
        if not self._local.acquire(blocking=False):
            raise IngestLocked("another ingest is running in this app; wait for it to finish and try again")
        try:
            return self._acquire_record()
        except BaseException:
            self._local.release()
            raise

    def _acquire_record(self) -> "ServerLock":
        collection = self.meta.collection
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
                self._held = True
                return self
            if not _stale(holder, host):
                raise IngestLocked(f"another ingest is running (process {holder['pid']} on "
                                   f"{holder['host']}); wait for it to finish and try again")
            collection.delete(ids=["lock"], where={"holder": holder["holder"]})
        raise IngestLocked("could not take the ingest lock in the Chroma server")

    def release(self) -> None:
        if not self._held:
            return
        try:
            self.meta.collection.delete(ids=["lock"], where={"holder": self.token})
        finally:
            self._held = False
            self._local.release()

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


def _stale(holder: dict, host: str) -> bool:
    if holder.get("expires", 0) < time.time():
        return True
    if holder.get("host") == host:
        from .lock import _alive

        return not _alive(int(holder.get("pid", 0)))
    return False


def decode(text: str, what: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise StoreError(f"{what} is damaged ({exc})") from exc
    if not isinstance(data, dict):
        raise StoreError(f"{what} is damaged (not an object)")
    return data
