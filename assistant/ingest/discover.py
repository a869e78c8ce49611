"""What is in the knowledge folder: articles by id, files that are not articles, and whether the
clinic's own data files (clinic.yaml, triage.yaml) beside them can be read."""
from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from assistant.config import Settings
from assistant.errors import ConfigError, LoadError
from assistant.ingest.load import ARTICLE_SUFFIXES, unsupported

# The code that turns a file into passages: when any of it changes, every article is rebuilt
# once (a hand-bumped version number was forgotten more than once).
_PIPELINE_MODULES = ("load", "markdown", "text", "html", "pdf", "blocks", "chunk", "tag", "filler_rules")


def _pipeline_version() -> str:
    digest = hashlib.sha256()
    for name in _PIPELINE_MODULES:
        digest.update((Path(__file__).parent / f"{name}.py").read_bytes())
    return digest.hexdigest()[:12]


PIPELINE_VERSION = _pipeline_version()
DATA_SUFFIXES = {".yaml", ".yml"}  # the clinic profile and triage rules live beside the articles


def discover(folder: Path) -> tuple[list[tuple[str, Path]], list[LoadError]]:
    """(articles as (source id, path), files that are not articles)."""
    if not folder.is_dir():
        raise ConfigError(f"the knowledge folder {folder} does not exist (--knowledge / ASSISTANT_KNOWLEDGE)")
    articles, skipped = [], []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in DATA_SUFFIXES:
            continue
        source = canonical_source(relative.as_posix())
        if suffix in ARTICLE_SUFFIXES:
            articles.append((source, path))
        else:
            skipped.append(unsupported(source, suffix))
    return articles, skipped


def canonical_source(relative: str) -> str:
    """An article's id: its path under the knowledge folder, '/'-separated, Unicode NFC. The CLI
    and the staff upload both name files this way, so one file is one article however it came
    (macOS writes names decomposed; a name typed in a browser arrives composed)."""
    return unicodedata.normalize("NFC", relative.replace("\\", "/"))


def pipeline_salt(settings: Settings) -> str:
    """What besides a file's bytes decides its passages: the pipeline, the chunk size and the
    filler rules (a change to knowledge/filler.yaml re-reads every article)."""
    try:
        filler = hashlib.sha256(settings.filler_file.read_bytes()).hexdigest()[:16]
    except OSError:
        filler = "none"
    return f"{PIPELINE_VERSION}|{settings.chunk_max_tokens}|{filler}|"


def content_hash(raw: bytes, salt: str) -> str:
    digest = hashlib.sha256()
    digest.update(salt.encode())
    digest.update(raw)
    return digest.hexdigest()


def config_problems(settings: Settings) -> list[LoadError]:
    """clinic.yaml and triage.yaml, when present, parsed the way the chat will parse them: staff
    who publish learn of a typo at once, not from a runner's maintenance notice. Articles are
    published all the same; the chat keeps answering only once the file is fixed."""
    from assistant.answer.triage_rules import load_rules
    from assistant.clinic import load_clinic
    from assistant.ingest.filler_rules import load_filler

    problems = []
    for path, load in ((settings.clinic_file, load_clinic), (settings.triage_file, load_rules),
                       (settings.filler_file, load_filler)):
        if not path.is_file():
            continue
        try:
            load(path)
        except ConfigError as exc:
            problems.append(LoadError(path.name, str(exc), "config"))
    return problems
