#!/usr/bin/env python3
"""Generates data/reference/people-world.tsv and roles-world.tsv from the
hand-written office-holder tables in scripts/refdata/officials/*.tsv.

Each source line is one tenure; the first line of a person carries the
names (later lines of the same id leave them empty). A person already in
data/reference/people.tsv is referred to by its id with no names (or with
extra names, which extend it). A further tenure of a person already named
may be written as five cells (id, of, position, start, end) and a sixth, the
note. A person with no tenure to record has "-" as position. The script refuses:
  * a new person whose name is already another person's name (use that id),
  * a person with no Arabic name, an unknown country code or position,
  * a tenure ending before it starts or that repeats one in roles.tsv.

Usage: python3 scripts/refdata/build_officials.py   (from the repository root)
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REF = os.path.join(ROOT, "data", "reference")
SRC = os.path.join(ROOT, "scripts", "refdata", "officials")

COLUMNS = ["id", "of", "position", "start", "end", "ar", "en", "aliases", "short", "note", "country"]


def norm(s):
    s = re.sub("[\u064b-\u0652\u0640\u0670]", "", s)
    s = re.sub("[أإآٱ]", "ا", s).replace("ى", "ي").replace("ة", "ه")
    return " ".join(s.split())


def table(path):
    header = None
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            if len(cells) == 6 and header[:5] == COLUMNS[:5] and not re.search("[\u0600-\u06ff]", cells[5]):
                # A further tenure of a person already named: its sixth cell is the note.
                cells = cells[:5] + [""] * 4 + cells[5:]
            if any(c.strip() for c in cells[len(header):]):
                sys.exit(f"{path}:{n}: more cells than the header has")
            row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
            row["_at"] = f"{os.path.relpath(path, ROOT)}:{n}"
            rows.append(row)
    return rows


def split(cell):
    return [c.strip() for c in cell.split("|") if c.strip()]


def main():
    errors = []
    countries = {r["code"].upper() for r in table(os.path.join(REF, "countries.tsv"))}
    orgs = {r["id"] for r in table(os.path.join(REF, "organizations.tsv"))}
    for extra in glob.glob(os.path.join(REF, "organizations-*.tsv")):
        orgs |= {r["id"] for r in table(extra)}
    positions = set()
    for path in glob.glob(os.path.join(REF, "positions*.tsv")):
        positions |= {r["position"] for r in table(path)}
    old_people = table(os.path.join(REF, "people.tsv"))
    old_ids = {p["id"] for p in old_people}
    owner = {}  # normalised full name -> id
    for p in old_people:
        for name in [p["ar"]] + split(p.get("aliases", "")):
            owner.setdefault(norm(name), p["id"])
    old_roles = {(r["person"], r["position"], r["of"], r["start"]) for r in table(os.path.join(REF, "roles.tsv"))}

    people = {}  # id -> row (ordered)
    roles = []
    for path in sorted(glob.glob(os.path.join(SRC, "*.tsv"))):
        for r in table(path):
            at, pid = r["_at"], r["id"]
            if not re.fullmatch(r"[a-z0-9-]+", pid):
                errors.append(f"{at}: bad id {pid!r}")
                continue
            of = r["of"]
            if of.startswith("org:"):
                if of[4:] not in orgs:
                    errors.append(f"{at}: unknown organization {of}")
            elif of.upper() not in countries:
                errors.append(f"{at}: unknown country {of}")
            if r["position"] != "-" and r["position"] not in positions:
                errors.append(f"{at}: unknown position {r['position']}")
            for d in ("start", "end"):
                if r[d] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[d]):
                    errors.append(f"{at}: bad {d} date {r[d]!r}")
            if r["start"] and r["end"] and r["end"] < r["start"]:
                errors.append(f"{at}: ends before it starts")
            for col in ("ar", "aliases", "short"):
                if re.search(r"[A-Za-z\u0400-\u04ff]", r[col]):
                    errors.append(f"{at}: Latin or Cyrillic letters in {col}: {r[col]!r}")
            if r["en"] and re.search(r"[\u0600-\u06ff]", r["en"]):
                errors.append(f"{at}: Arabic letters in en: {r['en']!r}")
            names = [r["ar"]] + split(r["aliases"]) if r["ar"] else split(r["aliases"])
            if pid not in old_ids and pid not in people and not r["ar"]:
                errors.append(f"{at}: new person {pid} needs an Arabic name")
            for name in names:
                o = owner.get(norm(name))
                if o is not None and o != pid:
                    errors.append(f"{at}: name {name!r} already belongs to {o}")
                owner.setdefault(norm(name), pid)
            country = r.get("country", "") or ("" if of.startswith("org:") else of.upper())
            if country and country.upper() not in countries:
                errors.append(f"{at}: unknown country {country}")
            if r["ar"] or r["aliases"] or r["short"]:
                if pid in people:
                    p = people[pid]
                    p["aliases"] += [a for a in names if a != p["ar"] and a not in p["aliases"]]
                    p["short"] += [s for s in split(r["short"]) if s not in p["short"]]
                else:
                    ar = r["ar"] or (names[0] if names else "")
                    if pid in old_ids and not ar:
                        errors.append(f"{at}: extending {pid} needs an ar name")
                    people[pid] = {
                        "id": pid,
                        "country": country.upper(),
                        "ar": ar,
                        "en": r["en"],
                        "aliases": [a for a in names if a != ar],
                        "short": split(r["short"]),
                    }
            if r["position"] == "-":
                continue
            key = (pid, r["position"], of, r["start"])
            if key in old_roles:
                errors.append(f"{at}: tenure already in roles.tsv")
            roles.append((pid, r["position"], of, r["start"], r["end"], r.get("note", "")))

    # A one-word alias stands for its person anywhere: it must not be the
    # family name of someone else (أوربان: Viktor Orbán and Ludovic Orban).
    last_words = {}
    for p in old_people + list(people.values()):
        names = [p["ar"]] + (p["aliases"] if isinstance(p["aliases"], list) else split(p["aliases"]))
        for name in names:
            words = norm(name).split()
            if len(words) > 1:
                last_words.setdefault(words[-1], set()).add(p["id"])
    for p in old_people:
        for a in split(p.get("aliases", "")):
            w = norm(a)
            clash = {q["id"] for q in people.values() if q["id"] != p["id"]} & last_words.get(w, set())
            if " " not in w and clash:
                errors.append(f"{p['id']} (people.tsv): one-word alias {a!r} is also the family name of "
                              + ", ".join(sorted(clash)))
    for p in people.values():
        for a in p["aliases"]:
            w = norm(a)
            if " " not in w and last_words.get(w, {p["id"]}) - {p["id"]}:
                errors.append(f"{p['id']}: one-word alias {a!r} is also the family name of "
                              + ", ".join(sorted(last_words[w] - {p['id']})))

    seen = set()
    for t in roles:
        if t[:4] in seen:
            errors.append(f"tenure repeated: {t[:4]}")
        seen.add(t[:4])
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        sys.exit(1)

    head = (
        "# Generated by scripts/refdata/build_officials.py from scripts/refdata/officials/*.tsv;\n"
        "# edit those tables, not this file.\n"
        "# Hand-curated from public records: official government and organisation sites\n"
        "# (presidencies, prime ministers' offices, foreign ministries, UN and agency pages)\n"
        "# and the office-holder lists built on them (Wikipedia lists of heads of state and\n"
        "# government, foreign, defence and interior ministers, with their cited sources),\n"
        "# checked against the announcements of investiture, appointment or swearing-in.\n"
        "# Arabic spellings as Al Jazeera, Al Arabiya, BBC Arabic, Asharq Al-Awsat and the\n"
        "# official Arabic news agencies write them; common variants are aliases.\n"
    )
    with open(os.path.join(REF, "people-world.tsv"), "w", encoding="utf-8") as f:
        f.write(head)
        f.write("# Heads of state and government and foreign ministers of the UN member states,\n"
                "# defence and interior ministers and ministry spokespeople of the larger states,\n"
                "# heads of international bodies, 2015-2026. Columns as in people.tsv; a row\n"
                "# with an id that people.tsv already has adds names to that person.\n")
        f.write("id\tcountry\tar\ten\taliases\tshort\n")
        for p in people.values():
            f.write("\t".join([p["id"], p["country"], p["ar"], p["en"], "|".join(p["aliases"]), "|".join(p["short"])]) + "\n")
    with open(os.path.join(REF, "roles-world.tsv"), "w", encoding="utf-8") as f:
        f.write(head)
        f.write("# Conventions as in roles.tsv: `end` is the day the successor took over; empty\n"
                "# `end` = in office as of late 2025; `note` says \"approximate\" where only the\n"
                "# month is certain, and \"acting\" for acting holders.\n")
        f.write("person\tposition\tof\tstart\tend\tfor\tnote\n")
        for pid, pos, of, s, e, note in roles:
            f.write("\t".join([pid, pos, of, s, e, "", note]) + "\n")
    print(f"{len(people)} people rows, {len(roles)} tenures", file=sys.stderr)


if __name__ == "__main__":
    main()
