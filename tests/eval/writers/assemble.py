"""Assemble round 26's held-back sets into the repo without printing their content."""
import re, shutil, yaml
from pathlib import Path
H = Path('/work/heldback26'); M = Path('/work/main/tests/eval')
def split(path, key):
    text = path.read_text()
    lines = text.splitlines()
    i = next(n for n, l in enumerate(lines) if l.rstrip() == f'{key}:')
    header = [l for l in lines[:i] if l.startswith('#') or not l.strip()]
    assert all(l.startswith('#') or not l.strip() for l in lines[:i]), path
    return [l for l in header], lines[i+1:]
def join(out, key, intro, parts):
    lines = intro.rstrip('\n').splitlines()
    for name, path in parts:
        head, _ = split(path, key)
        lines += ['#', f'# ---- header of {name}, as its writer wrote it ----'] + [l for l in head if l.strip()]
    lines += ['', f'{key}:']
    for name, path in parts:
        _, body = split(path, key)
        lines += body
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text('\n'.join(lines).rstrip('\n') + '\n')
    data = yaml.safe_load(out.read_text())
    each = [len(yaml.safe_load(p.read_text())[key]) for _, p in parts]
    assert len(data[key]) == sum(each), (out, len(data[key]), each)
    print(out, len(data[key]), each)
STORE = ('knowledge/ + realistic/articles + fresh2/articles ... fresh25/articles + fresh26/articles '
         '(make eval-heldback)')
AINTRO = f"""# HELD-BACK round-26 answer {{what}} ("fresh26"), written 2026-12-02 at the start of the session of round 25's run, to measure that session's end code.
#
# Written by two separate writers who never ran the assistant and were not the tuners; the tuners
# never saw these files (they were kept outside the repo, in /work/heldback26, until they were
# committed here unread). One writer wrote the two new posts in articles/ (freiberg-disease.html,
# a saved page from a site builder not used before, Tilda; proximal-tibiofibular-joint.txt, pasted from a browser) and {{new}} on them; the other
# wrote {{old}} on existing articles. Key phrases were checked verbatim by each writer's checker.
# Asked against a store of {STORE}. All split: test. To be run ONCE; then it is spent.
"""
join(M/'realistic/fresh26/questions.yaml', 'questions',
     AINTRO.format(what='questions', new='16 questions', old='34 questions and 12 uncovered ones (article: null)'),
     [('questions_new.yaml', H/'answers_new/questions_new.yaml'), ('questions_existing.yaml', H/'answers_old/questions_existing.yaml')])
join(M/'realistic/fresh26/conversations.yaml', 'conversations',
     AINTRO.format(what='two-turn conversations', new='4 conversations staying on topic', old='6 conversations (2 staying on the topic, 4 switching)'),
     [('conversations_new.yaml', H/'answers_new/conversations_new.yaml'), ('conversations_existing.yaml', H/'answers_old/conversations_existing.yaml')])
TINTRO = """# HELD-BACK round-26 triage narratives ("fresh26"), written 2026-12-02 at the start of the session of round 25's run, to measure that session's end code.
#
# Written by two separate writers, given only the red-flag rules' ids, levels and descriptions
# (not the vocabulary, `when:` lines, examples or context of knowledge/triage.yaml), who never ran
# the assistant; the tuners never saw this file (kept outside the repo until it was committed here
# unread). Each story is modelled on a real public post (its page in `source:`, none reused from the
# earlier narrative sets), rewritten in the writer's own words; `source_note: composite` marks
# stories built from the closest posts. da-: the nine emergency rules, db-: the eight urgent rules;
# each 3 red flags per rule, 25 everyday, 8 mixed. All split: test. To be run ONCE
# (make eval-heldback); then it is spent. Fields as in tests/eval/triage_narratives.yaml.
"""
join(M/'triage_narratives_fresh26.yaml', 'narratives', TINTRO,
     [('triage_fresh26_a.yaml', H/'triage_a/triage_fresh26_a.yaml'), ('triage_fresh26_b.yaml', H/'triage_b/triage_fresh26_b.yaml')])
art = M/'realistic/fresh26/articles'; art.mkdir(parents=True, exist_ok=True)
for p in (H/'answers_new/articles').iterdir():
    shutil.copy(p, art/p.name); print('article', p.name)
