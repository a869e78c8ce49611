"""The loaders of an older commit against the working tree, on every fixture article.

For each file: title, section headings, and counts of paragraphs / lists / list items, old and
new side by side; `--show NAME` prints both parses of the files whose name contains NAME block by
block, to read the differences by eye.

    .venv/bin/python bench/loader_diff.py [--old REV] [--show NAME]

The old code is taken with `git archive REV assistant` into a temporary folder and run in its
own process, so the two versions never share an import.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ["knowledge/*.md", "tests/data/good/*", "tests/data/blog/*", "tests/eval/realistic/articles/*"]

# Runs inside the child process: parse every file, print one JSON line per file.
_CHILD = r"""
import json, sys
from pathlib import Path
from assistant.ingest.load import load_article
for name in sys.argv[1:]:
    try:
        a = load_article(Path(name), Path(name).name)
        out = {"title": a.title, "url": a.url,
               "sections": [[s.heading, [[b.text, list(b.items)] for b in s.blocks]] for s in a.sections]}
    except Exception as exc:
        out = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(out))
"""


def parse_all(code_root: Path, files: list[Path]) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(code_root), HF_HUB_OFFLINE="1")
    done = subprocess.run([sys.executable, "-c", _CHILD, *map(str, files)], cwd=code_root, env=env,
                          capture_output=True, text=True, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def counts(parse: dict) -> tuple[int, int, int]:
    blocks = [b for _, section in parse.get("sections", []) for b in section]
    lists = [b for b in blocks if b[1]]
    return len(blocks) - len(lists), len(lists), sum(len(b[1]) for b in lists)


def show(parse: dict) -> None:
    print(f"  title: {parse.get('title')!r}  url: {parse.get('url')}")
    for heading, blocks in parse.get("sections", []):
        print(f"  ## {heading}")
        for text, items in blocks:
            print(f"     {'L' if items else 'P'} {text[:110]!r}")
            for item in items:
                print(f"        - {item[:100]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="3245cd7", help="the commit whose loaders are compared")
    parser.add_argument("--show", default=None, help="print both parses of files whose name contains this")
    args = parser.parse_args()
    files = sorted(p for pattern in FIXTURES for p in ROOT.glob(pattern)
                   if p.suffix in {".md", ".html", ".txt", ".pdf"})
    with tempfile.TemporaryDirectory() as old_root:
        archive = subprocess.run(["git", "archive", args.old, "assistant"], cwd=ROOT, capture_output=True, check=True)
        tar_path = Path(old_root) / "old.tar"
        tar_path.write_bytes(archive.stdout)
        with tarfile.open(tar_path) as tar:
            tar.extractall(old_root, filter="data")
        old = parse_all(Path(old_root), files)
    new = parse_all(ROOT, files)
    print(f"{'file':40} {'P/L/items old':>14} {'new':>10}  headings     title (old -> new when changed)")
    for path, before, after in zip(files, old, new):
        name = f"{path.parent.name}/{path.name}"
        heads_old = [h for h, _ in before.get("sections", [])]
        heads_new = [h for h, _ in after.get("sections", [])]
        same_heads = "same" if heads_old == heads_new else f"{len(heads_old)}->{len(heads_new)}"
        title = after.get("title") if before.get("title") == after.get("title") \
            else f"{before.get('title')!r} -> {after.get('title')!r}"
        print(f"{name[-40:]:40} {'%d/%d/%d' % counts(before):>14} {'%d/%d/%d' % counts(after):>10}  "
              f"{same_heads:12} {after.get('error') or title}")
        if args.show and args.show in name:
            print("--- old"); show(before)
            print("--- new"); show(after)
        elif heads_old != heads_new:
            print(f"    headings old: {heads_old}\n    headings new: {heads_new}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
