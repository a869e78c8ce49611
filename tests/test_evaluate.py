"""The eval command: its pure parts by hand, then real runs on the small test store."""
import json
import subprocess
import sys

import numpy as np

from assistant.__main__ import main as assistant_main
from assistant.evaluate.answers import judge_all, key_fact_figures
from assistant.evaluate.baseline import article_texts, nearest_replies, split_articles
from assistant.evaluate.conversations import Conversation, follow_up_figures
from assistant.evaluate.gates import Thresholds, failed_gates
from assistant.evaluate.keyfacts import Reply, judge, plain_text, second_article_right
from assistant.evaluate.narratives import caught, length_bucket, narrative_figures
from assistant.evaluate.retrieval import (
    Question,
    distinct_articles,
    format_report,
    new_answer_row,
    percentile,
    rank_metrics,
    tally_answer,
    with_rates,
)
from assistant.evaluate.triage import LEVELS, Case, confusion_matrix
from assistant.schema import ITEM, LEAD_IN, SENTENCE, Chunk, Triage, Unit
from tests.helpers import ROOT, cli_env, run_command


def test_distinct_articles_keeps_first_appearance_and_skips_unknown_chunks():
    slug_of = {"a#1": "a", "a#2": "a", "b#1": "b"}
    assert distinct_articles(["a#2", "x#9", "b#1", "a#1"], slug_of) == ["a", "b"]


def test_rank_metrics_by_hand():
    ranked = [["a", "b", "c"], ["b", "a"], ["c", "d", "e", "a"], ["z"]]
    expected = ["a", "a", "a", "a"]
    # hit@1: 1 of 4; hit@3: 2 of 4; MRR: (1 + 1/2 + 1/4 + 0) / 4
    assert rank_metrics(ranked, expected) == {"n": 4, "hit@1": 0.25, "hit@3": 0.5, "mrr": round(1.75 / 4, 3)}


def test_answer_rates_split_refusals_into_right_and_wrong():
    row = new_answer_row()
    tally_answer(row, "it-band", ["it-band.md", "shin.md"])  # right article first
    tally_answer(row, "it-band", ["shin.md", "it-band.md"])  # right article second
    tally_answer(row, "it-band", [])  # answerable but refused
    tally_answer(row, None, [])  # unanswerable, refused: right
    tally_answer(row, None, [])
    tally_answer(row, None, ["shin.md"])  # unanswerable but answered
    rates = with_rates(row)
    assert (rates["cited_right_first"], rates["cited_right_top3"], rates["answerable_refused"]) == (1, 2, 1)
    assert rates["unanswerable_refused_rate"] == round(2 / 3, 3)
    assert rates["no_match_precision"] == round(2 / 3, 3)  # 3 refused, 2 rightly
    assert rates["answerable_refused_rate"] == round(1 / 3, 3)
    assert with_rates(new_answer_row())["no_match_precision"] is None


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50 and percentile(values, 95) == 95 and percentile([], 50) is None


def _result(hit3=1.0, emergency=1.0, refused=0.5, p95=100.0):
    return {"retrieval": {"fused": {"dev": {"n": 3, "hit@1": 1.0, "hit@3": hit3, "mrr": 1.0}}},
            "answers": {"dev": {**with_rates(new_answer_row()), "unanswerable_refused_rate": refused,
                                "answerable_refused_rate": 0.0}},
            "p50_ms": p95 / 2, "p95_ms": p95,
            "triage": {"splits": {"dev": {"recall": {"emergency": emergency, "urgent": 1.0},
                                          "false_alarm_rate": 0.0},
                                  "all": {"recall": {"emergency": 0.0, "urgent": 0.0}, "false_alarm_rate": 1.0}}}}


def test_gates_name_each_figure_that_misses_and_ignore_unset_thresholds():
    limits = Thresholds(min_hit3=0.95, min_triage_recall=1.0, min_unanswerable_refused=0.4, max_p95_ms=500)
    assert failed_gates(_result(), limits) == []
    assert failed_gates(_result(hit3=0.5, emergency=0.9, refused=0.1, p95=900), Thresholds()) == []
    failures = failed_gates(_result(hit3=0.5, emergency=0.9, refused=0.1, p95=900), limits)
    assert len(failures) == 4
    assert any("hit@3 [dev]" in f for f in failures) and any("emergency recall [dev]" in f for f in failures)


def test_report_is_a_table_with_every_mode():
    result = {k: v for k, v in _result().items() if k != "triage"}  # triage has its own report
    text = format_report({**result, "misses": [], "failed": ["fused hit@3 [dev] 0.500 < 0.95"]})
    assert "fused  dev" in text and "FAILED: fused hit@3" in text


def test_eval_cli_on_the_small_store_prints_json_and_gates(built, tmp_path, capsys, monkeypatch):
    questions = tmp_path / "questions.yaml"
    questions.write_text(
        "questions:\n"
        "  - {q: the outside of my knee hurts on long runs, article: it-band, split: dev}\n"
        "  - {q: what causes pain on the outside of the knee, article: it-band, split: test}\n"
        "  - {q: what heart rate zone should my easy runs be in, article: null, split: dev}\n"
        "red_flags:\n"
        "  - {text: crushing chest pain on my run and my arm is numb, level: emergency, rule: chest_pain}\n"
        "lookalikes:\n"
        "  - {text: my chest is sore from push-ups yesterday}\n", encoding="utf-8")
    command = [sys.executable, "-m", "assistant", "eval", "--questions", str(questions), "--json"]
    done = subprocess.run(command + ["--min-hit3", "0.5"], cwd=ROOT, env=cli_env(built),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result["retrieval"]) == {"bm25", "dense", "fused"}
    assert result["retrieval"]["fused"]["dev"]["hit@3"] == 1.0
    assert result["answers"]["dev"]["unanswerable"] == 1 and result["p95_ms"] > 0
    assert result["triage"]["splits"]["dev"]["confusion"]["emergency"]["emergency"] == 1
    assert result["failed"] == []
    code, out, _ = run_command(assistant_main, command[3:] + ["--max-p95-ms", "0.001"], capsys, monkeypatch, built)
    assert code == 1 and json.loads(out)["failed"]


# --- key facts, the baseline, follow-ups and triage narratives (issues 12 and 13) ---


def test_plain_text_strips_markers_escapes_and_list_dashes():
    markdown = ("It sits in the \\*middle\\* of one buttock. [1] It gets worse\nduring a long drive. [1]\n\n"
                "Common signs:\n- Back pain or stiffness [2]\n- It costs \\[3\\] visits and you don’t rest [2]")
    assert plain_text(markdown) == ("it sits in the *middle* of one buttock. it gets worse during a long drive. "
                                    "common signs: back pain or stiffness it costs [3] visits and you don't rest")


def test_key_fact_needs_the_right_article_first_and_half_the_phrases():
    phrases = ["middle of one buttock", "during a long drive", "back pain or stiffness"]
    two_found = Reply("answered", "The *middle of one buttock* aches. [1] Worse during a\nlong drive. [1]",
                      (("piriformis", "quote"),))
    verdict = judge("piriformis", phrases, two_found)
    assert verdict.key_fact and verdict.right_first and verdict.missing == ("back pain or stiffness",)
    assert not judge("piriformis", phrases, Reply("answered", "Worse during a long drive. [1]",
                                                  (("piriformis", "q"),))).key_fact  # 1 of 3 < half
    assert judge("piriformis", phrases[:2], Reply("answered", "Worse during a long drive. [1]",
                                                  (("piriformis", "q"),))).key_fact  # 1 of 2 = half
    assert not judge("sciatica", phrases, two_found).key_fact  # the phrases, but the wrong article
    refused = judge(None, [], Reply("no_match", "Our articles don't cover that yet.", ()))
    assert refused.refused and refused.no_match and refused.cited == () and refused.second_right is None


def test_second_article_is_right_when_expected_or_when_it_adds_a_key_phrase():
    cited = [("a", "Alpha is here."), ("a", "More alpha."), ("b", "- Beta is here\n- and gamma")]
    assert second_article_right("a", ["alpha", "beta is here"], cited)  # only b's quote holds "beta is here"
    assert not second_article_right("a", ["alpha"], cited)  # b adds no key phrase
    assert second_article_right("b", [], cited)  # b was the expected article, cited second
    assert not second_article_right("a", ["is here"], cited)  # a's quotes hold it already
    assert second_article_right("a", ["beta is here and gamma"], cited)  # a quote runs over list lines
    assert judge("a", ["beta is here"], Reply("answered", "x", tuple(cited))).second_right is True
    assert judge("a", ["alpha"], Reply("answered", "x", (("a", "alpha"),))).second_right is None


def _q(text, article, split="dev", phrases=("key one", "key two"), aspect="tell", style="plain"):
    return Question(text, article, split, tuple(phrases) if article else (), aspect, style)


def test_key_fact_figures_by_hand_with_lists_for_dev_only():
    questions = [_q("q1", "a"), _q("q2", "a", aspect="help", style="is_it"), _q("q3", "b"),
                 _q("q4", None), _q("q5", None), _q("q6", "a", split="test"), _q("q7", "a")]
    replies = [Reply("answered", "Key one and key two. [1]", (("a", "Key one and key two."),)),
               Reply("no_match", "Not covered.", ()),
               Reply("answered", "Key one [1]\n\nKey two [2]", (("a", "Key one"), ("b", "Key two"))),
               Reply("no_match", "Not covered.", ()),
               Reply("answered", "Something. [1]", (("a", "Something."),)),
               Reply("answered", "key one, KEY TWO [1]", (("a", "x"),)),
               None]  # q7 was empty: not asked, not counted
    figures = key_fact_figures(questions, judge_all(questions, replies))
    dev = figures["dev"]
    assert (dev["answerable"], dev["key_fact"], dev["right_first"], dev["answerable_refused"]) == (3, 1, 1, 1)
    assert dev["key_fact_rate"] == 0.333 and dev["answerable_refused_rate"] == 0.333
    assert (dev["uncovered"], dev["uncovered_no_match"], dev["uncovered_refused"]) == (2, 1, 1)
    assert dev["uncovered_no_match_rate"] == 0.5 and dev["uncovered_refused_rate"] == 0.5
    assert (dev["is_it"], dev["is_it_refused"], dev["is_it_refused_questions"]) == (1, 1, ["q2"])
    # q1 and q3 were answered; q3 cites two articles and the second (b) is the expected one
    assert (dev["answered"], dev["two_articles"], dev["second_right"]) == (2, 1, 1)
    assert dev["two_articles_rate"] == 0.5 and dev["second_right_rate"] == 1.0
    assert dev["by_aspect"] == {"help": {"n": 1, "key_fact": 0, "key_fact_rate": 0.0},
                                "tell": {"n": 2, "key_fact": 1, "key_fact_rate": 0.5}}
    assert [m["q"] for m in dev["misses"]] == ["q2", "q3", "q5"]
    assert dev["misses"][1] == {"q": "q3", "expected": "b", "cited": ["a", "b"], "missing": []}
    test = figures["test"]
    assert test["key_fact"] == 1 and "misses" not in test and "is_it_refused_questions" not in test
    assert "misses" not in key_fact_figures(questions, judge_all(questions, replies), details=False)["dev"]


def _unit(text, block, kind=SENTENCE):
    return Unit(text, kind, block)


def _chunk(cid, section, heading, *units):
    return Chunk(id=cid, source="knee.md", slug="knee", title="Knee Pain", url=None, heading=heading,
                 units=tuple(units), section=section)


def test_baseline_article_text_puts_the_chunks_back_in_reading_order():
    first = _chunk("knee#00-intro#f", 0, None, _unit("Knees ache.", 0), _unit("Often.", 0))
    items = _chunk("knee#01-help#9", 1, "Help", _unit("Try:", 0, LEAD_IN), _unit("rest", 0, ITEM),
                   _unit("ice", 0, ITEM))
    rest = _chunk("knee#01-help#0", 1, "Help", _unit("tape", 0, ITEM), _unit("See us.", 1))
    # ids sort the other way round ("#0" < "#9"): blocks, not ids, give the order
    texts = article_texts([rest, first, items])
    assert texts == {"knee": "Knee Pain\n\nKnees ache. Often.\n\nHelp\n\nTry:\n- rest\n- ice\n- tape\n\nSee us."}
    assert split_articles(texts) == [("knee", texts["knee"])]  # under 1000 characters: one piece


def test_baseline_answer_is_the_nearest_piece_by_cosine():
    pieces = [("a", "alpha text"), ("b", "beta text")]
    piece_vectors = np.array([[1.0, 0.0], [0.6, 0.8]])
    questions = np.array([[0.8, 0.6], [1.0, 0.0]])  # cosines: (0.8, 0.96) and (1.0, 0.6)
    replies = nearest_replies(questions, pieces, piece_vectors)
    assert replies == [Reply("answered", "beta text", (("b", "beta text"),)),
                       Reply("answered", "alpha text", (("a", "alpha text"),))]


def test_follow_up_figures_split_same_topic_from_switching():
    talks = [Conversation("heel hurts", "stretch it?", "pf", "pf", ("calf stretch",)),
             Conversation("heel hurts", "how long?", "pf", "pf"),
             Conversation("heel hurts", "also my achilles?", "pf", "achilles", ("tendon",)),
             Conversation("shin hurts", "ice?", "shin", "shin", split="test")]
    replies = [Reply("answered", "Do a calf stretch. [1]", (("pf", "q"),)),
               Reply("answered", "Weeks. [1]", (("achilles", "q"),)),
               Reply("answered", "Rest it. [1]", (("achilles", "q"),)),
               Reply("answered", "Ice. [1]", (("shin", "q"),))]
    verdicts = [judge(t.second_article, t.key_phrases, r) for t, r in zip(talks, replies)]
    figures = follow_up_figures(talks, verdicts)
    dev = figures["dev"]
    assert (dev["n"], dev["right_first"], dev["right_first_rate"]) == (3, 2, 0.667)
    assert dev["same_topic"] == {"n": 2, "right_first": 1, "right_first_rate": 0.5}
    assert dev["switching"] == {"n": 1, "right_first": 1, "right_first_rate": 1.0}
    assert (dev["with_key_phrases"], dev["key_fact"]) == (2, 1)  # "tendon" is missing from the third
    assert [m["turns"][1] for m in dev["misses"]] == ["how long?", "also my achilles?"]
    assert figures["test"]["right_first"] == 1 and "misses" not in figures["test"]


def test_length_buckets_and_caught_levels():
    assert [length_bucket("w " * n) for n in (1, 20, 21, 60, 61)] == ["<=20", "<=20", "21-60", "21-60", ">60"]
    assert caught("urgent", "emergency") and caught("urgent", "urgent") and caught("emergency", "emergency")
    assert not caught("emergency", "urgent") and not caught("urgent", "caution") and not caught("urgent", "odd")


def test_confusion_matrix_gives_a_new_level_its_own_column():
    matrix = confusion_matrix([("urgent", "caution"), ("none", "none"), ("urgent", "urgent")], LEVELS)
    assert list(matrix) == ["emergency", "urgent", "none"]
    assert matrix["urgent"] == {"emergency": 0, "urgent": 1, "none": 0, "caution": 1}
    assert matrix["none"]["caution"] == 0 and matrix["none"]["none"] == 1


def test_narrative_figures_by_hand():
    def case(level, rules=(), kind="red_flag", split="dev", words=5):
        return Case(" ".join(["word"] * words), "narratives", level, tuple(rules), split=split, kind=kind,
                    id=f"{level}-{words}")
    outcomes = [
        (case("emergency", ["chest_pain"]), Triage("emergency", "chest_pain")),
        (case("emergency", ["chest_pain", "fainting"], words=70), Triage("urgent", "dvt")),  # missed
        (case("urgent", ["dvt"], words=30), Triage("emergency", "chest_pain")),  # caught, other rule
        (case("none", kind="everyday", words=30), Triage("caution", by_net=True)),  # the learned net's
        (case("none", kind="mixed", words=25), Triage("urgent", "dvt")),  # false alarm
        (case("none", kind="everyday"), Triage("watch")),  # a level this code has never heard of
        (case("urgent", ["dvt"], split="test"), Triage("none")),
    ]
    figures = narrative_figures(outcomes)
    dev = figures["dev"]
    assert dev["confusion"] == {
        "emergency": {"emergency": 1, "urgent": 1, "caution": 0, "none": 0, "watch": 0},
        "urgent": {"emergency": 1, "urgent": 0, "caution": 0, "none": 0, "watch": 0},
        "none": {"emergency": 0, "urgent": 1, "caution": 1, "none": 0, "watch": 1}}
    assert dev["recall"] == {"emergency": 0.5, "urgent": 1.0} and (dev["red_flags"], dev["caught"]) == (3, 2)
    assert (dev["expected_none"], dev["false_alarms"], dev["false_alarm_rate"], dev["caution"]) == (3, 1, 0.333, 1)
    assert dev["by_net"] == 1 and figures["test"]["by_net"] == 0
    assert dev["by_rule"] == {
        "chest_pain": {"level": "emergency", "n": 2, "caught": 1, "missed": 1, "other_rule": 0},
        "fainting": {"level": "emergency", "n": 1, "caught": 0, "missed": 1, "other_rule": 0},
        "dvt": {"level": "urgent", "n": 1, "caught": 1, "missed": 0, "other_rule": 1}}
    assert list(dev["by_rule"]) == ["chest_pain", "fainting", "dvt"]  # emergencies first
    assert dev["by_length"]["<=20"]["recall"] == {"emergency": 1.0, "urgent": None}
    assert dev["by_length"]["21-60"]["recall"]["urgent"] == 1.0 and dev["by_length"]["21-60"]["false_alarms"] == 1
    assert dev["by_length"][">60"]["recall"]["emergency"] == 0.0
    assert dev["by_kind"]["everyday"] == {"n": 2, "red_flags": 0, "caught": 0,
                                          "recall": {"emergency": None, "urgent": None}, "expected_none": 2,
                                          "false_alarms": 0, "false_alarm_rate": 0.0, "caution": 1, "by_net": 1}
    assert [m["id"] for m in dev["misses"]] == ["emergency-70"]
    assert dev["misses"][0]["expected"] == "emergency chest_pain/fainting" and dev["misses"][0]["got"] == "urgent dvt"
    assert [m["id"] for m in dev["false_alarm_list"]] == ["none-25"]
    assert figures["test"]["recall"]["urgent"] == 0.0 and "misses" not in figures["test"]


def test_new_gates_read_key_facts_and_follow_ups():
    result = {"key_facts": {"dev": {"key_fact_rate": 0.5, "uncovered_no_match_rate": 0.2},
                            "test": {"key_fact_rate": 0.7, "uncovered_no_match_rate": None}},
              "follow_up": {"test": {"right_first_rate": 0.6}}}
    assert failed_gates(result, Thresholds()) == []
    failures = failed_gates(result, Thresholds(min_key_facts=0.6, min_uncovered_no_match=0.5, min_follow_up=0.7))
    assert failures == ["key facts [dev] 0.500 < 0.6", "uncovered no_match [dev] 0.200 < 0.5",
                        "follow-up right first [test] 0.600 < 0.7"]


def test_eval_cli_adds_key_facts_baseline_follow_ups_and_narratives(built, tmp_path, capsys, monkeypatch):
    questions = tmp_path / "questions.yaml"
    questions.write_text(
        "questions:\n"
        "  - {q: the outside of my knee hurts on long runs, article: it-band, split: dev, aspect: tell,\n"
        "     style: plain, key_phrases: [pain on the outside of the knee, builds during a run]}\n"
        "  - {q: what causes pain on the outside of the knee, article: it-band, split: test, aspect: why,\n"
        "     style: plain, key_phrases: [jump in weekly mileage, downhill running]}\n"
        "  - {q: what heart rate zone should my easy runs be in, article: null, split: dev}\n", encoding="utf-8")
    conversations = tmp_path / "conversations.yaml"
    conversations.write_text(
        "conversations:\n"
        "  - turns: [the outside of my knee hurts on long runs, 'what helps at home?']\n"
        "    first_article: it-band\n    second_article: it-band\n"
        "    second_key_phrases: [side-lying leg raises]\n    split: dev\n", encoding="utf-8")
    narratives = tmp_path / "narratives.yaml"
    narratives.write_text(
        "narratives:\n"
        "  - {id: rf-1, kind: red_flag, text: crushing chest pain on my run and my arm is numb,"
        " level: emergency, rule: chest_pain, split: dev}\n"
        "  - {id: ev-1, kind: everyday, text: my calves are a bit tight after a hilly tempo run, level: none,"
        " split: test}\n", encoding="utf-8")
    argv = ["eval", "--questions", str(questions), "--questions", str(conversations),
            "--questions", str(narratives), "--json"]
    code, out, err = run_command(assistant_main, argv, capsys, monkeypatch, built)
    assert code == 0, err
    result = json.loads(out)
    dev, test = result["key_facts"]["dev"], result["key_facts"]["test"]
    assert (dev["answerable"], dev["right_first"], dev["uncovered"]) == (1, 1, 1)
    assert "misses" in dev and "misses" not in test and test["answerable"] == 1
    assert all(m["split"] == "dev" for m in result["misses"])  # the test split is held back
    baseline = result["baseline"]
    assert baseline["chunks"] >= 5 and baseline["splits"]["dev"]["right_first"] == 1
    assert baseline["splits"]["dev"]["uncovered_refused"] == 0  # the baseline never refuses
    follow_up = result["follow_up"]["dev"]
    assert (follow_up["n"], follow_up["same_topic"]["n"], follow_up["switching"]["n"]) == (1, 1, 0)
    assert follow_up["with_key_phrases"] == 1
    narrative = result["narratives"]
    assert narrative["dev"]["confusion"]["emergency"]["emergency"] == 1
    assert narrative["test"]["expected_none"] == 1 and "false_alarm_list" not in narrative["test"]
    assert "triage" not in result and result["failed"] == []

    code, out, _ = run_command(assistant_main, argv[:-1] + ["--min-key-facts", "1.01"], capsys, monkeypatch, built)
    assert code == 1 and "FAILED: key facts [dev]" in out
    assert "Key facts" in out and "Follow-ups" in out and "Triage narratives — dev split" in out


def test_two_sets_of_one_kind_are_measured_together_not_the_last_alone(built, tmp_path, capsys, monkeypatch):
    """`--questions A --questions B` of one kind joins them (the held-back round's files, or the
    realistic conversations of three rounds); the second must not silently replace the first."""
    files = []
    for i, text in enumerate(("crushing chest pain on my run and my arm is numb",
                              "i blacked out at the end of my run and woke up on the track")):
        path = tmp_path / f"narratives{i}.yaml"
        path.write_text("narratives:\n"
                        f"  - {{id: rf-{i}, kind: red_flag, text: {text}, level: emergency, split: dev}}\n",
                        encoding="utf-8")
        files += ["--questions", str(path)]
    code, out, err = run_command(assistant_main, ["eval", *files, "--json"], capsys, monkeypatch, built)
    assert code == 0, err
    assert json.loads(out)["narratives"]["dev"]["confusion"]["emergency"]["emergency"] == 2
