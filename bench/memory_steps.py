"""Where the question path's memory goes: resident memory after each step of opening the store
and answering, in one fresh process (as `ask` and the chat do them, in that order).

    .venv/bin/python bench/memory_steps.py [--store DIR] [--questions N] [--streamlit]

Each line: VmRSS (now) and VmHWM (peak so far) from /proc/self/status, and the step's share of
the peak. Imports are their own steps, so a library's own footprint shows apart from the data
it loads. --streamlit adds importing Streamlit (what the chat server carries besides this).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def memory_mb() -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return tuple(int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--streamlit", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, float, float]] = []

    def step(name: str) -> None:
        rows.append((name, *memory_mb()))

    step("python + assistant.config")
    from assistant.config import Settings, go_offline

    go_offline()
    settings = Settings.from_env(store_dir=args.store)
    import numpy  # noqa: F401

    step("import numpy")
    import chromadb  # noqa: F401

    step("import chromadb")
    import onnxruntime  # noqa: F401
    import tokenizers  # noqa: F401

    step("import onnxruntime, tokenizers")
    from assistant.answer.pipeline import Assistant
    from assistant.answer.retrieve import Retriever
    from assistant.answer.triage import Triager, load_rules
    from assistant.clinic import load_clinic
    from assistant.embed import load_question_embedder
    from assistant.store import Store

    step("import the assistant's answer path")
    store = Store.from_settings(settings)
    store.catalog.active_manifest()
    store.vectors.client  # noqa: B018 (opens the Chroma folder)
    step("open the Chroma store")
    embedder = load_question_embedder(settings)
    step(f"question embedder ({type(embedder).__name__}, checked)")
    retriever = Retriever(store, embedder.name, embedder.dim, settings.dense_k, settings.lexical_k, settings.rrf_k)
    step(f"open the published version ({len(retriever.chunks)} passages, BM25, blocks)")
    triager = Triager(load_rules(settings.triage_file), embedder)
    step("triage rules (their examples embedded)")
    assistant = Assistant(settings, embedder, load_clinic(settings.clinic_file), triager, retriever)
    import yaml

    questions = [q["q"] for q in yaml.safe_load((ROOT / "tests/eval/questions.yaml").read_text())["questions"]]
    assistant.ask(questions[0])
    step("first answer")
    for question in questions[1:args.questions]:
        assistant.ask(question)
    step(f"{args.questions} answers")
    if args.streamlit:
        import streamlit  # noqa: F401

        step("import streamlit")
    print(f"{'step':<58}{'RSS MB':>8}{'peak MB':>9}{'+peak':>7}")
    before = 0.0
    for name, rss, peak in rows:
        print(f"{name:<58}{rss:>8.0f}{peak:>9.0f}{peak - before:>+7.0f}")
        before = peak
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "transformers", "sentence_transformers"))
    print(f"torch, transformers, sentence-transformers imported: {'yes' if heavy else 'no'}; "
          f"pandas: {'yes' if 'pandas' in sys.modules else 'no'}; pyarrow: {'yes' if 'pyarrow' in sys.modules else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
