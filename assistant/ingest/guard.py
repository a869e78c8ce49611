"""Parse untrusted article files where a pathological one cannot hang or exhaust the run.

Files are parsed by a worker process (`python -m assistant.ingest.worker`) with a time cap per
file and a memory cap: a file that takes too long gets its worker killed and is reported as
"timed out"; the next file gets a fresh worker. A thread could not be stopped (regex and PDF
loops don't yield), hence a process. The worker starts only when some file needs parsing, so
an unchanged re-ingest never pays for it.
"""
from __future__ import annotations

import json
import os
import select
import struct
import subprocess
import sys
import time
from dataclasses import dataclass

from assistant.config import ROOT
from assistant.errors import LoadError
from assistant.ingest.load import MAX_FILE_BYTES, MAX_PDF_PAGES
from assistant.schema import Article, Block, Section

_HEADER = struct.Struct(">Q")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_FILE_BYTES
    max_pdf_pages: int = MAX_PDF_PAGES
    seconds_per_file: float = 20.0  # a long PDF parses in well under a second
    memory_mb: int = 1024  # address-space cap of the worker: decompression bombs fail fast
    startup_seconds: float = 60.0  # the worker's own imports, on a busy machine


def write_frame(stream, payload: bytes) -> None:
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def read_frame(stream) -> bytes | None:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    body = stream.read(size)
    return body if len(body) == size else None


def article_to_json(article: Article) -> dict:
    return {"source": article.source, "slug": article.slug, "title": article.title, "url": article.url,
            "published": article.published, "tags": list(article.tags),
            "sections": [[s.heading, [[b.text, list(b.items), b.tag] for b in s.blocks]] for s in article.sections]}


def article_from_json(data: dict) -> Article:
    sections = tuple(Section(heading, tuple(Block(text, tuple(items), tag) for text, items, tag in blocks))
                     for heading, blocks in data["sections"])
    return Article(source=data["source"], slug=data["slug"], title=data["title"], url=data["url"],
                   sections=sections, published=data["published"], tags=tuple(data["tags"]))


class GuardedParser:
    """`parse(raw, suffix, source) -> Article`, or LoadError with a reason; one worker reused."""

    def __init__(self, limits: Limits = Limits(), python: str = sys.executable):
        self.limits = limits
        self._python = python
        self._proc: subprocess.Popen | None = None

    def parse(self, raw: bytes, suffix: str, source: str) -> Article:
        proc = self._worker(source)
        request = json.dumps({"suffix": suffix, "source": source,
                              "max_pdf_pages": self.limits.max_pdf_pages}).encode()
        try:
            write_frame(proc.stdin, request)
            write_frame(proc.stdin, raw)
        except OSError:
            self._stop()
            raise LoadError(source, "could not be read (the file reader stopped)", "unreadable")
        reply = self._reply(proc, self.limits.seconds_per_file)
        if reply is None:
            self._stop()
            seconds = self.limits.seconds_per_file
            raise LoadError(source, f"timed out (reading it took longer than {seconds:g} s)", "timed_out",
                            seconds=f"{seconds:g}")
        data = json.loads(reply)
        if "article" in data:
            return article_from_json(data["article"])
        raise LoadError(source, data["reason"], data["kind"], **data.get("details", {}))

    def _worker(self, source: str) -> subprocess.Popen:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                   ASSISTANT_WORKER_MEMORY_MB=str(self.limits.memory_mb))
        self._proc = subprocess.Popen([self._python, "-m", "assistant.ingest.worker"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        if self._reply(self._proc, self.limits.startup_seconds) != b"ready":
            self._stop()
            raise LoadError(source, "could not be read (the file reader did not start)", "unreadable")
        return self._proc

    @staticmethod
    def _reply(proc: subprocess.Popen, seconds: float) -> bytes | None:
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([proc.stdout], [], [], left)
            if ready:
                return read_frame(proc.stdout)  # None when the worker died (e.g. out of memory)

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self._proc = None

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            try:
                self._proc.stdin.close()  # the worker exits at end of input
                self._proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
