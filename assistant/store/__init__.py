"""The knowledge store: the only code that talks to Chroma, as one handle with four parts.

    store.catalog   the pointer readers follow, the manifests, the building marks (catalog.py)
    store.vectors   the Chroma collections of each version (collections.py)
    store.keywords  the saved BM25 index of each version (lexical.py)
    store.writer_lock()   one writer at a time (lock.py)

Blue/green versions: every publish writes a new version, then flips the pointer; the previous
version is kept for rollback (versions.py). The catalog's records are files in the store
folder, or records in the Chroma server's `kb-meta` collection when CHROMA_HOST is set.

`Store.from_settings(settings)` is how every caller gets one: one handle (one Chroma client)
per process and store setting, shared by the chat, the staff page and ingest.
"""
from __future__ import annotations

import threading
from pathlib import Path

from assistant.store.catalog import ArticleEntry, Catalog, Manifest  # noqa: F401 (the store's types)
from assistant.store.collections import VectorStore
from assistant.store.lexical import KeywordFiles
from assistant.store.records import FileRecords, ServerRecords

_OPEN: dict[tuple, "Store"] = {}
_OPEN_GUARD = threading.Lock()


class Store:
    def __init__(self, store_dir: Path, chroma_host: str | None = None, chroma_port: int = 8000):
        self.dir = Path(store_dir)
        self.host, self.port = chroma_host, chroma_port
        self.vectors = VectorStore(self.dir, chroma_host, chroma_port)
        records = ServerRecords(lambda: self.vectors.client) if chroma_host else FileRecords(self.dir)
        self.catalog = Catalog(records, self.where)
        self.keywords = KeywordFiles(self.dir, server=self.server)

    @classmethod
    def from_settings(cls, settings) -> "Store":
        """The process's handle on the store that `settings` name (made on first use)."""
        key = (str(Path(settings.store_dir).resolve()), settings.chroma_host, settings.chroma_port)
        with _OPEN_GUARD:
            if key not in _OPEN:
                _OPEN[key] = cls(settings.store_dir, settings.chroma_host, settings.chroma_port)
            return _OPEN[key]

    @property
    def server(self) -> bool:
        return bool(self.host)

    @property
    def where(self) -> str:
        return f"the Chroma server {self.host}:{self.port}" if self.server else str(self.dir)

    def writer_lock(self):
        """One writer at a time: an OS lock on a file here, or a lock record in the Chroma server."""
        from assistant.store.lock import ServerLock, WriterLock

        if self.server:
            return ServerLock(self.catalog.records, f"chroma://{self.host}:{self.port}")
        return WriterLock(self.dir / "ingest.lock")
