"""Every spent answer set at once: the figures a session quotes for "the spent sets".

    make eval-heldback                       # builds data/eval-heldback (all posts of all rounds)
    .venv/bin/python bench/spent_sets.py [--skip fresh28] [--misses FILE]

Asks every question of tests/eval/realistic/ (questions.yaml, fresh.yaml and each freshN/) and both
turns of each conversation, on the eval-heldback store, judged as `python -m assistant eval` judges
them (assistant/evaluate/keyfacts.py): key facts, right article first, answerable refused,
uncovered `no_match`, follow-ups right first. One line per set, then the totals. `--skip` leaves
out a round not yet run (a held-back set must stay unread); `--misses` writes one line per miss,
for reading what went wrong. Each of these sets is spent: a figure here says what a change does on
material already tuned on, never how the assistant does on new material.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIELDS = ("n", "kf", "rf", "refused", "unc", "nm", "conv", "conv_ok")


def sets(skip: set[str]) -> list[Path]:
    realistic = ROOT / "tests" / "eval" / "realistic"
    rounds = sorted((d for d in realistic.glob("fresh*") if d.is_dir() and d.name not in skip),
                    key=lambda d: int(d.name[5:] or 0))
    return [realistic] + rounds


def measure(assistant, folder: Path, misses: list[str]) -> dict:
    from assistant.evaluate.conversations import load_conversations
    from assistant.evaluate.keyfacts import judge, reply_from_answer
    from assistant.evaluate.retrieval import load_questions

    row = dict.fromkeys(FIELDS, 0)
    names = ("questions.yaml", "fresh.yaml") if folder.name == "realistic" else ("questions.yaml",)
    for question in (q for name in names if (folder / name).exists() for q in load_questions(folder / name)):
        answer = assistant.ask(question.text)
        verdict = judge(question.article, question.key_phrases, reply_from_answer(answer))
        if question.article is None:
            row["unc"] += 1
            row["nm"] += verdict.no_match
            if not verdict.no_match:
                misses.append(f"UNC {folder.name}: {question.text} -> {answer.status} {verdict.cited}")
            continue
        row["n"] += 1
        row["kf"] += verdict.key_fact
        row["rf"] += verdict.right_first
        row["refused"] += verdict.refused
        if not verdict.key_fact:
            misses.append(f"KF {folder.name}: {question.text} exp {question.article} got {verdict.cited}"
                          f" missing {verdict.missing}")
    if (folder / "conversations.yaml").exists():
        for talk in load_conversations(folder / "conversations.yaml"):
            first = assistant.ask(talk.first)
            second = assistant.ask(talk.second, [(talk.first, first.answer)])
            verdict = judge(talk.second_article, talk.key_phrases, reply_from_answer(second))
            row["conv"] += 1
            row["conv_ok"] += verdict.right_first
            if not verdict.right_first:
                misses.append(f"CONV {folder.name}: {talk.first} || {talk.second} exp {talk.second_article}"
                              f" got {verdict.cited}")
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(ROOT / "data" / "eval-heldback" / "store"))
    parser.add_argument("--knowledge", default=str(ROOT / "data" / "eval-heldback" / "knowledge"))
    parser.add_argument("--skip", action="append", default=[], help="a freshN folder to leave out (repeatable)")
    parser.add_argument("--misses", help="write one line per miss to this file")
    args = parser.parse_args()

    from assistant.answer.pipeline import Assistant
    from assistant.config import Settings, go_offline

    go_offline()
    assistant = Assistant.from_settings(Settings.from_env(store_dir=args.store, knowledge_dir=args.knowledge))
    totals, misses = dict.fromkeys(FIELDS, 0), []
    for folder in sets(set(args.skip)):
        row = measure(assistant, folder, misses)
        totals = {key: totals[key] + row[key] for key in FIELDS}
        print(folder.name, " ".join(f"{key} {row[key]}" for key in FIELDS), flush=True)
    print("TOTAL", " ".join(f"{key} {totals[key]}" for key in FIELDS))
    print("(n answerable; kf key facts; rf right article first; refused answerable with no citations;"
          " unc uncovered; nm uncovered answered no_match; conv follow-ups; conv_ok right first)")
    if args.misses:
        Path(args.misses).write_text("\n".join(misses) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
