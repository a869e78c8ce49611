"""The staff page's decisions, without Streamlit: sign-in, upload checks, preview, publish,
inventory, remove and rollback. The views (ui/staff_page.py, ui/staff_sections.py) only render
what these return.

Uploads become files in the knowledge folder, named the way the CLI names them, and go
through the same run_ingest under the same writer lock: one file is one article however it
arrived, and the CLI and the page can never write at once.
"""
from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from assistant.config import Settings
from assistant.errors import LoadError
from assistant.ingest.discover import canonical_source, content_hash, discover
from assistant.ingest.guard import Limits
from assistant.ingest.load import unsupported
from assistant.ingest.run import IngestReport, run_ingest
from assistant.staff.passwords import fingerprint, verify_password
from assistant.store import Store
from assistant.store.files import write_atomic

UPLOAD_SUFFIXES = (".md", ".html", ".txt", ".pdf")
FREE_ATTEMPTS = 5
SESSION_IDLE_SECONDS = 8 * 3600  # a staff session left open overnight is signed out
REMOVED_FOLDER = ".removed"  # removed articles are moved here (hidden from ingest), not deleted


def reason_words(words: dict, exc: LoadError) -> str:
    """A LoadError in the staff page's words (the CLI's English reason when a kind has none)."""
    template = words.get("reasons", {}).get(exc.kind)
    try:
        return template.format(**exc.details) if template else exc.reason
    except (KeyError, IndexError):
        return exc.reason


# --- sign-in ------------------------------------------------------------------------

class LoginThrottle:
    """Process-wide (not per browser session, which a guesser could simply reopen): after
    FREE_ATTEMPTS failures each further attempt waits longer, doubling up to `cap` seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, base: float = 2.0, cap: float = 300.0):
        self._clock, self._base, self._cap = clock, base, cap
        self._failures, self._last = 0, 0.0
        self._lock = threading.Lock()

    def wait_seconds(self) -> float:
        with self._lock:
            if self._failures < FREE_ATTEMPTS:
                return 0.0
            delay = min(self._cap, self._base * 2 ** (self._failures - FREE_ATTEMPTS))
            return max(0.0, self._last + delay - self._clock())

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            self._last = self._clock()

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0


@dataclass(frozen=True)
class SignIn:
    ok: bool
    wait: float = 0.0  # > 0: refused without checking; try again after this many seconds


def sign_in(password: str, stored: str, throttle: LoginThrottle) -> SignIn:
    wait = throttle.wait_seconds()
    if wait > 0:
        return SignIn(False, wait)
    if verify_password(password, stored):
        throttle.succeeded()
        return SignIn(True)
    throttle.failed()
    return SignIn(False, throttle.wait_seconds())


def new_session(stored: str, now: float) -> dict:
    return {"fingerprint": fingerprint(stored), "seen": now}


def session_valid(session: dict | None, stored: str | None, now: float) -> bool:
    """Checked on every run of the page: still the same password, and not idle too long."""
    if not session or not stored or session.get("fingerprint") != fingerprint(stored):
        return False
    return now - float(session.get("seen", 0)) < SESSION_IDLE_SECONDS


# --- uploads ------------------------------------------------------------------------

def sanitise_name(name: str) -> str:
    """A browser-supplied file name -> a safe file name in the knowledge folder's root."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = "." + suffix.lower() if suffix else ""
    if suffix not in UPLOAD_SUFFIXES:
        raise unsupported(name, suffix)
    stem = re.sub(r"[^\w .()+-]+", "-", stem, flags=re.UNICODE)
    stem = re.sub(r"\s+", " ", stem).strip(" .-_")[:100] or "article"
    return stem + suffix


def _target_name(name: str, knowledge_dir: Path) -> str:
    """The same article under any capitalisation is the same file: reuse the existing name
    (also in a subfolder, when exactly one article there has this name)."""
    wanted = name.casefold()
    files, _ = discover(knowledge_dir)
    matches = [source for source, _ in files if source.rsplit("/", 1)[-1].casefold() == wanted]
    return matches[0] if len(matches) == 1 else name


@dataclass(frozen=True)
class Preview:
    source: str  # where it will be saved and its article id
    title: str
    url: str | None
    headings: tuple[str, ...]
    chunks: int
    words: int
    warnings: tuple[tuple[str, dict], ...]  # (kind, details) -> staff.warnings in clinic.yaml
    blocked: tuple[str, dict] | None = None  # publishing refused: (kind, details)
    blocks: tuple[tuple[str | None, str, str], ...] = ()  # (heading, tag, text) as the assistant reads them


def preview_upload(name: str, data: bytes, settings: Settings, parser, count_tokens,
                   limits: Limits = Limits(), embed=None) -> Preview:
    """Parse and tag an upload exactly as ingest would (`embed`: the model, for the filler
    examples; without it the filler rules alone). Raises LoadError when it is not an article."""
    from assistant.ingest.chunk import chunk_article
    from assistant.ingest.discover import pipeline_salt
    from assistant.ingest.filler_rules import load_filler
    from assistant.ingest.tag import Tagger
    from assistant.schema import CONTENT

    safe = sanitise_name(name)
    if len(data) > limits.max_bytes:
        from assistant.ingest.load import too_large

        raise too_large(safe, len(data), limits.max_bytes)
    source = canonical_source(_target_name(safe, settings.knowledge_dir))
    article, _ = Tagger(load_filler(settings.filler_file), embed).tag(parser.parse(data, Path(safe).suffix, source))
    chunks = chunk_article(article, count_tokens, settings.chunk_max_tokens)
    words = sum(len(" ".join((b.text, *b.items)).split()) for s in article.sections for b in s.blocks
                if b.tag == CONTENT)
    warnings: list[tuple[str, dict]] = []
    blocked = None
    manifest = Store.from_settings(settings).catalog.active_manifest()
    published = manifest.articles if manifest else {}
    digest = content_hash(data, pipeline_salt(settings))
    same = [s for s, entry in published.items() if entry.hash == digest]
    if source in same:
        blocked = ("unchanged", {"file": source})
    elif same:
        blocked = ("duplicate", {"file": same[0], "title": published[same[0]].title})
    elif source in published:
        warnings.append(("replaces", {"file": source, "title": published[source].title}))
    if safe != name:
        warnings.append(("renamed", {"name": name, "file": source}))
    if article.title == Path(source).stem.replace("-", " ").replace("_", " ").title():
        warnings.append(("no_title", {"title": article.title}))
    if not any(s.heading for s in article.sections):
        warnings.append(("no_headings", {}))
    if words < 80:
        warnings.append(("short", {"words": words}))
    if not article.url:
        warnings.append(("no_url", {}))
    return Preview(source=source, title=article.title, url=article.url,
                   headings=tuple(s.heading for s in article.sections if s.heading), chunks=len(chunks),
                   words=words, warnings=tuple(warnings), blocked=blocked,
                   blocks=tuple((s.heading, b.tag, "\n".join([b.text] * bool(b.text) + [f"- {i}" for i in b.items]))
                                for s in article.sections for b in s.blocks))


def publish_upload(preview: Preview, data: bytes, settings: Settings, embedder_factory,
                   progress=None) -> IngestReport:
    """Save the file where the CLI would find it, then ingest, all under the writer lock."""
    if preview.blocked:
        raise LoadError(preview.source, preview.blocked[0], preview.blocked[0], **preview.blocked[1])
    with Store.from_settings(settings).writer_lock():
        write_atomic(settings.knowledge_dir / preview.source, data)
        return run_ingest(settings, embedder_factory, progress=progress, lock_held=True)


# --- inventory, removal, rollback ---------------------------------------------------------

@dataclass(frozen=True)
class InventoryRow:
    source: str
    title: str
    chunks: int
    ingested_at: str
    url: str | None


def inventory(settings: Settings) -> list[InventoryRow]:
    manifest = Store.from_settings(settings).catalog.active_manifest()
    if manifest is None:
        return []
    rows = [InventoryRow(source, entry.title, len(entry.chunks), entry.ingested_at, entry.url) for source, entry in manifest.articles.items()]
    return sorted(rows, key=lambda r: r.title.casefold())


def remove_article(source: str, settings: Settings, embedder_factory, progress=None) -> IngestReport:
    """Move the file out of the knowledge folder (kept in .removed/ for a change of mind) and
    publish a version without it."""
    with Store.from_settings(settings).writer_lock():
        path = settings.knowledge_dir / source
        if path.exists():
            stamp = time.strftime("%Y%m%d-%H%M%S")
            parked = settings.knowledge_dir / REMOVED_FOLDER / f"{stamp}-{path.name}"
            parked.parent.mkdir(parents=True, exist_ok=True)
            path.replace(parked)
        return run_ingest(settings, embedder_factory, progress=progress, lock_held=True)


def logged_gaps(log, embed) -> list:
    """The content-gap list from the question log, which is first cut to its retention period
    (the log keeps nothing longer than the clinic's setting says)."""
    from assistant.staff.gaps import content_gaps

    log.prune()
    entries = log.recent()
    return content_gaps(entries, embed) if entries else []


def roll_back(settings: Settings):
    from assistant.store.versions import rollback

    store = Store.from_settings(settings)
    with store.writer_lock():
        return rollback(store)

