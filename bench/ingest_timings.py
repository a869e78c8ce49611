"""Full, unchanged and one-article-changed ingest times of knowledge/, through the real CLI.

    .venv/bin/python bench/ingest_timings.py [--repeat N]

Prints wall-clock seconds per run (process start to exit, as staff experience it) and the
run's own `seconds` from --json. Uses a copy of knowledge/ and a fresh store in a temp folder.
"""
import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ingest(knowledge: Path, store: Path, *flags: str) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "ingest.py", "--knowledge", str(knowledge), "--store", str(store),
                           "--json", *flags], cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    return wall, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = {"full": [], "unchanged": [], "one changed": []}
    with tempfile.TemporaryDirectory() as tmp:
        knowledge = Path(tmp) / "knowledge"
        shutil.copytree(ROOT / "knowledge", knowledge)
        article = sorted(knowledge.glob("*.md"))[0]
        for n in range(args.repeat):
            store = Path(tmp) / f"store{n}"
            rows["full"].append(ingest(knowledge, store))
            rows["unchanged"].append(ingest(knowledge, store))
            article.write_text(article.read_text() + f"\nOne more sentence about runners, edit {n}.\n")
            rows["one changed"].append(ingest(knowledge, store))
    full = statistics.median(w for w, _ in rows["full"])
    for name, runs in rows.items():
        walls = [w for w, _ in runs]
        inner = [r["seconds"] for _, r in runs]
        print(f"{name:<12} wall median {statistics.median(walls):7.2f} s (runs {', '.join(f'{w:.2f}' for w in walls)})"
              f"   in-run median {statistics.median(inner):7.2f} s   {100 * statistics.median(walls) / full:5.1f}% of full"
              f"   chunks {runs[-1][1]['chunks']}")


if __name__ == "__main__":
    main()
