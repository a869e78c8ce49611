"""`python ingest.py`: the staff command that syncs the store with the knowledge folder.

Exit codes: 0 every file ingested; 1 some files failed (the good ones are still published);
2 bad usage; 3 nothing could be done (another ingest running, store unreadable).
"""
from __future__ import annotations

import argparse
import json
import sys

EPILOG = """examples:
  python ingest.py                      sync knowledge/ into data/chroma/
  python ingest.py --dry-run            show what would change, touch nothing
  python ingest.py --full               rebuild everything from scratch
  python ingest.py --json               one JSON summary line for scripts

exit codes: 0 all files ingested, 1 some failed (the rest is published),
            2 bad usage, 3 could not run (another ingest is running, store unreadable)"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ingest.py", description="Add, update and remove the clinic's articles in the assistant's store.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge", metavar="DIR", help="articles folder (default: knowledge/, env ASSISTANT_KNOWLEDGE)")
    parser.add_argument("--store", metavar="DIR", help="store folder (default: data/chroma/, env ASSISTANT_STORE)")
    parser.add_argument("--full", action="store_true", help="re-embed every article, not only changed ones")
    parser.add_argument("--dry-run", action="store_true", help="list what would change; write nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .config import Settings, go_offline
    from .errors import AssistantError
    from .ingest import run_ingest

    go_offline()
    settings = Settings.from_env(knowledge_dir=args.knowledge, store_dir=args.store)
    if not settings.knowledge_dir.is_dir():
        print(f"error: the knowledge folder {settings.knowledge_dir} does not exist", file=sys.stderr)
        return 2

    def embedder_factory():
        from .embed import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(settings.model_path, settings.torch_threads)

    bar = _progress_bar() if (sys.stderr.isatty() and not args.json) else None
    try:
        report = run_ingest(settings, embedder_factory, full=args.full, dry_run=args.dry_run,
                            progress=bar)
    except AssistantError as exc:  # locked, store unreadable, model mismatch
        print(f"error: {exc}", file=sys.stderr)
        return 3
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        print(json.dumps(report.to_json()))
    else:
        print(_summary(report, settings))
    return 1 if report.failed else 0


def _summary(report, settings) -> str:
    lines = []
    verb = "would be" if report.dry_run else "were"
    for label, items in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
        for source in items:
            lines.append(f"  {label:<9} {source}")
    for path, reason in report.failed:
        lines.append(f"  FAILED    {path}: {reason}")
    head = (f"{len(report.added)} added, {len(report.updated)} updated, {len(report.removed)} removed, "
            f"{len(report.unchanged)} unchanged, {len(report.failed)} failed")
    if report.dry_run:
        tail = "Dry run: nothing was written."
    elif report.published:
        tail = (f"Published version {report.version}: {report.chunks} passages "
                f"({report.embedded} newly embedded) in {report.seconds:.1f} s.")
    else:
        tail = f"Nothing changed; the store in {settings.store_dir} is up to date ({report.seconds:.2f} s)."
    return "\n".join([f"Articles that {verb} changed:" if lines else "No article changes.", *lines,
                      head, tail])


class _progress_bar:
    """A tqdm bar per stage on the terminal."""

    def __init__(self):
        self._bar = None
        self._stage = None

    def __call__(self, stage: str, done: int, total: int):
        from tqdm import tqdm

        if stage != self._stage:
            self.close()
            self._bar = tqdm(total=total, desc=stage, unit="item", file=sys.stderr, leave=False)
            self._stage = stage
        self._bar.n = done
        self._bar.refresh()

    def close(self):
        if self._bar is not None:
            self._bar.close()
            self._bar = None
