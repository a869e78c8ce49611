"""`python ingest.py`: the staff command that syncs the store with the knowledge folder.

Exit codes: 0 every file ingested; 1 some files failed (the good ones are still published);
2 bad usage; 3 nothing could be done (another ingest running, store unreadable).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

EPILOG = """examples:
  python ingest.py                      sync knowledge/ into data/chroma/
  python ingest.py --dry-run            show what would change, touch nothing
  python ingest.py --full               rebuild everything from scratch
  python ingest.py --json               one JSON summary line for scripts
  python ingest.py --rollback           switch back to the previous version (again: undo)

exit codes: 0 all files ingested, 1 some failed (the rest is published),
            2 bad usage, 3 could not run (another ingest is running, store unreadable)"""


STORE_HELP = """what to do: check that the store folder exists and can be written (ASSISTANT_STORE / --store);
  `python ingest.py --rollback` switches back to the previous version (or repairs a damaged pointer);
  `python ingest.py --full --store NEW_DIR` rebuilds from the articles into a fresh folder."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ingest.py", description="Add, update and remove the clinic's articles in the assistant's store.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge", metavar="DIR", help="articles folder (default: knowledge/, env ASSISTANT_KNOWLEDGE)")
    parser.add_argument("--store", metavar="DIR", help="store folder (default: data/chroma/, env ASSISTANT_STORE)")
    parser.add_argument("--full", action="store_true", help="re-embed every article, not only changed ones")
    parser.add_argument("--dry-run", action="store_true", help="list what would change; write nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    parser.add_argument("--rollback", action="store_true",
                        help="switch readers back to the previous published version (run again to undo)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.rollback and (args.full or args.dry_run):
        parser.error("--rollback cannot be combined with --full or --dry-run")
    from assistant.config import Settings, go_offline
    from assistant.errors import AssistantError, ModelMismatch, StoreError
    from assistant.ingest.run import run_ingest

    go_offline()
    settings = Settings.from_env(knowledge_dir=args.knowledge, store_dir=args.store)
    if args.rollback:
        return _rollback(settings, args.json)
    if not settings.knowledge_dir.is_dir():
        print(f"error: the knowledge folder {settings.knowledge_dir} does not exist", file=sys.stderr)
        return 2

    def embedder_factory():
        from assistant.embed import load_batch_embedder

        return load_batch_embedder(settings)

    bar = _progress_bar() if (sys.stderr.isatty() and not args.json) else None
    progress = _hold_at(os.environ.get("ASSISTANT_INGEST_HOLD"), bar)
    try:
        report = run_ingest(settings, embedder_factory, full=args.full, dry_run=args.dry_run,
                            progress=progress)
    except AssistantError as exc:  # locked, store unreadable, model mismatch
        print(f"error: {exc}", file=sys.stderr)
        if isinstance(exc, StoreError) and not isinstance(exc, ModelMismatch):
            print(STORE_HELP, file=sys.stderr)
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
    """A table of what changed or failed, then the totals."""
    rows = [(source, label, str(report.article_chunks.get(source, "")), "")
            for label, items in (("added", report.added), ("updated", report.updated),
                                 ("removed", report.removed)) for source in items]
    rows += [(path, "FAILED", "", reason) for path, reason in report.failed]
    lines = []
    if rows:
        head = ("file", "result", "passages", "reason")
        width = [min(48, max(len(r[i]) for r in rows + [head])) for i in range(3)]
        fmt = f"  {{:<{width[0]}}}  {{:<{width[1]}}}  {{:>{width[2]}}}  {{}}"
        lines += [fmt.format(*head).rstrip(), fmt.format(*("-" * w for w in width), "-" * 6)]
        lines += [fmt.format(*row).rstrip() for row in rows]
    verb = "would be " if report.dry_run else ""
    lines.append(f"{len(report.added)} {verb}added, {len(report.updated)} {verb}updated, "
                 f"{len(report.removed)} {verb}removed, {len(report.unchanged)} unchanged, "
                 f"{len(report.failed)} failed")
    if report.dry_run:
        lines.append("Dry run: nothing was written.")
    elif report.published:
        lines.append(f"Published version {report.version}: {report.chunks} passages "
                     f"({report.embedded} newly embedded) in {report.seconds:.1f} s.")
    else:
        lines.append(f"Nothing changed; the store in {settings.store_dir} is up to date ({report.seconds:.2f} s).")
    if report.failed:
        lines.append("Files that failed keep their last published copy, if they had one.")
    return "\n".join(lines)


def _rollback(settings, as_json: bool) -> int:
    from assistant.errors import AssistantError
    from assistant.store import Store
    from assistant.store.versions import rollback

    store = Store.from_settings(settings)
    try:
        with store.writer_lock():
            done = rollback(store)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    if done.replaced is None:
        print(f"The damaged version pointer was repaired: the chat uses version {done.version} "
              f"(published {done.published_at}).")
        return 0
    if as_json:
        print(json.dumps({"rolled_back_to": done.version, "replaced": done.replaced,
                          "published_at": done.published_at}))
    else:
        print(f"Rolled back to version {done.version} (published {done.published_at}); version "
              f"{done.replaced} is kept: run --rollback again to undo. The articles folder was not "
              "changed, so the next ingest publishes its contents again.")
    return 0


def _hold_at(spec: str | None, then):
    """Test hook (env ASSISTANT_INGEST_HOLD=stage or stage@n): stop for good at the n-th report
    of a stage, so a test can SIGKILL the run at a known point."""
    if not spec:
        return then
    stage, _, nth = spec.partition("@")
    seen = {"count": 0}

    def progress(name: str, done: int, total: int) -> None:
        if then is not None:
            then(name, done, total)
        if name == stage:
            seen["count"] += 1
            if seen["count"] == int(nth or 1):
                print(f"holding at {spec}", file=sys.stderr, flush=True)
                while True:
                    time.sleep(60)

    return progress


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
