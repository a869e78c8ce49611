"""Fit the learned triage net (assistant/answer/triage_net.py) and say honestly what it does.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/triage_net_fit.py [--write]

Replaces bench/triage_learned_trial.py (round 3's trial: 25-33 % of unseen everyday stories
flagged, because the spent sets hold few everyday stories that sound like red flags).

Every story goes through the real Triager (`Triager.look`: the rules' verdict and the features the
product computes from its one model call). Two scikit-learn logistic regressions (red = urgent or
emergency; emergency), class-balanced, deterministic. Thresholds come from out-of-group scores
of the TRAINING stories only (each set, or round of a set, scored by heads fitted on the others): `raise_at` the lowest red score at which everyday false
alarms stay <= 3 %, `caution_at` the lowest at which the net's own caution lines stay <= 5 %
(the rules give 5-9 % of their own on unseen sets; the issue allows 15 % in all), `emergency_at`
the lowest emergency score that sends <= 10 % of the urgent red flags to emergency, and C from
{0.25, 1, 4} by the net's out-of-fold recall of the training red flags at `raise_at` (the rules
miss none of them: every spent set was tuned on).

Leave-one-set-out, in the order the sets were written (no test story is ever fitted on):
  fit on triage.yaml + triage_narratives.yaml (+ training file)          -> test triage_narratives_fresh.yaml
  fit on those + triage_narratives_fresh.yaml                            -> test triage_narratives_fresh3.yaml
  ... and so on through triage_narratives_fresh11.yaml (round 11); the answer sets' questions join as
  negatives from the rounds before the left-out one's (ANSWER_SETS).
Each left-out set is also scored by the net file as it is (`rules+shipped net`, before any
`--write`; "unseen" when its `fitted_on` does not name the set), and a summary table at the end
gives, per set, the rules alone, that net and the refit, with totals over rounds 5-11 (the sets
written after the net's first fit, 924f2b1: a clean look at the shipped net).
The training file (tests/eval/triage_training.yaml) was written AFTER both fresh sets were spent,
by a tuner who had been told their hardest misses, so it is not as clean as the spent sets
written before each left-out one. Hence three nets per fold:
  spent only           the sets written before, nothing else (clean)
  + hard negatives     plus the training file's everyday stories not marked `echoes_spent`
                       (written from real posts, not from the left-out sets; clean enough)
  + training file      plus all of it (its red flags follow the left-out sets' miss classes:
                       optimistic)
`--write` fits the last kind on everything and writes assistant/answer/triage_net.json.
Features are cached in data/net13-features.npz (gitignored; delete it after changing the Triager).
With rounds 12-16 spent too (2026-12-01; WRITTEN_IN_ORDER and ANSWER_SETS through 16, today's
triage.yaml), totals over rounds 5-16 (340 emergency, 335 urgent red flags, 705 everyday):
  rules alone                 emergency 322, urgent 321, alarms  6, cautions 28
  shipped net (fitted <= 4)   emergency 340, urgent 334, alarms 12, cautions 76
  refit, each round left out  emergency 340, urgent 334, alarms 34, cautions 67
The shipped net still earns its place on twelve rounds it never saw (18 emergencies and 13 urgent
stories the rules alone miss, though the rules were tuned on those rounds), and a refit on more
rounds catches nothing more and raises three times the alarms: not written.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVAL = ROOT / "tests" / "eval"
ONE_LINERS = EVAL / "triage.yaml"
# Round 1 is triage_narratives.yaml, round 2 _fresh, round 3 _fresh3, then round n _fresh<n> (rounds
# 5-11 written by separate writers after the net's first fit, each spent at its one held-back run).
WRITTEN_IN_ORDER = [EVAL / "triage_narratives.yaml", EVAL / "triage_narratives_fresh.yaml",
                    *(EVAL / f"triage_narratives_fresh{n}.yaml" for n in range(3, 12))]
# The answer sets' questions: runners asking about an injury, none a red flag (their writers left
# those to the triage sets). Round 4's net, fitted on stories alone, sent three of them to the
# emergency department ("pain sits right on the upper edge of my knee cap, stairs going down are way
# worse"; "is this piriformis or sciatica from my back?? pain ... down past my knee into my calf"),
# so they join as everyday negatives, the ones the rules see no red flag in (a question the rules
# flag, "could this be a stress fracture, it hurts at night", is no clean negative). Keyed by the
# round each was written in, so a left-out triage set is fitted only on questions written before it.
REALISTIC = EVAL / "realistic"
ANSWER_SETS = {EVAL / "questions.yaml": 1, REALISTIC / "questions.yaml": 1, REALISTIC / "fresh.yaml": 2,
               REALISTIC / "fresh2" / "questions.yaml": 2,
               **{REALISTIC / f"fresh{n}" / "questions.yaml": n for n in range(3, 12)}}
ROUND_OF = {path.name: k + 1 for k, path in enumerate(WRITTEN_IN_ORDER)}
TRAINING = EVAL / "triage_training.yaml"
CACHE = ROOT / "data" / "net13-features.npz"
MAX_FALSE_ALARMS = 0.03  # the issue allows 5 %; 3 % on training folds leaves room for unseen stories
# The net's OWN caution lines, on top of the rules' (which gave 9 % and 5 % of the everyday stories
# of the two fresh sets at their one held-back run, README): the issue allows 15 % in all.
MAX_NET_CAUTIONS = 0.05
# A raised urgent story sent to the emergency department instead: "call 911" for a broken finger
# (round 4's first fit, choosing the cut by Youden's J, sent a collarbone there as a head injury).
MAX_UPGRADED = 0.10
C_GRID = (0.25, 1.0, 4.0)
CITE_AT = 0.40  # a rule is named when some clause is at least this close to one of its examples
# The net reads stories only: messages of at least this many words (the eval's shortest length bucket
# is <= 20 words; see TriageNet.decide for the short questions it got wrong).
MIN_WORDS = 21
LEVELS = ("emergency", "urgent")
RED = set(LEVELS)


@dataclass(frozen=True)
class Story:
    text: str
    level: str  # expected: emergency | urgent | none
    source: str  # the set's file name
    kind: str  # narrative kind, or the one-liner group
    rules: tuple[str, ...]
    echoes_spent: bool = False
    group: str = ""  # who wrote it when: the file, and its split where a file grew in rounds


def stories() -> list[Story]:
    import yaml

    from assistant.evaluate.triage import load_cases, load_narratives

    out = [Story(c.text, c.level, ONE_LINERS.name, c.group, c.rules, group=ONE_LINERS.name)
           for c in load_cases(ONE_LINERS)]
    for path in WRITTEN_IN_ORDER:
        out += [Story(c.text, c.level, path.name, c.kind or "?", c.rules, group=f"{path.name}:{c.split}")
                for c in load_narratives(path)]
    echoes = {item["id"] for item in yaml.safe_load(TRAINING.read_text(encoding="utf-8"))["narratives"]
              if item.get("echoes_spent")}
    out += [Story(c.text, c.level, TRAINING.name, c.kind or "?", c.rules, c.id in echoes, TRAINING.name)
            for c in load_narratives(TRAINING)]
    for path in ANSWER_SETS:
        name = str(path.relative_to(EVAL))
        out += [Story(q["q"], "none", name, "question", (), group=name)
                for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]
    return out


def question_set(case: Story) -> bool:
    return case.kind == "question"


def looks(triager, texts: list[str], rule_ids: list[str]):
    """(features, rules' level, rules' rule, best similarity per red-flag rule, best lead over the
    nearest look-alike per red-flag rule) per text, cached."""
    key = hashlib.sha256(json.dumps([texts, rule_ids, triager.embedder.name]).encode()
                         + (ROOT / "knowledge" / "triage.yaml").read_bytes()
                         + (ROOT / "assistant" / "answer" / "triage.py").read_bytes()
                         + (ROOT / "assistant" / "answer" / "triage_text.py").read_bytes()).hexdigest()
    if CACHE.exists():
        cached = np.load(CACHE, allow_pickle=False)
        if str(cached["key"]) == key:
            return cached["x"], list(cached["level"]), list(cached["rule"]), cached["near"], cached["lead"]
    x, level, rule, near, lead = [], [], [], [], []
    for text in texts:
        look = triager.look(text)
        x.append(look.features)
        level.append(look.by_rules.level)
        rule.append(look.by_rules.rule or "")
        near.append([max((c.similarity for c in look.closeness.get(r, ())), default=-1.0) for r in rule_ids])
        lead.append([max((c.similarity - c.lookalike for c in look.closeness.get(r, ())), default=-1.0)
                     for r in rule_ids])
    x, near, lead = np.vstack(x), np.array(near), np.array(lead)
    CACHE.parent.mkdir(exist_ok=True)
    np.savez(CACHE, key=key, x=x, level=np.array(level), rule=np.array(rule), near=near, lead=lead)
    return x, level, rule, near, lead


# ---------------------------------------------------------------------------- fitting

def fit_head(x, y, c):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)


def out_of_group(x, y_red, y_em, c, groups):
    """Each training group's scores from heads fitted on the other groups. Groups are sets written
    at different times by different writers: random folds mix a writer's stories into both sides
    and flatter the net (round 4's first try: thresholds from 5-fold scores let 9 % of the next
    set's everyday stories through, where 3 % was meant)."""
    red, em = np.zeros(len(x)), np.zeros(len(x))
    for group in sorted(set(groups)):
        test = np.array([g == group for g in groups])
        red[test] = fit_head(x[~test], y_red[~test], c).predict_proba(x[test])[:, 1]
        em[test] = fit_head(x[~test], y_em[~test], c).predict_proba(x[test])[:, 1]
    return red, em


def thresholds(red, em, levels, rules_level, calm_story):
    """raise_at, caution_at, emergency_at from out-of-fold scores (see the module docstring)."""
    calm = calm_story & np.array([lv not in RED for lv in rules_level])
    budget = MAX_FALSE_ALARMS * calm_story.sum() - sum(calm_story & np.array([lv in RED for lv in rules_level]))
    scores = np.sort(red[calm])[::-1]
    k = int(np.floor(max(budget, 0)))  # this many calm stories may be raised
    raise_at = float(np.nextafter(scores[k], 1)) if k < len(scores) else 0.0
    already = calm & np.array([lv == "caution" for lv in rules_level])
    room = int(np.floor(MAX_NET_CAUTIONS * calm_story.sum()))
    candidates = np.sort(red[calm & ~already & (red < raise_at)])[::-1]
    caution_at = float(np.nextafter(candidates[room], 1)) if 0 <= room < len(candidates) else raise_at
    urgent = np.sort(em[np.array([lv == "urgent" for lv in levels])])[::-1]
    k = int(np.floor(MAX_UPGRADED * len(urgent)))
    emergency_at = float(np.nextafter(urgent[k], 1)) if k < len(urgent) else 0.5
    return raise_at, min(caution_at, raise_at), emergency_at


def train(x, levels, rules_level, calm_story, groups):
    y_red = np.array([lv in RED for lv in levels], dtype=int)
    y_em = np.array([lv == "emergency" for lv in levels], dtype=int)
    best = None
    for c in C_GRID:
        red, em = out_of_group(x, y_red, y_em, c, groups)
        cuts = thresholds(red, em, levels, rules_level, calm_story)
        # The net's own recall at its raise threshold. (Not the recall of the red flags the rules
        # miss: on the spent sets they miss none, every one of them was tuned on.)
        recall = float((red[y_red == 1] >= cuts[0]).mean())
        if best is None or recall > best[0]:
            best = (recall, c, cuts)
    _, c, (raise_at, caution_at, emergency_at) = best
    return c, fit_head(x, y_red, c), fit_head(x, y_em, c), raise_at, caution_at, emergency_at


def as_net(model_name, c, red, em, raise_at, caution_at, emergency_at):
    from assistant.answer.triage_net import Head, TriageNet

    return TriageNet(model=model_name, red=Head(red.coef_[0].astype(np.float64), float(red.intercept_[0])),
                     emergency=Head(em.coef_[0].astype(np.float64), float(em.intercept_[0])),
                     raise_at=raise_at, emergency_at=emergency_at, caution_at=caution_at, cite_at=CITE_AT,
                     min_words=MIN_WORDS)


# ---------------------------------------------------------------------------- measuring

def decide_all(net, rules, x, rules_level, rules_rule, near, rule_ids, words):
    from assistant.answer.triage import Closeness
    from assistant.schema import Triage

    out = []
    for i in range(len(x)):
        by_rules = Triage(level=rules_level[i], rule=rules_rule[i] or None)
        if net is None:
            out.append(by_rules)
            continue
        closeness = {r: (Closeness(float(near[i, k]), 0.0, 0.0),) for k, r in enumerate(rule_ids)}
        out.append(net.decide(by_rules, x[i], rules, closeness, words[i]))
    return out


def report(label, cases, got):
    from assistant.evaluate.narratives import LENGTHS, caught, length_bucket

    def row(chosen):
        parts = []
        for level in LEVELS:
            idx = [i for i in chosen if cases[i].level == level]
            parts.append(f"{level[:3]} {sum(caught(level, got[i].level) for i in idx):>2}/{len(idx):<2}")
        calm = [i for i in chosen if cases[i].level == "none"]
        alarms = sum(got[i].level in RED for i in calm)
        cautions = sum(got[i].level == "caution" for i in calm)
        return ", ".join(parts) + (f", alarms {alarms:>2}/{len(calm):<2} ({alarms / max(len(calm), 1):4.0%})"
                                   f", caution {cautions:>2}/{len(calm):<2} ({cautions / max(len(calm), 1):4.0%})")

    everything = list(range(len(cases)))
    print(f"  {label:<22} {row(everything)}")
    for name, _ in LENGTHS:
        print(f"  {'':<10}{name + ' words':<12} {row([i for i in everything if length_bucket(cases[i].text) == name])}")
    flags = [i for i in everything if cases[i].level in RED and got[i].by_net and cases[i].rules]
    if flags:
        right = sum(got[i].rule in cases[i].rules for i in flags)
        unnamed = sum(got[i].rule is None for i in flags)
        print(f"  {'':<10}raised by the net: {len(flags)} red flags, cited the set's rule {right}, no rule {unnamed}")


def tally(cases, got):
    """(emergency caught, of, urgent caught, of, everyday raised, everyday caution lines, everyday)."""
    from assistant.evaluate.narratives import caught

    out = []
    for level in LEVELS:
        idx = [i for i in range(len(cases)) if cases[i].level == level]
        out += [sum(caught(level, got[i].level) for i in idx), len(idx)]
    calm = [i for i in range(len(cases)) if cases[i].level == "none"]
    return (*out, sum(got[i].level in RED for i in calm), sum(got[i].level == "caution" for i in calm), len(calm))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write assistant/answer/triage_net.json")
    parser.add_argument("--misses", action="store_true", help="list the left-out sets' misses and alarms")
    args = parser.parse_args()

    from assistant.answer.triage import Triager, load_rules
    from assistant.answer.triage_net import NET_FILE, load_net
    from assistant.config import Settings, go_offline

    go_offline()
    from assistant.embed import load_embedder

    rules = load_rules(Settings().triage_file)
    embedder = load_embedder()
    triager = Triager(rules, embedder)  # rules only: the net's inputs and the rules' own verdict
    shipped = load_net(NET_FILE)  # the net as it is now, before any --write (its fitted_on says which sets)
    shipped_on = set(json.loads(NET_FILE.read_text(encoding="utf-8")).get("fitted_on", ()))
    cases = stories()
    rule_ids = [r.id for r in rules.red_flags]
    x, rules_level, rules_rule, near, _lead = looks(triager, [c.text for c in cases], rule_ids)
    levels = [c.level for c in cases]
    words = [len(c.text.split()) for c in cases]
    # The everyday stories the net acts on: the thresholds' budgets are shares of these.
    calm_story = np.array([c.level == "none" and c.source != ONE_LINERS.name and n >= MIN_WORDS
                           and not (question_set(c) and rules_level[i] in RED)
                           for i, (c, n) in enumerate(zip(cases, words))])
    print(f"{len(cases)} stories, {x.shape[1]} features each\n")

    spent_before = {later.name: {ONE_LINERS.name, *(p.name for p in WRITTEN_IN_ORDER[:k + 1])}
                    for k, later in enumerate(WRITTEN_IN_ORDER[1:])}
    # A question the rules flag is no clean negative (see ANSWER_SETS); one they don't is.
    clean_question = [question_set(c) and rules_level[i] not in RED for i, c in enumerate(cases)]
    questions_before = {name: {str(p.relative_to(EVAL)) for p, r in ANSWER_SETS.items() if r < ROUND_OF[name]}
                        for name in spent_before}
    kinds = {
        "spent only": lambda c: False,
        "+ hard negatives": lambda c: c.level == "none" and not c.echoes_spent,
        "+ training file": lambda c: True,
    }
    with_questions = "+ training file + questions"
    def fit_and_decide(fit: list[int], test: list[int]):
        """A net fitted on the `fit` rows, and its decisions on the `test` rows."""
        c_, red, em, raise_at, caution_at, emergency_at = train(
            x[fit], [levels[i] for i in fit], [rules_level[i] for i in fit], calm_story[fit],
            [cases[i].group for i in fit])
        net = as_net(embedder.name, c_, red, em, raise_at, caution_at, emergency_at)
        return net, decide_all(net, rules, x[test], [rules_level[i] for i in test], [rules_rule[i] for i in test],
                               near[test], rule_ids, [words[i] for i in test])

    summary = {name: {} for name in spent_before}
    for test_name, before in spent_before.items():
        test = [i for i, c in enumerate(cases) if c.source == test_name]
        tested = [cases[i] for i in test]
        print(f"left out: {test_name} ({len(test)} stories)")
        alone = decide_all(None, rules, x[test], [rules_level[i] for i in test], [rules_rule[i] for i in test],
                           near[test], rule_ids, None)
        report("rules alone", tested, alone)
        summary[test_name]["rules alone"] = tally(tested, alone)
        got = decide_all(shipped, rules, x[test], [rules_level[i] for i in test], [rules_rule[i] for i in test],
                         near[test], rule_ids, [words[i] for i in test])
        seen = "fitted on it" if test_name in shipped_on else "unseen"
        report(f"rules+shipped net", tested, got)
        print(f"  {'':<10}the net file as it was ({seen})")
        summary[test_name][f"shipped net ({seen})"] = tally(tested, got)
        if args.misses:
            for case, g in zip(tested, got):
                if g.by_net:
                    print(f"      shipped {case.level:>9} -> {g.level:<9} {case.text[:80]!r}")
        for label, extra in [*kinds.items(), (with_questions, kinds["+ training file"])]:
            fit = [i for i, c in enumerate(cases) if c.source in before or (c.source == TRAINING.name and extra(c))
                   or (label == with_questions and clean_question[i] and c.source in questions_before[test_name])]
            net, got = fit_and_decide(fit, test)
            report(f"rules+net, {label}", tested, got)
            if label == with_questions:
                summary[test_name]["refit, left out"] = tally(tested, got)
            print(f"  {'':<10}fitted on {len(fit)}; raise_at {net.raise_at:.3f}, caution_at {net.caution_at:.3f},"
                  f" emergency_at {net.emergency_at:.3f}")
            if args.misses and label in ("+ hard negatives", with_questions):
                for case, g in zip(tested, got):
                    if (case.level in RED) != (g.level in RED) or (case.level == "none" and g.level == "caution") \
                            or g.by_net:
                        print(f"      {case.level:>9} {'/'.join(case.rules):<24} -> {g.level:<9} {g.rule or '-':<24}"
                              f" {'net' if g.by_net else '   '} {case.text[:80]!r}")
        print()

    print("summary: each set left out (refit = + training file + questions, fitted on the sets written before)")
    print(f"  {'set':<32} {'net':<26} {'emergency':>9} {'urgent':>7} {'alarms':>7} {'cautions':>8}")
    totals = {}
    for test_name, rows in summary.items():
        for label, (em, em_n, ur, ur_n, alarms, cautions, calm) in rows.items():
            print(f"  {test_name:<32} {label:<26} {em:>4}/{em_n:<4} {ur:>3}/{ur_n:<3} {alarms:>3}/{calm:<3}"
                  f" {cautions:>4}/{calm:<3}")
            if ROUND_OF[test_name] >= 5:
                key = label.split(" (")[0]
                totals[key] = [a + b for a, b in zip(totals.get(key, [0] * 7), rows[label])]
    for label, (em, em_n, ur, ur_n, alarms, cautions, calm) in totals.items():
        print(f"  {f'rounds 5-{max(ROUND_OF.values())}':<32} {label:<26} {em:>4}/{em_n:<4} {ur:>3}/{ur_n:<3} {alarms:>3}/{calm:<3}"
              f" {cautions:>4}/{calm:<3}")
    print()

    # False alarms on runners' questions: each answer set scored by a net fitted on everything else
    # but that set (the questions the rules flag are the rules' own calls, not the net's).
    print("left out: each answer set, its questions the rules see no red flag in (raised = by the net)")
    for path in ANSWER_SETS:
        name = str(path.relative_to(EVAL))
        test = [i for i, c in enumerate(cases) if c.source == name and clean_question[i]]
        fit = [i for i, c in enumerate(cases) if c.source != name and (not question_set(c) or clean_question[i])]
        _, got = fit_and_decide(fit, test)
        raised = [(g.level, cases[i].text) for i, g in zip(test, got) if g.by_net and g.level in RED]
        cautions = sum(g.by_net and g.level == "caution" for g in got)
        long = sum(words[i] >= MIN_WORDS for i in test)
        print(f"  {name:<32} {len(test):>3} questions ({long} of >= {MIN_WORDS} words): raised {len(raised)},"
              f" net cautions {cautions}")
        for level, text in raised if args.misses else ():
            print(f"      -> {level:<9} {text[:90]!r}")
    print()

    if args.write:
        fit = [i for i, c in enumerate(cases) if not question_set(c) or clean_question[i]]
        c_, red, em, raise_at, caution_at, emergency_at = train(x[fit], [levels[i] for i in fit],
                                                                [rules_level[i] for i in fit], calm_story[fit],
                                                                [cases[i].group for i in fit])
        data = {
            "about": "Learned triage net (issue 13): written by bench/triage_net_fit.py --write; see "
                     "assistant/answer/triage_net.py. Features: the message's vector, then the max over its "
                     "pieces' vectors.",
            "model": embedder.name,
            "fitted_on": [ONE_LINERS.name, *(p.name for p in WRITTEN_IN_ORDER), TRAINING.name,
                          *(str(p.relative_to(EVAL)) for p in ANSWER_SETS)],
            "stories": len(fit),
            "C": c_,
            "thresholds": {"raise_at": round(raise_at, 6), "caution_at": round(caution_at, 6),
                           "emergency_at": round(emergency_at, 6), "cite_at": CITE_AT, "min_words": MIN_WORDS},
            "heads": {name: {"bias": round(float(h.intercept_[0]), 6),
                             "weights": [round(float(w), 6) for w in h.coef_[0]]}
                      for name, h in (("red", red), ("emergency", em))},
        }
        text = json.dumps(data, indent=1)
        text = re.sub(r"\[\s+([-0-9.e,\s]+?)\s+\]", lambda m: "[" + re.sub(r"\s+", "", m.group(1)) + "]", text)
        NET_FILE.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {NET_FILE.relative_to(ROOT)}: C {c_}, raise_at {raise_at:.3f}, caution_at {caution_at:.3f},"
              f" emergency_at {emergency_at:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
