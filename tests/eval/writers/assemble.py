"""Assemble a round's held-back sets into the repo without printing their content.
Set the round's facts here first (README.md in this folder)."""
import re, shutil, yaml
from pathlib import Path
N = 34  # the round
WHEN = "at the start of round 33's session, with round 33, to measure that session's end code"
NEW_POSTS = ("tibialis-anterior-tendinopathy.html, a saved page from a site builder or static-site theme not used before;"
             " bipartite-patella.txt, pasted from a browser")
IDS = ("gc-", "gd-")  # emergency writer, urgent writer
# A writer's id prefix -> the round's, for a prompt that gave a prefix an older set had taken.
RENAME: dict[str, str] = {}  # round 28's prompts gave fa-/fb-, round 1's: renamed ac-/ad- then
M = Path('/work/main/tests/eval')
# The writers' files as committed unread (tests/eval/unrun/README.md); before that round, their folder.
H = M/f'unrun/round{N}' if (M/f'unrun/round{N}').exists() else Path(f'/work/heldback{N}')
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
        for old, new in RENAME.items():
            body = [re.sub(rf'^(\s*-?\s*id: ){old}', rf'\g<1>{new}', line) for line in body]
        lines += body
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text('\n'.join(lines).rstrip('\n') + '\n')
    data = yaml.safe_load(out.read_text())
    each = [len(yaml.safe_load(p.read_text())[key]) for _, p in parts]
    assert len(data[key]) == sum(each), (out, len(data[key]), each)
    print(out, len(data[key]), each)
STORE = (f'knowledge/ + realistic/articles + fresh2/articles ... fresh{N - 1}/articles + fresh{N}/articles '
         '(make eval-heldback)')
AINTRO = f"""# HELD-BACK round-{N} answer {{what}} ("fresh{N}"), written 2026-12-02 {WHEN}.
#
# Written by two separate writers who never ran the assistant and were not the tuners; the tuners
# never saw these files (they were kept outside the repo, in /work/heldback{N}, until they were
# committed here unread). One writer wrote the two new posts in articles/ ({NEW_POSTS})
# and {{new}} on them; the other
# wrote {{old}} on existing articles. Key phrases were checked verbatim by each writer's checker.
# Asked against a store of {STORE}. All split: test. To be run ONCE; then it is spent.
"""
join(M/f'realistic/fresh{N}/questions.yaml', 'questions',
     AINTRO.format(what='questions', new='16 questions', old='34 questions and 12 uncovered ones (article: null)'),
     [('questions_new.yaml', H/'answers_new/questions_new.yaml'), ('questions_existing.yaml', H/'answers_old/questions_existing.yaml')])
join(M/f'realistic/fresh{N}/conversations.yaml', 'conversations',
     AINTRO.format(what='two-turn conversations', new='4 conversations staying on topic', old='6 conversations (2 staying on the topic, 4 switching)'),
     [('conversations_new.yaml', H/'answers_new/conversations_new.yaml'), ('conversations_existing.yaml', H/'answers_old/conversations_existing.yaml')])
TINTRO = f"""# HELD-BACK round-{N} triage narratives ("fresh{N}"), written 2026-12-02 {WHEN}.
#
# Written by two separate writers, given only the red-flag rules' ids, levels and descriptions
# (not the vocabulary, `when:` lines, examples or context of knowledge/triage.yaml), who never ran
# the assistant; the tuners never saw this file (kept outside the repo until it was committed here
# unread). Each story is modelled on a real public post (its page in `source:`, none reused from the
# earlier narrative sets), rewritten in the writer's own words; `source_note: composite` marks
# stories built from the closest posts. {IDS[0]}: the nine emergency rules, {IDS[1]}: the eight urgent rules;
# each 3 red flags per rule, 25 everyday, 8 mixed. All split: test. To be run ONCE
# (make eval-heldback); then it is spent. Fields as in tests/eval/triage_narratives.yaml.
"""
join(M/f'triage_narratives_fresh{N}.yaml', 'narratives', TINTRO,
     [(f'triage_fresh{N}_a.yaml', H/f'triage_a/triage_fresh{N}_a.yaml'), (f'triage_fresh{N}_b.yaml', H/f'triage_b/triage_fresh{N}_b.yaml')])
art = M/f'realistic/fresh{N}/articles'; art.mkdir(parents=True, exist_ok=True)
for p in (H/'answers_new/articles').iterdir():
    shutil.copy(p, art/p.name); print('article', p.name)
