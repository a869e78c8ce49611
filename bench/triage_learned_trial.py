"""A trial, not product code: would a learned safety net beside the triage rules catch the red-flag
stories the rules miss, and at what cost in false alarms? (Issue 13: three rounds of rule tuning gave
85/93, 90/72 and 75/90 emergency/urgent recall on each next unseen set.)

    .venv/bin/python bench/triage_learned_trial.py [--store data/chroma]

The classifier is scikit-learn's logistic regression on what the assistant already computes: the
packaged model's embedding of the whole message, plus the element-wise max over its sentences'
embeddings (a warning sign is often one sentence in a long story). Label: red flag (urgent or
emergency) or not. It is trained on the sets written before a held-back set and tested on that set,
in the order the sets were written, so no test story is ever trained on:
  train tests/eval/triage_narratives.yaml              -> test triage_narratives_fresh.yaml
  train both of those                                   -> test triage_narratives_fresh3.yaml
The decision threshold is chosen on the training stories alone (5-fold out-of-fold scores; the
highest threshold that keeps >= 98% of training red flags), so it is not fitted to the test set.
Printed per test set: the rules alone (the real Triager), the classifier alone, and rules OR
classifier (a story the rules call none but the classifier calls red would get the caution line).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVAL = ROOT / "tests" / "eval"
ORDER = [EVAL / "triage_narratives.yaml", EVAL / "triage_narratives_fresh.yaml", EVAL / "triage_narratives_fresh3.yaml"]
KEEP_RECALL = (0.90, 0.95, 0.98)  # shares of training red flags the threshold keeps


def features(embedder, texts: list[str]) -> np.ndarray:
    import pysbd

    splitter = pysbd.Segmenter(language="en", clean=False)
    whole = embedder.embed(texts)
    pooled = []
    for text in texts:
        sentences = [s.strip() for s in splitter.segment(text) if s.strip()] or [text]
        pooled.append(embedder.embed(sentences).max(axis=0))
    return np.hstack([whole, np.vstack(pooled)])


def thresholds_for(x: np.ndarray, y: np.ndarray) -> dict[float, float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    scores = cross_val_predict(LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced"), x, y, cv=5,
                               method="predict_proba")[:, 1]
    red = np.sort(scores[y == 1])
    return {keep: float(red[int(np.floor((1 - keep) * len(red)))]) for keep in KEEP_RECALL}


def line(label: str, cases, called: np.ndarray) -> str:
    levels = np.array([case.level for case in cases])
    parts = [f"{level} {int(called[levels == level].sum())}/{int((levels == level).sum())}"
             for level in ("emergency", "urgent")]
    calm = levels == "none"
    return f"  {label:<44} " + ", ".join(parts) + f", everyday/none flagged {int(called[calm].sum())}/{int(calm.sum())}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "data" / "chroma")
    args = parser.parse_args()

    from dataclasses import replace

    from sklearn.linear_model import LogisticRegression

    from assistant.answer.pipeline import Assistant
    from assistant.config import Settings
    from assistant.evaluate.triage import load_narratives

    assistant = Assistant.from_settings(replace(Settings.from_env(), store_dir=args.store))
    sets = [load_narratives(path) for path in ORDER]
    x = [features(assistant.triager.embedder, [case.text for case in cases]) for cases in sets]
    y = [np.array([case.level != "none" for case in cases], dtype=int) for cases in sets]
    print(f"features: {x[0].shape[1]} per story\n")
    for test in (1, 2):
        train_x, train_y = np.vstack(x[:test]), np.concatenate(y[:test])
        cuts = thresholds_for(train_x, train_y)
        model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(train_x, train_y)
        scores = model.predict_proba(x[test])[:, 1]
        by_rules = np.array([assistant.triager.check(case.text)[0].level in ("urgent", "emergency")
                             for case in sets[test]])
        print(f"trained on {int(len(train_y))} stories ({int(train_y.sum())} red); tested on {ORDER[test].name}")
        print(line("rules today", sets[test], by_rules))
        for keep, cut in cuts.items():
            by_model = scores >= cut
            print(line(f"classifier, keep {keep:.0%} (threshold {cut:.2f})", sets[test], by_model))
            print(line(f"rules OR classifier, keep {keep:.0%}", sets[test], by_rules | by_model))
        print()


if __name__ == "__main__":
    main()
