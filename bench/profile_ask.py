"""Where a warm answer's time goes: cProfile over Assistant.ask on the eval questions.

    .venv/bin/python bench/profile_ask.py [--store DIR] [--top N]

Prints the functions with the most cumulative time (stdlib cProfile, so nothing to install).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None)
    parser.add_argument("--questions", default=str(ROOT / "tests" / "eval" / "questions.yaml"))
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()

    import yaml

    from assistant.config import Settings, go_offline

    go_offline()
    from assistant.answer.pipeline import Assistant

    assistant = Assistant.from_settings(Settings.from_env(store_dir=args.store))
    questions = [q["q"] for q in yaml.safe_load(Path(args.questions).read_text())["questions"]]
    for q in questions[:10]:  # warm up
        assistant.ask(q)
    profiler = cProfile.Profile()
    profiler.enable()
    for q in questions:
        assistant.ask(q)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
