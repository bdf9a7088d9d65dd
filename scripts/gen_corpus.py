#!/usr/bin/env python3
"""Generate a large corpus of article files for throughput measurements.

It recombines paragraphs of real-looking articles (the .txt files in the
given source folders, scraped-page format) into N new articles, each with
its own title, date and mix of paragraphs, written in the same scraped-page
format as data/000_818cbd4057805db6.txt. Deterministic for a given --seed
and the same source files. It is the input of scripts/bench.sh.

  scripts/gen_corpus.py --out /tmp/corpus --count 10000 data
  scripts/gen_corpus.py --out corpus.jsonl --jsonl --count 10000 data

Source folders default to the repository's data/ (the sample article).

The text is not news: it is a load of the right shape and vocabulary
(names, quotes, reporting verbs, event words) for measuring speed and
memory, never for measuring accuracy.
"""
import argparse
import datetime
import json
import os
import random
import re

DATE_LINE = re.compile(r"^\s*(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s*$")


def paragraphs(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    out = []
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        # keep body paragraphs only: long, sentence-like lines
        if len(block) > 120 and not block.startswith("إقرأ المزيد"):
            out.append(block)
    return out


def titles(path):
    lines = [l.strip() for l in open(path, encoding="utf-8", errors="replace")]
    for i, l in enumerate(lines):
        if DATE_LINE.match(l) and i > 0 and lines[i - 1]:
            yield lines[i - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jsonl", action="store_true", help="write one JSON Lines file instead of a folder")
    ap.add_argument("--paragraphs", type=int, default=8, help="paragraphs per article (mean)")
    ap.add_argument("srcs", nargs="*", help="folders of .txt articles [default: the repository's data/]")
    a = ap.parse_args()
    if not a.srcs:
        a.srcs = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")]
    rnd = random.Random(a.seed)
    pool, heads = [], []
    for d in a.srcs:
        for f in sorted(os.listdir(d)):
            if f.endswith(".txt") and not f.startswith("EXAMPLE"):
                pool.extend(paragraphs(os.path.join(d, f)))
                heads.extend(titles(os.path.join(d, f)))
    if not pool:
        raise SystemExit("no paragraphs found")
    heads = heads or ["خبر"]
    sections = ["الخليج والعالم", "لبنان", "فلسطين", "عربي ودولي", "إقليمي"]
    start = datetime.date(2023, 1, 1)
    sink = open(a.out, "w", encoding="utf-8") if a.jsonl else None
    if not a.jsonl:
        os.makedirs(a.out, exist_ok=True)
    total = 0
    for i in range(a.count):
        n = max(2, int(rnd.gauss(a.paragraphs, 2)))
        body = "\n\n".join(rnd.choice(pool) for _ in range(n))
        title = "%s (%d)" % (rnd.choice(heads), i)
        date = start + datetime.timedelta(days=rnd.randrange(0, 1000))
        section = rnd.choice(sections)
        if a.jsonl:
            rec = {"id": "gen-%06d" % i, "url": "https://example.org/news/%d" % i, "title": title,
                   "date": date.isoformat(), "section": section, "body": body}
            line = json.dumps(rec, ensure_ascii=False)
            sink.write(line + "\n")
            total += len(line.encode()) + 1
        else:
            text = "%s\n\n%s\n%s\n\n%s\n\n%s\n\nإقرأ المزيد في: %s" % (
                section, title, date.strftime("%d/%m/%Y"), title, body, section)
            path = os.path.join(a.out, "a%06d.txt" % i)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            total += len(text.encode())
    if sink:
        sink.close()
    print("wrote %d articles, %.1f MB" % (a.count, total / 1e6))


if __name__ == "__main__":
    main()
