"""A trial, not product code (issue 12): would a learned block ranker, or a learned "not covered"
beside the rules, do better than the hand rules on question sets they were not fitted on?

    HF_HUB_OFFLINE=1 .venv/bin/python bench/fit_learned.py [--store DIR]

Builds (incrementally) the store each set was written for (in data/fit-learned/, gitignored):
knowledge/ for the house set, plus tests/eval/realistic/articles for realistic and fresh, plus
fresh2/articles for fresh2, plus fresh3/articles for fresh3. Asks every question of the five
labelled sets once with the rules, recording each question's candidate blocks and their features
(Assistant.observe; bench/learned_features.py). Then, for each set in the order they were
written: fit on the other four, answer the left-out set, and print its figures with the rules,
with the learned ranker in place of the rules' choice of article and block (Assistant.ranker), and
with the learned "not covered" refusing what the rules let through. Last, the weights fitted on
all five sets (standardised: comparable across features).

- Ranker: pairwise logistic regression (RankSVM's logistic form; Herbrich et al. 2000, Joachims
  2002) on BLOCK_FEATURES, standardised, no intercept; each question's pairs weigh 1 in
  all. Label of a block: the answer that leads with it carries the key facts (the expected article
  first and half its key phrases; the house set, tests/eval/questions.yaml, has no key phrases:
  there, the expected article first). Found by answering with each block forced to lead.
- "Not covered": logistic regression on QUESTION_FEATURES, answerable against `article:
  null`, classes balanced. Threshold: the REFUSE_SHARE quantile of the answerable questions'
  out-of-set probabilities (each training set scored by a model fitted on the other training
  sets; in-sample probabilities are too confident). It only refuses what the rules let through.
Deterministic: lbfgs, fixed order, no sampling, PYTHONHASHSEED=0 (re-executes itself).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# bench/ is on the path as this script's folder; learned_features imports the assistant.
from learned_features import (  # noqa: E402
    BLOCK_FEATURES,
    QUESTION_FEATURES,
    Linear,
    block_table,
    question_row,
)

EVAL = ROOT / "tests" / "eval"
SETS = (  # in the order they were written
    ("realistic", EVAL / "realistic" / "questions.yaml"),
    ("fresh", EVAL / "realistic" / "fresh.yaml"),
    ("fresh2", EVAL / "realistic" / "fresh2" / "questions.yaml"),
    ("fresh3", EVAL / "realistic" / "fresh3" / "questions.yaml"),
    # The house set: expected articles only (no key phrases), so its labels are article-level:
    # the answer leading with a block cites the expected article first.
    ("house", EVAL / "questions.yaml"),
)
# Each set is asked of the store it was written for: a question marked `article: null` when its set
# was written may be answered by a post added later (the house set's "black toenail ... should i
# drain it" by black-toenails.md), and would count as a false "covered" there.
ARTICLES = (ROOT / "knowledge", EVAL / "realistic" / "articles", EVAL / "realistic" / "fresh2" / "articles",
            EVAL / "realistic" / "fresh3" / "articles")
STORE_OF = {"house": 1, "realistic": 2, "fresh": 2, "fresh2": 3, "fresh3": 4}  # how many of ARTICLES
# Target: answerable refused <= 0.05, and the rules and triage already refuse 0-5% (issue 12).
# Of 0.01 / 0.02 / 0.03 (tried on an earlier version of the features), the higher two added
# answerable refusals on the sets left out.
REFUSE_SHARE = 0.01
LABELS: dict = {}  # (set, question index) -> outcome per candidate block (label_all)
C = 1.0  # inverse regularisation strength (scikit-learn's default)


def build_store(folder: Path, sources) -> Path:
    """The `sources` folders' articles copied into `folder`/knowledge (rebuilt so no stale copy),
    ingested into `folder`/store (incremental: unchanged articles are skipped)."""
    knowledge = folder / "knowledge"
    shutil.rmtree(knowledge, ignore_errors=True)
    knowledge.mkdir(parents=True)
    for source in sources:
        for path in sorted(source.glob("*.*")):
            shutil.copy(path, knowledge / path.name)
    subprocess.run([sys.executable, str(ROOT / "ingest.py"), "--knowledge", str(knowledge), "--store",
                    str(folder / "store"), "--json"], check=True, stdout=subprocess.DEVNULL)
    return folder


def record(assistant, questions) -> list:
    """Per question: (its BlockTable or None when the answer step was not reached, rules' answer)."""
    out = []
    for question in questions:
        seen: list = []
        assistant.observe = lambda *handed, seen=seen: seen.append(block_table(assistant, *handed))
        answer = assistant.ask(question.text)
        assistant.observe = None
        out.append((seen[-1] if seen else None, answer))
    return out


class Ranked:
    """compose's `ranker` seam: the lead block by a scoring of the question's feature rows."""

    def __init__(self, assistant, score):
        self.assistant, self.score = assistant, score

    def __call__(self, asked, ranked, candidates, hits) -> dict:
        table = block_table(self.assistant, asked, ranked, candidates, hits)
        return dict(zip(table.keys, self.score(table).tolist()))


def forced(key):
    """A scoring that puts the block `key` first (its article's other blocks next, so that article
    leads even when the block's own section was only added for the aspect)."""
    def score(table) -> np.ndarray:
        return np.array([2.0 if k == key else 1.0 if k.source == key.source else 0.0 for k in table.keys])
    return score


def outcomes(assistant, question, table) -> np.ndarray:
    """Label per candidate block: the answer that leads with it carries the key facts (the
    expected article first and half its key phrases; for the house set, which has no key
    phrases, the expected article first). What the metric counts, so blocks that lead into a
    section whose later blocks hold the facts count as right."""
    from assistant.evaluate.keyfacts import judge, reply_from_answer

    out = []
    for key in table.keys:
        assistant.ranker = Ranked(assistant, forced(key))
        answer = assistant.ask(question.text)
        out.append(judge(question.article, question.key_phrases, reply_from_answer(answer)).key_fact)
    assistant.ranker = None
    return np.array(out, dtype=bool)


def label_all(assistant_of: dict, recorded: dict, cache: Path) -> dict:
    """{(set, question index): labels}, cached in `cache` while the candidate blocks stay the same."""
    known = json.loads(cache.read_text()) if cache.is_file() else {}
    out, fresh = {}, {}
    for name, pairs in recorded.items():
        for i, (question, (table, _)) in enumerate(pairs):
            if table is None or not question.article:
                continue
            tag = f"{name}/{i}/{question.text}/" + "|".join(f"{k.source}:{k.section}:{k.block}" for k in table.keys)
            got = known.get(tag)
            if got is None:
                got = outcomes(assistant_of[name], question, table).tolist()
            fresh[tag] = got
            out[(name, i)] = np.array(got, dtype=bool)
    cache.write_text(json.dumps(fresh))
    return out


def fit_ranker(items):
    """items: (table, labels) pairs -> Linear."""
    from sklearn.linear_model import LogisticRegression

    rows = np.vstack([t.rows for t, _ in items])
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale == 0] = 1.0
    x, w = [], []
    for table, y in items:
        if not y.any() or y.all():
            continue
        z = (table.rows - mean) / scale
        diffs = (z[y][:, None, :] - z[~y][None, :, :]).reshape(-1, z.shape[1])
        x.append(diffs)
        w.append(np.full(len(diffs), 1.0 / len(diffs)))
    x, w = np.vstack(x), np.concatenate(w)
    model = LogisticRegression(C=C, fit_intercept=False, max_iter=5000)
    model.fit(np.vstack([x, -x]), np.r_[np.ones(len(x)), np.zeros(len(x))], sample_weight=np.r_[w, w])
    return Linear(BLOCK_FEATURES, mean, scale, model.coef_[0], 0.0)


def training(recorded: dict, names) -> tuple[list, list]:
    """(ranker items: (table, labels), coverage items: (table, answerable)) of the sets `names`."""
    ranked, covered = [], []
    for name in names:
        for i, (question, (table, _)) in enumerate(recorded[name]):
            if table is None:
                continue
            covered.append((table, bool(question.article)))
            if question.article:
                ranked.append((table, LABELS[(name, i)]))
    return ranked, covered


def fit_coverage(items):
    """items: (table, answerable) pairs -> Linear."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([question_row(t) for t, _ in items])
    y = np.array([a for _, a in items], dtype=int)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit((x - mean) / scale, y)
    return Linear(QUESTION_FEATURES, mean, scale, model.coef_[0], float(model.intercept_[0]))


def fit_not_covered(recorded: dict, names) -> tuple[Linear, float]:
    """The "not covered" model on the sets `names`, and its threshold from out-of-set probabilities."""
    held = []
    for inner in names:
        model = fit_coverage(training(recorded, [n for n in names if n != inner])[1])
        rows = [question_row(t) for t, answerable in training(recorded, [inner])[1] if answerable]
        held.append(1.0 / (1.0 + np.exp(-model.score(np.vstack(rows)))))
    return fit_coverage(training(recorded, names)[1]), float(np.quantile(np.concatenate(held), REFUSE_SHARE))


NOT_COVERED = SimpleNamespace(status="no_match", answer="", citations=())


def with_not_covered(pairs, model: Linear, threshold: float) -> list:
    """The rules' answers, each question the model refuses turned into "not covered" (it decides
    after the rules and changes nothing else, so the answers need not be asked again)."""
    return [answer if table is None or answer.status == "no_match" or
            1.0 / (1.0 + np.exp(-model.score(question_row(table)[None, :])[0])) >= threshold else NOT_COVERED
            for _, (table, answer) in pairs]


def figures(questions, answers) -> dict:
    from assistant.evaluate.keyfacts import judge, reply_from_answer

    verdicts = [judge(q.article, q.key_phrases, reply_from_answer(a)) for q, a in zip(questions, answers)]
    answerable = [v for q, v in zip(questions, verdicts) if q.article]
    uncovered = [v for q, v in zip(questions, verdicts) if not q.article]
    return {"n": len(answerable), "key_facts": _share(sum(v.key_fact for v in answerable), len(answerable)),
            "right_first": _share(sum(v.right_first for v in answerable), len(answerable)),
            "refused": _share(sum(v.refused for v in answerable), len(answerable)),
            "uncovered": f"{sum(v.no_match for v in uncovered)}/{len(uncovered)}"}


def _share(k: int, n: int) -> float:
    return round(k / n, 3) if n else 0.0


def row(label: str, f: dict) -> str:
    return (f"{label:<24} {f['n']:>4} {f['key_facts']:>9.3f} {f['right_first']:>11.3f} {f['refused']:>8.3f}"
            f" {f['uncovered']:>10}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", default=str(ROOT / "data" / "fit-learned"), help="folder to build the stores in")
    args = parser.parse_args()
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Deterministic: the lexical index's misspelling lookup breaks ties in set order, which
        # follows the hash seed (the house figures moved by a question between runs without it).
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from assistant.answer.pipeline import Assistant
    from assistant.config import Settings, go_offline
    from assistant.evaluate.retrieval import load_questions

    go_offline()
    assistants = {}
    for count in sorted(set(STORE_OF.values())):
        folder = build_store(Path(args.store) / f"articles-{count}", ARTICLES[:count])
        assistants[count] = Assistant.from_settings(Settings.from_env(store_dir=str(folder / "store"),
                                                                      knowledge_dir=str(folder / "knowledge")))
    assistant_of = {name: assistants[count] for name, count in STORE_OF.items()}
    sets = {name: load_questions(path) for name, path in SETS}
    for name, questions in sets.items():
        assistant_of[name].ask(questions[0].text)  # warm
    recorded = {name: list(zip(qs, record(assistant_of[name], qs))) for name, qs in sets.items()}
    LABELS.update(label_all(assistant_of, recorded, Path(args.store) / "outcomes.json"))
    print(f"{'left-out set':<24} {'n':>4} {'key facts':>9} {'right first':>11} {'refused':>8} {'uncovered':>10}")
    for name, questions in sets.items():
        rest, assistant = [n for n in sets if n != name], assistant_of[name]
        print(row(f"{name}: rules", figures(questions, [answer for _, (_, answer) in recorded[name]])))
        ranker = fit_ranker(training(recorded, rest)[0])
        assistant.ranker = Ranked(assistant, lambda table, ranker=ranker: ranker.score(table.rows))
        print(row("  learned ranker", figures(questions, [assistant.ask(q.text) for q in questions])))
        assistant.ranker = None
        print(row("  rules + learned cover", figures(questions, with_not_covered(recorded[name],
                                                                                 *fit_not_covered(recorded, rest)))))
    model, threshold = fit_not_covered(recorded, list(sets))
    print("not-covered weights:", json.dumps(dict(zip(model.names, model.coef.round(3)))), "threshold",
          round(threshold, 3))
    ranker = fit_ranker(training(recorded, list(sets))[0])
    print("ranker weights:", json.dumps(dict(zip(ranker.names, ranker.coef.round(3)))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
