#!/usr/bin/env bash
# A long fuzzing run on the stable toolchain: AFL++ through cargo-afl, one
# target at a time (the fuzz/ crate, never built by `cargo build`/`cargo test`).
#
#   scripts/fuzz.sh [--minutes N] [TARGET ...]
#
# Targets: read (decoding + scraped-page/JSON readers + extraction), json
# (JSON and JSON Lines), date (publication and relative dates), extract (the
# whole extractor on any text), lexer (the shell's SPARQL lexer and
# statement splitter). Default: all of them, 12 minutes each. Seeds are made
# afresh under fuzz/out/seeds from data/ (the sample article, cut into small
# articles and records too) and ontology/queries. A run taking longer than
# 10 s is a hang. At the end, one line per target: execs, paths (corpus
# entries), crashes, hangs; the exit code is 1 if any target saved a crash
# or a hang (they are under fuzz/out/TARGET/default/{crashes,hangs}; each one
# found becomes a regression test under tests/).
#
# Needs: cargo-afl (`cargo install cargo-afl`, which builds its own AFL++ with
# `cargo afl config --build`); a C compiler and make.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=12
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(read json date extract lexer)

if ! cargo afl --version >/dev/null 2>&1; then
  cargo install cargo-afl
fi
cargo afl config --build >/dev/null 2>&1 || true

(cd fuzz && nice cargo afl build --release)

seeds=fuzz/out/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{read,json,date,extract,lexer}
python3 - "$seeds" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
def put(target, name, data):
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
for path in sorted(glob.glob("data/*.txt")):
    text = open(path, encoding="utf-8").read()
    base = os.path.basename(path)
    put("read", base, text)
    put("read", base + ".utf16", b"\xff\xfe" + text.encode("utf-16-le"))
    put("read", base + ".cp1256", text.encode("cp1256", errors="ignore"))
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = [p for p in paras if len(p) > 80]
    for i, p in enumerate(body[:8]):
        put("extract", f"{base}.{i}", p)
        put("read", f"{base}.{i}", "عنوان\n19/01/2024\n\n" + p + "\n")
    recs = [json.dumps({"title": "عنوان", "date": "2024-01-19", "body": p},
                       ensure_ascii=False) for p in body[:3]]
    put("json", base + ".jsonl", "\n".join(recs + ["{broken", '{"title": "x"}']) + "\n")
    put("json", base + ".json", "[" + ",".join(recs) + "]")
    for line in paras[:6]:
        if len(line) < 60:
            put("date", f"{base}.{len(os.listdir(os.path.join(out, 'date')))}", line)
for i, d in enumerate(["19/01/2024", "2024-01-19", "السبت 12 نيسان 2025",
                       "الخميس ١٨ يناير ٢٠٢٤", "أمس", "يوم الأحد الماضي",
                       "2024-01-19T10:00:00Z", "الشهر الماضي", "قبل يومين"]):
    put("date", f"d{i}", d)
for path in sorted(glob.glob("ontology/queries/*.rq")):
    put("lexer", os.path.basename(path), open(path, encoding="utf-8").read())
put("lexer", "script", "PREFIX x: <http://e/>\nSELECT * { ?s ?p 'a;b' } ; # c;\nASK {};\n")
PY

# AFL_AUTORESUME: a second run goes on from the corpus of the first.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_AUTORESUME=1
status=0
summary=()
for t in "${targets[@]}"; do
  echo "== $t: $minutes min" >&2
  nice cargo afl fuzz -i "$seeds/$t" -o "fuzz/out/$t" -t 10000 -V $((minutes * 60)) \
    "fuzz/target/release/$t" >"fuzz/out/$t.log" 2>&1 || true
  stats="fuzz/out/$t/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "$t: afl-fuzz did not start; see fuzz/out/$t.log" >&2
    status=1
    continue
  fi
  get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  line="$t: $(get execs_done) execs, $(get corpus_count) paths, $(get saved_crashes) crashes, $(get saved_hangs) hangs, $(get run_time) s"
  summary+=("$line")
  if [ "$(get saved_crashes)" != 0 ] || [ "$(get saved_hangs)" != 0 ]; then
    status=1
  fi
done
printf '%s\n' "${summary[@]}"
exit $status
