#!/usr/bin/env bash
# The speed-and-scale benchmark, on a generated corpus, with its baseline
# measured in the same run:
#
#   1. extraction alone      isnad extract --format nquads CORPUS > /dev/null
#   2. ingest                isnad ingest CORPUS (default batch, then --batch LARGE)
#   3. baseline              the same quads exported as N-Quads and loaded by
#                            Oxigraph's own bulk loader (pyoxigraph Store.bulk_load)
#   4. canned queries        ontology/queries/*.rq on the ingested store,
#                            timed in one process (benches/queries.rs)
#
# and prints wall time, CPU time and peak memory (max RSS, /usr/bin/time) of
# each step, then the ratios the performance bar is stated in (see
# docs/performance.md).
#
#   scripts/bench.sh                     # 2,000 articles, a few minutes
#   scripts/bench.sh --count 10000       # the figures in docs/performance.md
#   scripts/bench.sh --count 100000 --only-ingest   # the memory check
#
# Options (or environment variables):
#   --count N          articles to generate            BENCH_COUNT   (2000)
#   --dir DIR          work folder (kept)               BENCH_DIR     (a temp folder, removed)
#   --large-batch N    the second ingest's --batch; 0 skips it
#                                                       BENCH_LARGE_BATCH (1024)
#   --runs N           runs of each canned query        BENCH_QUERY_RUNS  (20)
#   --limit SECS       a canned query slower than this is cancelled
#                                                       BENCH_QUERY_LIMIT (30)
#   --repeat N         run ingest and the bulk-load baseline N times, alternating,
#                      and keep the fastest of each (a busy machine)
#                                                       BENCH_REPEAT (1)
#   --jsonl            one JSON Lines file instead of a folder of pages
#   --only-ingest      generate and ingest only (the memory check)
#   --no-queries       skip the canned queries
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

COUNT=${BENCH_COUNT:-2000}
DIR=${BENCH_DIR:-}
LARGE_BATCH=${BENCH_LARGE_BATCH:-1024}
RUNS=${BENCH_QUERY_RUNS:-20}
LIMIT=${BENCH_QUERY_LIMIT:-30}
REPEAT=${BENCH_REPEAT:-1}
JSONL=0
ONLY_INGEST=0
QUERIES=1
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --large-batch) LARGE_BATCH=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --limit) LIMIT=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --jsonl) JSONL=1; shift ;;
    --only-ingest) ONLY_INGEST=1; shift ;;
    --no-queries) QUERIES=0; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//; /^set -e/d'; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ ! -x /usr/bin/time ]; then
  echo "bench.sh: /usr/bin/time is missing (apt-get install time)" >&2
  exit 1
fi
KEEP=1
if [ -z "$DIR" ]; then
  KEEP=0
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/isnad-bench.XXXXXX")
  trap 'rm -rf "$DIR"' EXIT
fi
mkdir -p "$DIR"

echo "== building (release)" >&2
cargo build --release --quiet
ISNAD=$ROOT/target/release/isnad
if [ "$QUERIES" = 1 ] && [ "$ONLY_INGEST" = 0 ]; then
  cargo bench --bench queries --no-run --quiet 2>/dev/null || cargo bench --bench queries --no-run
fi

CORES=$(nproc)
echo "== machine: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM" >&2

echo "== generating $COUNT articles" >&2
if [ "$JSONL" = 1 ]; then
  CORPUS=$DIR/corpus.jsonl
  [ -s "$CORPUS" ] && [ "$(wc -l < "$CORPUS")" -eq "$COUNT" ] || python3 scripts/gen_corpus.py --jsonl --out "$CORPUS" --count "$COUNT" data >&2
else
  CORPUS=$DIR/corpus
  if [ "$(find "$CORPUS" -name '*.txt' 2>/dev/null | wc -l)" -ne "$COUNT" ]; then
    rm -rf "$CORPUS"
    python3 scripts/gen_corpus.py --out "$CORPUS" --count "$COUNT" data >&2
  fi
fi
# Read the corpus once so that every timed step finds it in the page cache.
find "$CORPUS" -type f -exec cat {} + > /dev/null

# timed NAME CMD... : runs CMD under /usr/bin/time; records wall, user, sys, max RSS.
declare -A WALL CPU RSS
timed() {
  local name=$1; shift
  echo "== $name: $*" >&2
  /usr/bin/time -f '%e %U %S %M' -o "$DIR/$name.time" "$@"
  read -r w u s m < <(tail -1 "$DIR/$name.time")
  printf '   %-14s %8.2f s wall %8.2f s cpu %8.0f MB max RSS\n' "$name" "$w" "$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')" "$(awk -v m="$m" 'BEGIN { print m / 1024 }')" >&2
  # Repeated steps keep their fastest run, and their largest RSS.
  if [ -z "${WALL[$name]:-}" ] || awk -v a="$w" -v b="${WALL[$name]}" 'BEGIN { exit !(a < b) }'; then
    WALL[$name]=$w
    CPU[$name]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  fi
  if [ -z "${RSS[$name]:-}" ] || [ "$m" -gt "${RSS[$name]}" ]; then
    RSS[$name]=$m
  fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "n/a" }'; }

if [ "$ONLY_INGEST" = 0 ]; then
  timed extract "$ISNAD" -q extract --format nquads "$CORPUS" > /dev/null
fi

if [ "$ONLY_INGEST" = 0 ] && ! python3 -c 'import pyoxigraph' 2>/dev/null; then
  echo "== installing pyoxigraph for the baseline" >&2
  python3 -m pip install --quiet pyoxigraph >&2
fi
cat > "$DIR/bulk_load.py" <<'EOF'
import sys
import pyoxigraph

store = pyoxigraph.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_QUADS)
store.flush()
print(len(store))
EOF

rm -f "$DIR/all.nq"
for round in $(seq "$REPEAT"); do
  [ "$REPEAT" -gt 1 ] && echo "== round $round of $REPEAT" >&2
  rm -rf "$DIR/store"
  timed ingest "$ISNAD" -q --store "$DIR/store" ingest "$CORPUS"
  [ "$ONLY_INGEST" = 1 ] && continue
  if [ ! -s "$DIR/all.nq" ]; then
    echo "== exporting the store as N-Quads" >&2
    "$ISNAD" --store "$DIR/store" export --format nquads -o "$DIR/all.nq"
    QUADS=$(wc -l < "$DIR/all.nq")
  fi
  rm -rf "$DIR/baseline"
  timed bulk_load python3 "$DIR/bulk_load.py" "$DIR/all.nq" "$DIR/baseline" > "$DIR/bulk_load.out"
  LOADED=$(cat "$DIR/bulk_load.out")
  rm -rf "$DIR/baseline"
  if [ "$LOADED" != "$QUADS" ]; then
    echo "bench.sh: the bulk loader loaded $LOADED quads, the export has $QUADS" >&2
    exit 1
  fi
done

if [ "$LARGE_BATCH" != 0 ] && [ "$ONLY_INGEST" = 0 ]; then
  rm -rf "$DIR/store-large"
  timed ingest_large "$ISNAD" -q --store "$DIR/store-large" ingest --batch "$LARGE_BATCH" "$CORPUS"
  rm -rf "$DIR/store-large"
fi
# Re-ingest into the full store: every graph is already there (the replace path).
if [ "$ONLY_INGEST" = 0 ]; then
  timed reingest "$ISNAD" -q --store "$DIR/store" ingest "$CORPUS"
fi

if [ "$QUERIES" = 1 ] && [ "$ONLY_INGEST" = 0 ]; then
  echo "== canned queries ($RUNS runs each, limit $LIMIT s)" >&2
  cargo bench --quiet --bench queries -- --store "$DIR/store" --runs "$RUNS" --limit "$LIMIT" --count | tee "$DIR/queries.txt"
fi

echo
echo "articles              $COUNT ($( [ "$JSONL" = 1 ] && echo 'one JSON Lines file' || echo 'scraped pages' ))"
echo "cores                 $CORES"
[ "$REPEAT" -gt 1 ] && echo "repeat                $REPEAT (fastest of each kept)"
if [ "$ONLY_INGEST" = 0 ]; then
  echo "quads (articles)      $QUADS"
  echo "extract               $(rate "$COUNT" "${WALL[extract]}") articles/s, $(rate "$COUNT" "${CPU[extract]}") articles per CPU-second"
fi
echo "ingest                ${WALL[ingest]} s, $(rate "$COUNT" "${WALL[ingest]}") articles/s, max RSS $(( ${RSS[ingest]} / 1024 )) MB"
if [ "$ONLY_INGEST" = 0 ]; then
  [ -n "${WALL[ingest_large]:-}" ] && echo "ingest --batch $LARGE_BATCH   ${WALL[ingest_large]} s, max RSS $(( ${RSS[ingest_large]} / 1024 )) MB"
  echo "re-ingest (replace)   ${WALL[reingest]} s, max RSS $(( ${RSS[reingest]} / 1024 )) MB"
  echo "bulk load baseline    ${WALL[bulk_load]} s, max RSS $(( ${RSS[bulk_load]} / 1024 )) MB"
  echo "ratio ingest / bulk load            $(ratio "${WALL[ingest]}" "${WALL[bulk_load]}")  (bar 1.5, aim 1.2)"
  [ -n "${WALL[ingest_large]:-}" ] && echo "ratio ingest --batch $LARGE_BATCH / bulk load $(ratio "${WALL[ingest_large]}" "${WALL[bulk_load]}")"
  echo "ratio re-ingest / bulk load         $(ratio "${WALL[reingest]}" "${WALL[bulk_load]}")"
  echo "ratio extract / bulk load           $(ratio "${WALL[extract]}" "${WALL[bulk_load]}")"
fi
[ "$KEEP" = 1 ] && echo "work folder           $DIR (kept)"
exit 0
