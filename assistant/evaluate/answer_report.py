"""The text report of the key-fact, baseline and follow-up figures (`python -m assistant eval`).

Only the listed (dev) split gets question-by-question lines; the test split is held back and
shown as numbers (its rows carry no lists to show).
"""
from __future__ import annotations


def format_answer_sections(result: dict) -> str:
    lines: list[str] = []
    if "key_facts" in result:
        lines += _key_facts(result["key_facts"], result.get("baseline", {}))
    if "follow_up" in result:
        lines += [""] * bool(lines) + _follow_up(result["follow_up"])
    return "\n".join(lines)


def _key_facts(assistant: dict, baseline: dict) -> list[str]:
    base = baseline.get("splits", {})
    lines = ["Key facts (the expected article cited first and at least half its key phrases in the answer;"
             " refused = no citations)",
             f"{'split':<7}{'who':<11}{'answerable':>11}{'key fact':>10}{'right 1st':>10}{'refused':>9}"
             f"{'uncovered':>11}{'no_match':>10}{'refused':>9}"]
    for split, row in assistant.items():
        for who, figures in (("assistant", row), ("baseline", base.get(split))):
            if figures:
                lines.append(
                    f"{split:<7}{who:<11}{figures['answerable']:>11}{_f(figures['key_fact_rate']):>10}"
                    f"{_f(figures['right_first_rate']):>10}{_f(figures['answerable_refused_rate']):>9}"
                    f"{figures['uncovered']:>11}{_f(figures['uncovered_no_match_rate']):>10}"
                    f"{_f(figures['uncovered_refused_rate']):>9}")
    if baseline:
        lines.append(f"baseline: the single nearest chunk of {baseline['splitter']} over each article"
                     f" ({baseline['chunks']} chunks), cited to its article; it never refuses")
    for split, row in assistant.items():
        lines.append(f"[{split}] two articles cited in {row['two_articles']}/{row['answered']} answers,"
                     f" the second one right in {row['second_right']}/{row['two_articles']};"
                     f" \"is it\" questions refused: {row['is_it_refused']}/{row['is_it']}")
    lines += _by_aspect(assistant, base)
    for split, row in assistant.items():
        if "misses" in row:
            lines += _misses(split, row)
    return lines


def _by_aspect(assistant: dict, base: dict) -> list[str]:
    aspects = sorted({a for row in assistant.values() for a in row["by_aspect"]})
    head = "".join(f"{f'{split}: n':>9}{'assistant':>10}{'baseline':>9}" for split in assistant)
    lines = ["", f"{'key-fact rate by aspect':<24}{head}"]
    for aspect in aspects:
        cells = ""
        for split, row in assistant.items():
            mine = row["by_aspect"].get(aspect, {"n": 0, "key_fact_rate": None})
            theirs = base.get(split, {}).get("by_aspect", {}).get(aspect, {}).get("key_fact_rate")
            cells += f"{mine['n']:>9}{_f(mine['key_fact_rate']):>10}{_f(theirs):>9}"
        lines.append(f"  {aspect:<22}{cells}")
    return lines


def _misses(split: str, row: dict) -> list[str]:
    lines = ["", f"Key-fact misses [{split}] (question: expected, cited, key phrases missing)"]
    for miss in row["misses"]:
        expected = miss["expected"] or "nothing (uncovered)"
        lines.append(f"  ✗ {miss['q']!r}: expected {expected}, cited {miss['cited']}"
                     + (f", missing {miss['missing']}" if miss["missing"] else ""))
    if row["is_it_refused_questions"]:
        lines.append(f"\"Is it\" questions refused [{split}]:")
        lines += [f"  ✗ {q!r}" for q in row["is_it_refused_questions"]]
    return lines


def _follow_up(figures: dict) -> list[str]:
    lines = ["Follow-ups (the second turn, asked with the first as history, cites second_article first)",
             f"{'split':<7}{'n':>5}{'right 1st':>11}{'same topic':>16}{'switching':>16}{'key fact':>16}"]
    for split, row in figures.items():
        same, switching = row["same_topic"], row["switching"]
        lines.append(f"{split:<7}{row['n']:>5}{_f(row['right_first_rate']):>11}"
                     f"{_of(same['right_first'], same['n']):>16}{_of(switching['right_first'], switching['n']):>16}"
                     f"{_of(row['key_fact'], row['with_key_phrases']):>16}")
    for split, row in figures.items():
        if row.get("misses"):
            lines += ["", f"Follow-up misses [{split}]"]
            for miss in row["misses"]:
                first, second = miss["turns"]
                lines.append(f"  ✗ {first!r} → {second!r}: expected {miss['expected']}, cited {miss['cited']}"
                             + (f", missing {miss['missing']}" if miss["missing"] else ""))
    return lines


def _of(part: int, whole: int) -> str:
    return f"{part}/{whole}" + (f" ({_f(part / whole)})" if whole else "")


def _f(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"
