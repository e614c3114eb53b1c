#!/usr/bin/env bash
# Golden outputs: run every analysis subcommand on the bundled scenarios and
# the fixtures, and compare what they print (stdout, and the exit code) and
# write (reports as HTML and PDF text, exported files) with tests/golden/.
#
# Usage: scripts/golden.sh [--update] [--bin PATH]
#   --update   write the current outputs as the new goldens (review the diff!)
#   --bin      the drplan binary to run (default: build and use target/release)
#
# A refactor must leave every golden byte-identical; a change of behaviour
# updates them on purpose, in the same commit, with the reason in its message.
set -euo pipefail
cd "$(dirname "$0")/.."

update=0
bin=
while (($#)); do
    case $1 in
    --update) update=1 ;;
    --bin) bin=$2; shift ;;
    *) echo "usage: $0 [--update] [--bin PATH]" >&2; exit 2 ;;
    esac
    shift
done
if [[ -z $bin ]]; then
    cargo build --locked --release --quiet
    bin=${CARGO_TARGET_DIR:-target}/release/drplan
fi
bin=$(readlink -f "$bin")
command -v pdftotext >/dev/null || { echo "golden: pdftotext is missing (apt-get install poppler-utils)" >&2; exit 1; }

golden=tests/golden
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/golden
mkdir -p "$out"

# Run one command; keep its stdout and exit code (stderr holds progress bars).
run() {
    local file=$1
    shift
    local rc=0
    "$bin" "$@" >"$out/$file" 2>/dev/null || rc=$?
    echo "exit $rc" >>"$out/$file"
}

# Reports: the HTML as written, the PDF as its text.
report() {
    local name=$1
    shift
    local dir=$work/report-$name
    local rc=0
    "$bin" report --out "$dir" "$@" >/dev/null 2>&1 || rc=$?
    echo "exit $rc" >"$out/$name.report.exit"
    local f
    for f in "$dir"/*; do
        case $f in
        *.html) cp "$f" "$out/$name.report.$(basename "$f")" ;;
        *.pdf) pdftotext -layout "$f" "$out/$name.report.$(basename "$f" .pdf).pdf.txt" ;;
        esac
    done
}

# Exports: every file written, as one listing with contents.
export_tree() {
    local name=$1 scenario=$2
    local dir=$work/export-$name
    local rc=0
    "$bin" export "$scenario" --out "$dir" >/dev/null 2>&1 || rc=$?
    {
        echo "exit $rc"
        if [[ -d $dir ]]; then
            (cd "$dir" && find . -type f ! -name .drplan-export.json | LC_ALL=C sort) | while read -r f; do
                echo "=== $f ($(stat -c %a "$dir/$f"))"
                cat "$dir/$f"
            done
        fi
    } >"$out/$name.export.txt"
}

scenarios=(scenarios/*.yaml tests/fixtures/valid/*.yaml tests/fixtures/cost/*/*.yaml)
for s in "${scenarios[@]}"; do
    name=$(echo "${s%.yaml}" | tr '/' '_')
    run "$name.validate.txt" validate "$s"
    run "$name.graph.dot" graph "$s"
    run "$name.graph.mmd" graph -f mermaid "$s"
    run "$name.spof.txt" spof "$s"
    run "$name.spof.json" spof -f json "$s"
    run "$name.disk.txt" disk "$s"
    run "$name.disk.json" disk -f json "$s"
    run "$name.simulate.txt" simulate --trials 20000 "$s"
    run "$name.simulate.json" simulate --trials 20000 -f json "$s"
    run "$name.cost.txt" cost --trials 20000 "$s"
    run "$name.cost.json" cost --trials 20000 -f json "$s"
done

for set in scenarios tests/fixtures/cost/cheap-downtime tests/fixtures/cost/dear-downtime; do
    name=$(echo "$set" | tr '/' '_')
    run "$name.compare.txt" compare --trials 20000 --sensitivity-trials 4000 "$set"
    run "$name.compare.json" compare --trials 20000 --sensitivity-trials 4000 -f json "$set"
    run "$name.compare.csv" compare --trials 20000 --sensitivity-trials 4000 -f csv "$set"
done

report bundled scenarios/
for s in tests/fixtures/valid/*.yaml; do
    report "$(basename "${s%.yaml}")" --rerun-trials 4000 "$s"
done

for s in scenarios/*.yaml tests/fixtures/export/lab.yaml; do
    export_tree "$(basename "${s%.yaml}")" "$s"
done

if ((update)); then
    rm -rf "$golden"
    cp -r "$out" "$golden"
    echo "golden: wrote $(find "$golden" -type f | wc -l) files to $golden"
    exit 0
fi
if diff -r -u "$golden" "$out" >"$work/diff"; then
    echo "golden: $(find "$golden" -type f | wc -l) outputs identical"
else
    head -n 400 "$work/diff"
    echo "golden: outputs differ from $golden (scripts/golden.sh --update after an intended change)" >&2
    exit 1
fi
