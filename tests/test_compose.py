"""The answer step as a pure function: hand-made passages and unit vectors."""
from dataclasses import replace

import numpy as np

from assistant.answer.blocks import BlockIndex
from assistant.answer.compose import AnswerParams, Asked, compose
from assistant.schema import HEADING, ITEM, LEAD_IN, SENTENCE, Chunk, Hit, Unit

X, Y, Z = np.eye(3, dtype=np.float32)
PARAMS = AnswerParams(min_sentence_similarity=0.3, passage_similarity=0.9, relative_floor=0.8,
                      aspect_weight=0.15, heading_weight=0.0, follow_weight=0.3, name_weight=0.0)


def unit_vector(*xs):
    v = np.asarray(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def passage(source, section, units, heading="Section"):
    return Chunk(id=f"{source}#{section}", source=source, slug=source, title=f"Title {source}", url=None,
                 heading=heading, units=tuple(units), section=section)


def ask(question, chunks, vectors, params=PARAMS, similarity=0.6):
    hits = [Hit(c, 0.03, similarity) for c in chunks]
    return compose(question, hits, vectors, BlockIndex(chunks), params)


def test_one_article_answers_and_citations_number_by_section():
    a = passage("a.md", 0, [Unit("The key fact about knees is here.", SENTENCE, 0)])
    a2 = passage("a.md", 1, [Unit("A second knee fact from another section.", SENTENCE, 0)])
    b = passage("b.md", 0, [Unit("Another article says much the same thing.", SENTENCE, 0)])
    vectors = {a.id: np.stack([X]), a2.id: np.stack([unit_vector(1, 0.2, 0)]), b.id: np.stack([unit_vector(1, 0.6, 0)])}
    composed = ask(Asked(vector=X, text="knee"), [a, a2, b], vectors)
    assert [c.source for c in composed.citations] == ["a.md", "a.md"] and [c.n for c in composed.citations] == [1, 2]
    assert "Another article" not in composed.markdown
    # A second article joins only when its best block is nearly as good as the first's and it
    # uses a word the question names.
    close = {**vectors, b.id: np.stack([unit_vector(1, 0.05, 0)])}
    assert [c.source for c in ask(Asked(vector=X, text="knee"), [a, b], close).citations] == ["a.md"]
    together = ask(Asked(vector=X, text="knee", named=frozenset({"b.md"})), [a, b], close)
    assert [c.source for c in together.citations] == ["a.md", "b.md"]


def test_filler_is_never_quoted_however_close():
    c = passage("c.md", 0, [Unit("Book a free discovery call today, we can help!", SENTENCE, 0, "sales"),
                            Unit("Cut back the runs that hurt for two weeks.", SENTENCE, 1)])
    composed = ask(Asked(vector=X, text="help"), [c], {c.id: np.stack([X, unit_vector(1, 0.5, 0)])})
    assert "discovery" not in composed.markdown and "Cut back" in composed.markdown


def test_the_section_that_serves_the_aspect_wins_within_the_article():
    what = passage("a.md", 0, [Unit("Jumper's knee is a tendon problem below the kneecap.", SENTENCE, 0)],
                   heading="What is jumper's knee?")
    helps = passage("a.md", 1, [Unit("Things that help:", LEAD_IN, 0), Unit("slow heavy squats", ITEM, 0),
                                Unit("fewer hills for a while", ITEM, 0)], heading="What helps jumper's knee?")
    vectors = {what.id: np.stack([unit_vector(1, 0.3, 0)]),
               helps.id: np.stack([unit_vector(1, 0.5, 0), unit_vector(1, 0.6, 0), unit_vector(1, 0.7, 0)])}
    plain = ask(Asked(vector=X, text="jumpers knee"), [what, helps], vectors, PARAMS)
    asked = ask(Asked(vector=X, text="what helps jumpers knee", aspect="help"), [what, helps], vectors)
    assert plain.citations[0].heading == "What is jumper's knee?"
    assert asked.citations[0].heading == "What helps jumper's knee?"
    assert asked.markdown.startswith("Things that help: [1]\n\n- slow heavy squats [1]")


def test_the_aspects_section_leads_even_when_another_heading_matches_better():
    # "what causes metatarsalgia": a comparison heading naming the condition matches the words
    # far better than "Why does it happen?", but only the second answers why.
    compare = passage("a.md", 0, [Unit("Metatarsalgia aches under the bone ends, a neuroma burns.", SENTENCE, 0)],
                      heading="Is it metatarsalgia or a neuroma?")
    why = passage("a.md", 1, [Unit("Tight calves push weight onto the forefoot.", SENTENCE, 0)],
                  heading="Why does it happen?")
    vectors = {compare.id: np.stack([unit_vector(1, 0.1, 0)]), why.id: np.stack([unit_vector(1, 0.9, 0)])}
    strong = AnswerParams(**{**PARAMS.__dict__, "heading_weight": 0.3})
    composed = ask(Asked(vector=X, text="what causes metatarsalgia", aspect="why"), [compare, why], vectors, strong)
    assert composed.citations[0].heading == "Why does it happen?"


def test_keep_running_falls_back_to_what_helps_when_the_post_has_no_such_section():
    symptoms = passage("a.md", 0, [Unit("Pain on the outside of the knee builds during a run.", SENTENCE, 0)],
                       heading="Typical symptoms")
    helps = passage("a.md", 1, [Unit("Cut runs back rather than running through it.", SENTENCE, 0)],
                    heading="What helps at home")
    vectors = {symptoms.id: np.stack([unit_vector(1, 0.1, 0)]), helps.id: np.stack([unit_vector(1, 0.8, 0)])}
    composed = ask(Asked(vector=X, text="can i keep running with it", aspect="keep_running"), [symptoms, helps], vectors)
    assert composed.citations[0].heading == "What helps at home"


def test_a_section_added_for_the_aspect_never_chooses_the_article():
    # b.md's symptoms section was added for "how can I tell" with b's best passage scores; the
    # passage retrieval found is a.md's, so a.md answers.
    found = passage("a.md", 0, [Unit("Pain behind the ankle bone after trail runs.", SENTENCE, 0)])
    added = passage("b.md", 1, [Unit("Symptoms you may notice on the inner ankle.", SENTENCE, 0)],
                    heading="What does it feel like?")
    vectors = {found.id: np.stack([unit_vector(1, 0.3, 0)]), added.id: np.stack([unit_vector(1, 0.1, 0)])}
    asked = Asked(vector=X, text="ankle", aspect="tell")
    assert ask(asked, [found, added], vectors).citations[0].source == "b.md"  # without the mark
    marked = Asked(vector=X, text="ankle", aspect="tell", found_in=frozenset({("a.md", 0)}))
    assert ask(marked, [found, added], vectors).citations[0].source == "a.md"


def test_the_best_blocks_section_is_quoted_from_its_top():
    units = [Unit("Most runners get better with a few simple changes.", SENTENCE, 0),
             Unit("Shorter strides take load off the shins.", SENTENCE, 1)]
    section = passage("a.md", 2, [Unit("What helps?", HEADING, -1), *units])
    vectors = {section.id: np.stack([Y, unit_vector(0.2, 1, 0), X])}
    composed = ask(Asked(vector=X, text="shorter strides"), [section], vectors)
    assert composed.markdown.index("Most runners") < composed.markdown.index("Shorter strides")
    assert "What helps?" not in composed.markdown  # a heading is matched, never quoted


def test_a_follow_up_stays_with_the_article_quoted_before():
    a = passage("heel.md", 0, [Unit("Calf stretches ease heel pain in the morning.", SENTENCE, 0)])
    b = passage("calf.md", 0, [Unit("Calf stretches are part of warming up well.", SENTENCE, 0)])
    vectors = {a.id: np.stack([unit_vector(1, 0.3, 0)]), b.id: np.stack([unit_vector(1, 0.1, 0)])}
    alone = ask(Asked(vector=X, text="should i stretch it"), [a, b], vectors)
    follow = ask(Asked(vector=X, text="should i stretch it", prefer=frozenset({"heel.md"})), [a, b], vectors)
    assert alone.citations[0].source == "calf.md" and follow.citations[0].source == "heel.md"


def test_the_post_whose_title_the_question_is_closest_to_breaks_a_near_tie():
    """One close sentence in a look-alike post ("Morton's neuroma is a pinched nerve...", in the
    metatarsalgia post) must not outrank the post the question names by meaning."""
    neuroma = passage("neuroma.md", 0, [Unit("Wider shoes take pressure off the nerve.", SENTENCE, 0)])
    forefoot = passage("forefoot.md", 0, [Unit("A neuroma is a pinched nerve between the toes.", SENTENCE, 0)])
    vectors = {neuroma.id: np.stack([unit_vector(1, 0.5, 0)]), forefoot.id: np.stack([unit_vector(1, 0.4, 0)])}
    question = "what should i do for a mortons neuroma"
    assert ask(Asked(vector=X, text=question), [forefoot, neuroma], vectors).citations[0].source == "forefoot.md"
    named = {"neuroma.md": 0.85, "forefoot.md": 0.55}
    answer = ask(Asked(vector=X, text=question, title_similarity=named), [forefoot, neuroma], vectors)
    assert answer.citations[0].source == "neuroma.md"
    # Only the closest title's lead counts: two titles equally close (a generic "Runner's knee"
    # beside "IT band syndrome" for any knee question) leave the blocks to decide.
    level = {"neuroma.md": 0.80, "forefoot.md": 0.80}
    tied = ask(Asked(vector=X, text=question, title_similarity=level), [forefoot, neuroma], vectors)
    assert tied.citations[0].source == "forefoot.md"


def test_the_one_post_the_questions_words_name_leads():
    """"pt thinks i strained my plantar plate doing calf raises": a word names the plantar plate
    post (retrieve.title_words); the calf post's block, closer on the other words, follows."""
    plate = passage("plate.md", 0, [Unit("Stiff-soled shoes take load off the toe joint.", SENTENCE, 0)])
    calf = passage("calf.md", 0, [Unit("Calf strains often come from sudden hill work.", SENTENCE, 0)])
    vectors = {plate.id: np.stack([unit_vector(1, 0.6, 0)]), calf.id: np.stack([unit_vector(1, 0.3, 0)])}
    question = "pt thinks i strained my plantar plate doing calf raises"
    assert ask(Asked(vector=X, text=question), [calf, plate], vectors).citations[0].source == "calf.md"
    named = ask(Asked(vector=X, text=question, titled=frozenset({"plate.md"})), [calf, plate], vectors)
    assert named.citations[0].source == "plate.md"
    # "Is it X or Y?": two posts named, neither is preferred by the name.
    both = ask(Asked(vector=X, text=question, titled=frozenset({"plate.md", "calf.md"})), [calf, plate], vectors)
    assert both.citations[0].source == "calf.md"


def test_weak_or_uncovered_matches_give_no_answer():
    c = passage("c.md", 0, [Unit("Completely unrelated words are written here.", SENTENCE, 0)])
    assert ask(Asked(vector=X, text="x"), [c], {c.id: np.stack([unit_vector(0.1, 1, 0)])}, similarity=0.2) is None
    close = {c.id: np.stack([unit_vector(1, 0.8, 0)])}  # similarity 0.78: an answer...
    assert ask(Asked(vector=X, text="x"), [c], close) is not None
    # ...unless none of the question's key words is in the passages, and it is not sure enough
    unsure = AnswerParams(**{**PARAMS.__dict__, "sure_similarity": 0.9})
    assert ask(Asked(vector=X, text="x", covered=False), [c], close, unsure) is None
    sure = AnswerParams(**{**PARAMS.__dict__, "sure_similarity": 0.7})
    assert ask(Asked(vector=X, text="x", covered=False), [c], close, sure) is not None
    # ...but two words no article uses at all ("gym membership") say it is about something else
    assert ask(Asked(vector=X, text="x", covered=False, unheard=1), [c], close, sure) is not None
    assert ask(Asked(vector=X, text="x", covered=False, unheard=2), [c], close, sure) is None


def two_sections(first, second, far=1.5):
    """Two sections of one post, the first a close match and the second a far one: what the
    extra rules below add to the answer, and a compose() over both."""
    a = passage("a.md", 0, [Unit(first[1], SENTENCE, 0)], heading=first[0])
    b = passage("a.md", 1, [Unit(second[1], SENTENCE, 0)], heading=second[0])
    vectors = {a.id: np.stack([unit_vector(1, 0.2, 0)]), b.id: np.stack([unit_vector(1, far, 0)])}

    def headings(asked, params=PARAMS, **kw):
        composed = compose(asked, [Hit(c, 0.03, 0.6) for c in (a, b)], vectors, BlockIndex([a, b]), params, **kw)
        return [c.heading for c in composed.citations]
    return headings


def test_the_block_using_the_questions_rare_words_joins_the_aspects_section():
    # "why do i squeeze a ball between my ankles ...": "why" picks the causes, but only the
    # treatment list uses the question's rare words; it joins, the causes still lead.
    headings = two_sections(("Why does it happen?", "Flat feet load the tendon more on every step."),
                            ("What helps?", "Hold a small ball between your ankles during heel raises."), far=0.6)

    def rare(question, sentences):  # the share of the question's rare words each sentence uses
        return [0.8 if "ball" in s else 0.0 for s in sentences]

    asked = Asked(vector=X, text="why squeeze a ball between my ankles", aspect="why")
    assert headings(asked) == ["Why does it happen?"]
    assert headings(asked, rare_overlap=rare) == ["Why does it happen?", "What helps?"]


def test_is_it_x_quotes_the_look_alikes_beside_the_symptoms():
    headings = two_sections(("How do I know it's a groin strain?", "A groin strain hurts when you squeeze your knees."),
                            ("Could it be something else?", "A hip stress fracture hurts when you hop on that leg."))
    asked = Asked(vector=X, text="is it just a pulled groin", aspect="tell")
    assert headings(asked) == ["How do I know it's a groin strain?"]
    assert headings(replace(asked, look_alikes=True)) == ["How do I know it's a groin strain?",
                                                            "Could it be something else?"]


def test_an_urgent_answer_adds_the_posts_own_warning():
    # "felt a pop under my kneecap ... cant lift my leg up straight": triage leads with the
    # safety message; the post's "when to see someone" says why, beside the best block.
    headings = two_sections(("Jumper's knee or runner's knee?", "Jumper's knee hurts below the kneecap, runner's knee around it."),
                            ("When should I see a PT?", "If you can't lift your straight leg, see a doctor urgently."))
    two = replace(PARAMS, max_blocks=2)
    asked = Asked(vector=X, text="pop under my kneecap", aspect="tell")
    assert headings(asked, two) == ["Jumper's knee or runner's knee?"]
    assert headings(replace(asked, also=("see_someone",)), two) == ["Jumper's knee or runner's knee?",
                                                                     "When should I see a PT?"]


def test_a_promise_closing_the_section_brings_the_step_it_promises():
    """Pasted posts put the plan under sub-headings ("What helps?" ends "Here's what we
    recommend.", then "Fix the shoes", "Pad around the bump"): the step that matches joins the
    answer under its heading although it scores below the floor; without it, the promise goes."""
    helps = passage("a.md", 0, [Unit("Most people never need surgery.", SENTENCE, 0),
                                Unit("Here's what we recommend.", SENTENCE, 0)], heading="What helps?")
    shoes = passage("a.md", 1, [Unit("A soft heel counter takes the pressure off the bump.", SENTENCE, 0)],
                    heading="Fix the shoes")
    pad = passage("a.md", 2, [Unit("A ring of moleskin around the bump keeps the shoe off it.", SENTENCE, 0)],
                  heading="Pad around the bump")
    running = passage("a.md", 3, [Unit("Easy flat runs are usually fine.", SENTENCE, 0)],
                      heading="Can I keep running?")
    vectors = {helps.id: np.stack([X, unit_vector(1, 0.3, 0)]), shoes.id: np.stack([unit_vector(1, 1.2, 0)]),
               pad.id: np.stack([unit_vector(0.1, 1, 0)]), running.id: np.stack([unit_vector(0.1, 1, 0)])}
    composed = ask(Asked(vector=X, text="can they shave the bump"), [helps, shoes, pad, running], vectors)
    assert composed.markdown.startswith("Most people never need surgery. Here's what we recommend. [1]")
    assert "**Fix the shoes**\n\nA soft heel counter" in composed.markdown
    assert [c.heading for c in composed.citations] == ["What helps?", "Fix the shoes"]
    alone = ask(Asked(vector=X, text="can they shave the bump"), [helps], {helps.id: vectors[helps.id]})
    assert alone.markdown == "Most people never need surgery. [1]"
