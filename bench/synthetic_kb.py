"""A synthetic knowledge base of N articles made from the real ones in knowledge/.

    .venv/bin/python bench/synthetic_kb.py N OUT_DIR [--seed S]

Each synthetic article takes a real article's intro and 3 of its 6 "##" sections (so the
topic stays coherent and retrieval still means something), plus one section of another
article, under a varied title ("Notes on Shin Splints ... (no. 17)"). clinic.yaml and
triage.yaml are copied, so the folder works as `--knowledge` for the app and the CLI.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE_FORMS = ("{t}", "Notes on {t}", "A Runner's Guide to {t}", "{t}: What We See in Clinic",
               "Understanding {t}", "{t} — Questions Runners Ask", "Getting Back on the Road: {t}",
               "{t} for Trail and Road Runners")
# Who the copy is for: with many copies of one topic, no title may be contained in another (the
# ingest refuses to publish an article its own title cannot find among the 10 nearest passages;
# with a bare "Ankle Sprains ..." beside 12 longer copies of it, that check failed at 200).
AUDIENCES = ("for Road Runners", "for New Runners", "for Masters Runners", "in Marathon Training", "on Winter Trails",
             "for High School Cross Country", "after Pregnancy", "for Ultramarathoners",
             "in Track Sprinters", "for Treadmill Runners", "in Triathletes", "for Walk-Run Beginners",
             "in Hill and Mountain Racing", "for Runners Over 60", "during a Half-Marathon Build",
             "for Night and Early-Morning Runners")


def split_article(path: Path) -> tuple[str, str, list[str]]:
    """(title, intro, sections): sections keep their "## heading" line."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    title = re.search(r"^title:\s*(.+)$", front, re.M).group(1).strip()
    body = re.sub(r"^# .*\n", "", body.strip(), count=1)
    parts = re.split(r"(?m)^(?=## )", body)
    return title, parts[0].strip(), [p.strip() for p in parts[1:] if p.strip()]


def make_kb(n: int, out: Path, seed: int = 7, source: Path = ROOT / "knowledge") -> list[Path]:
    rng = random.Random(seed)
    real = [split_article(p) for p in sorted(source.glob("*.md"))]
    out.mkdir(parents=True, exist_ok=True)
    for data_file in ("clinic.yaml", "triage.yaml"):
        shutil.copy(source / data_file, out / data_file)
    written = []
    for i in range(n):
        title, intro, sections = real[i % len(real)]
        _, _, other_sections = real[rng.randrange(len(real))]
        picked = rng.sample(sections, min(3, len(sections))) + [rng.choice(other_sections)]
        copy = i // len(real)
        form = TITLE_FORMS[copy % len(TITLE_FORMS)]
        audience = AUDIENCES[(copy + copy // len(AUDIENCES)) % len(AUDIENCES)]  # (form, audience) unique
        new_title = f"{form.format(t=title)} {audience} (no. {i + 1})"
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        path = out / f"{i + 1:05d}-{slug}.md"
        path.write_text(f"---\ntitle: {new_title}\ntags: [synthetic]\n---\n# {new_title}\n\n{intro}\n\n"
                        + "\n\n".join(picked) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"wrote {len(make_kb(args.n, args.out, args.seed))} articles to {args.out}")


if __name__ == "__main__":
    main()
