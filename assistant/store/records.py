"""Where the store keeps what is not vectors: small JSON records for the version pointer, the
manifests and the markers of versions being built.

`FileRecords`: files in the store folder (one machine). `ServerRecords`: records of a small
`kb-meta` collection in the Chroma server, so several app replicas and one ingester on other
machines agree on the active version. Both hold text; catalog.py owns what it means.
"""
from __future__ import annotations

from pathlib import Path

from assistant.errors import StoreError
from assistant.store.files import write_atomic

POINTER = "ACTIVE.json"
META_COLLECTION = "kb-meta"


class FileRecords:
    def __init__(self, folder: Path):
        self.dir = Path(folder)
        self.pointer_path = self.dir / POINTER

    def _manifest(self, version: int) -> Path:
        return self.dir / "versions" / f"v{version:04d}.json"

    def _marker(self, version: int) -> Path:
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
        return self._manifest(version).read_text(encoding="utf-8")

    def write_manifest(self, version: int, text: str) -> None:
        write_atomic(self._manifest(version), text)

    def delete_manifest(self, version: int) -> None:
        self._manifest(version).unlink(missing_ok=True)

    def manifest_versions(self) -> list[int]:
        return self._versions("v*.json", lambda p: p.stem[1:])

    def mark_building(self, version: int) -> None:
        marker = self._marker(version)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()

    def clear_building(self, version: int) -> None:
        self._marker(version).unlink(missing_ok=True)

    def building_versions(self) -> list[int]:
        return self._versions("v*.building", lambda p: p.name[1:5])

    def _versions(self, pattern: str, number_of) -> list[int]:
        folder = self.dir / "versions"
        if not folder.is_dir():
            return []
        return sorted(int(number_of(p)) for p in folder.glob(pattern) if number_of(p).isdigit())


class ServerRecords:
    """The same records in the server's `kb-meta` collection (ids `pointer`, `manifest-v0007`,
    `building-v0007`, and the writer lock's `lock`; the JSON in the document, a 1-d dummy
    vector: no model involved)."""

    def __init__(self, client_of):
        self._client_of = client_of  # () -> the Chroma client (opened lazily by the vector store)
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
