#!/bin/bash
# The `lightpath topology` commands as a user runs them: exit codes, JSON output, convert.
# Usage: cli_test.sh LIGHTPATH_BINARY TEST_DATA_DIR
set -u
lp=$1
data=$2/topologies
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
check() {  # check NAME EXPECTED_EXIT COMMAND...
  local name=$1 expected=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" != "$expected" ]; then
    echo "FAIL $name: exit $got, expected $expected"; cat "$tmp/err"; failures=$((failures + 1))
  fi
}
expect_in() {  # expect_in NAME FILE TEXT
  if ! grep -qF -- "$3" "$2"; then
    echo "FAIL $1: '$3' not in output:"; head -20 "$2"; failures=$((failures + 1))
  fi
}

check "inspect demo" 0 "$lp" topology inspect
expect_in "inspect demo" "$tmp/out" "sites        100 (75 pop, 13 datacenter, 12 cloud_onramp)"

check "inspect json" 0 "$lp" topology inspect --json "$data/topologyzoo/Geant2012.gml"
/usr/bin/python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
for key in ("nodes", "fibers", "components", "total_km", "warnings"):
    assert key in d, key
assert d["nodes"] == 40 and d["fibers"] == 61, d
assert d["warnings"] and all("code" in w and "message" in w for w in d["warnings"])
PY

check "convert yaml" 0 "$lp" topology convert "$data/topologyzoo/Geant2012.gml" "$tmp/geant.yaml"
check "inspect converted" 0 "$lp" topology inspect --json "$tmp/geant.yaml"
expect_in "inspect converted" "$tmp/out" '"fibers": 61'
check "convert geojson" 0 "$lp" topology convert "$data/coronet/CORONET_CONUS_Topology.json" "$tmp/c.geojson"
/usr/bin/python3 - "$tmp/c.geojson" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
assert d["type"] == "FeatureCollection"
kinds = [f["geometry"]["type"] for f in d["features"]]
assert kinds.count("Point") == 75 and kinds.count("LineString") == 99, kinds
PY

printf 'lightpath_topology: 1\nname: x\nfibers:\n  - id: f1\n    a: n1\n    b: n2\n    length_km: -4\n' >"$tmp/bad.yaml"
check "rejected input" 1 "$lp" topology inspect "$tmp/bad.yaml"
expect_in "rejected input" "$tmp/err" "unknown node 'n1'"
check "missing file" 1 "$lp" topology inspect "$tmp/none.yaml"
expect_in "missing file" "$tmp/err" "none.yaml: cannot open"
check "bad extension" 1 "$lp" topology convert "$data/sndlib/abilene.txt" "$tmp/out.txt"
expect_in "bad extension" "$tmp/err" "use .yaml, .json or .geojson"
check "usage error" 2 "$lp" topology inspect --no-such-flag
check "no subcommand" 2 "$lp"
check "bad format name" 1 "$lp" topology inspect --format pdf "$data/sndlib/abilene.txt"
expect_in "bad format name" "$tmp/err" "unknown topology format 'pdf'"

# lightpath path
check "path human" 0 "$lp" path --a dc-ashburn --z dc-santa-clara
expect_in "path human" "$tmp/out" "route       dc-ashburn-roadm -> washington_dc-roadm"
check "path json" 0 "$lp" path --from "New York" --to Chicago --k 3 --metric latency --json
/usr/bin/python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["paths"]) == 3, d
for p in d["paths"]:
    assert set(p) == {"nodes", "fibers", "km", "latency_ms", "hops"}, p
    assert p["nodes"][0] == "new_york-roadm" and p["nodes"][-1] == "chicago-roadm"
    assert len(p["fibers"]) == p["hops"] == len(p["nodes"]) - 1
lat = [p["latency_ms"] for p in d["paths"]]
assert lat == sorted(lat), lat
PY
check "path diverse" 0 "$lp" path --a aws-ashburn --z google-ashburn --diverse srlg --json
expect_in "path diverse" "$tmp/out" '"optimal": true'
check "path infeasible" 1 "$lp" path --from dc-ashburn --to dc-santa-clara --max-latency-ms 20 --json
expect_in "path infeasible" "$tmp/out" "the lowest-latency route is 25.19 ms"
check "path unknown node" 1 "$lp" path --from atlantis --to Chicago
expect_in "path unknown node" "$tmp/err" "unknown node or site 'atlantis'"
check "path missing ends" 2 "$lp" path --from Chicago
check "path on a file" 0 "$lp" path --topology "$data/optical-rl-gym/nsfnet_chen.txt" --from 1 --to 14 --diverse fiber
# A GML node is named by its label or by the file's own id (0 is "NL", 1 is "BE").
check "path by gml id" 0 "$lp" path --topology "$data/topologyzoo/Geant2012.gml" --from 0 --to 1 --json
expect_in "path by gml id" "$tmp/out" '"nl--be"'
printf 'Chicago Denver\nBoston Miami\natlantis Chicago\n' >"$tmp/pairs.txt"
check "path batch" 1 "$lp" path --pairs "$tmp/pairs.txt"
[ "$(wc -l <"$tmp/out")" = 3 ] || { echo "FAIL path batch: expected 3 lines"; failures=$((failures + 1)); }
expect_in "path batch" "$tmp/out" '"from":"Boston","to":"Miami","paths":'
expect_in "path batch" "$tmp/out" "\"error\":\"unknown node or site 'atlantis'\""

# lightpath path --qot: GSNR, mode, margin and regenerators per path (docs/optical.md)
check "path qot human" 0 "$lp" path --from dc-ashburn --to dc-hillsboro --metric latency --qot --rate 200
expect_in "path qot human" "$tmp/out" "mode gnpy-voyager-200g"
expect_in "path qot human" "$tmp/out" "regenerators at"
check "path qot json" 0 "$lp" path --from dc-abilene --to dc-memphis --k 2 --metric latency --qot --json
/usr/bin/python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["paths"]) == 2, d
for p in d["paths"]:
    for key in ("gsnr_db", "gsnr_signal_db", "osnr_db", "mode", "margin_db", "system_margin_db",
                "regenerators"):
        assert key in p, (key, p)
    # 32 or 66 GBd: the signal-bandwidth figure is below the 0.1 nm one.
    assert p["gsnr_signal_db"] < p["gsnr_db"] < p["osnr_db"] + 0.01, p
    assert p["system_margin_db"] == 2 and p["margin_db"] >= 2, p
PY
check "path qot 400G refused" 0 "$lp" path --from dc-ashburn --to dc-hillsboro --metric latency --qot --rate 400 --json
expect_in "path qot 400G refused" "$tmp/out" "short by 0.5 dB of the 23.0 dB it needs"
printf '{"Edfa": [{"type_variety": "x", "gain_flatmax": 26, "gain_min": 15, "p_max": 23, "nf_min": 12, "nf_max": 10}]}' >"$tmp/eqpt.json"
check "path qot bad equipment" 1 "$lp" path --from Chicago --to Denver --qot --equipment "$tmp/eqpt.json"
expect_in "path qot bad equipment" "$tmp/err" "eqpt.json: /Edfa/0/nf_min: 12 dB is above nf_max 10 dB"
printf 'lightpath_topology: 1\nsites: [{id: a}, {id: b}]\nnodes: [{id: a, site: a}, {id: b, site: b}]\nfibers:\n  - {id: f, a: a, b: b, length_km: 100, spans: [{km: 100, loss_db: 20, amplifier: ghost}]}\n' >"$tmp/ghost.yaml"
check "path qot unknown amplifier" 1 "$lp" path --topology "$tmp/ghost.yaml" --from a --to b --qot
expect_in "path qot unknown amplifier" "$tmp/err" "fiber 'f', span 0: amplifier 'ghost' is not in the equipment library"
check "path equipment without qot" 2 "$lp" path --from Chicago --to Denver --equipment "$tmp/eqpt.json"
check "serve bad equipment" 1 "$lp" serve --equipment "$tmp/eqpt.json" --data "$tmp/serve-data" --listen 127.0.0.1:0
expect_in "serve bad equipment" "$tmp/err" "eqpt.json: /Edfa/0/nf_min: 12 dB is above nf_max 10 dB"

# lightpath simulate
check "simulate json" 0 "$lp" simulate --preset deeprmsa-nsfnet --policy ksp-ff,ksp-lc --load 200,250 --requests 5000 --json
/usr/bin/python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
assert len(rows) == 4, rows
for r in rows:
    for key in ("policy", "load", "requests", "blocking", "ci95", "requests_per_second"):
        assert key in r, (key, r)
    assert 0 <= r["blocking"] <= 1 and r["requests"] == 5000
assert [r["policy"] for r in rows] == ["ksp-ff", "ksp-ff", "ksp-lc", "ksp-lc"]
PY
check "simulate files" 0 "$lp" simulate --preset deeprmsa-cost239 --policy first-fit,ksp-ff --load 400,600 \
  --requests 3000 --plot "$tmp/b.svg" --csv "$tmp/b.csv"
expect_in "simulate files" "$tmp/b.svg" "<polyline"
expect_in "simulate files" "$tmp/b.csv" "policy,load,seeds,requests,blocking,ci95"
# A progress bar on a terminal only: none in a pipe, one under a pseudo-terminal.
grep -q "\[#" "$tmp/err" && { echo "FAIL simulate: a progress bar without a terminal"; failures=$((failures + 1)); }
script -qec "$lp simulate --preset deeprmsa-nsfnet --policy ksp-ff --load 200 --requests 2000 --seeds 3" /dev/null >"$tmp/tty" 2>&1
grep -q "/3 runs" "$tmp/tty" || { echo "FAIL simulate: no progress on a terminal"; head -3 "$tmp/tty"; failures=$((failures + 1)); }
[ "$(wc -l <"$tmp/b.csv")" = 5 ] || { echo "FAIL simulate files: csv rows"; failures=$((failures + 1)); }
check "simulate matrix" 0 "$lp" simulate --preset deeprmsa-nsfnet --matrix "$data/topologybench/deeprmsa_nsfnet_traffic_matrix.csv" --requests 3000
printf '1,2\n3,x\n' >"$tmp/bad.csv"
check "simulate bad matrix" 1 "$lp" simulate --preset deeprmsa-nsfnet --matrix "$tmp/bad.csv"
expect_in "simulate bad matrix" "$tmp/err" "bad.csv:1: 2 columns; the network has 14 nodes"
check "simulate bad policy" 2 "$lp" simulate --preset deeprmsa-nsfnet --policy fastest
expect_in "simulate bad policy" "$tmp/err" "unknown policy 'fastest'"
check "simulate bad preset" 1 "$lp" simulate --preset nowhere
check "simulate on a file" 0 "$lp" simulate --topology "$data/optical-rl-gym/nsfnet_chen.txt" --requests 2000 --load 100

# lightpath bench provision, lightpath admin check
check "bench provision" 0 "$lp" bench provision --data "$tmp/store" --connections 60 --concurrency 2 --kind mixed --json
/usr/bin/python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
for key in ("connections", "p50_ms", "p99_ms", "orders_per_second"):
    assert key in d, key
assert d["connections"] == 60 and d["succeeded"] + d["rejected"] + d["failed"] == 60, d
assert d["succeeded"] > 30, d
PY
check "admin check clean" 0 "$lp" admin check --data "$tmp/store"
expect_in "admin check clean" "$tmp/out" "every invariant holds"
# lightpath bench load: a book written in batches, which admin check and reconcile accept.
check "bench load" 0 "$lp" bench load --data "$tmp/loaded" --connections 2500 --kind mixed --json
/usr/bin/python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
assert d["loaded"] + d["refused"] == 2500 and d["loaded"] > 2000, d
assert d["holds_now"] >= d["loaded"], d
PY
check "admin check after load" 0 "$lp" admin check --data "$tmp/loaded"
check "reconcile after load" 0 "$lp" admin reconcile --data "$tmp/loaded"
# The sweep reads the book a page at a time: an entry lost by the last loaded connection (past
# the first page) is found, put back, and the book is clean after.
lost=$(/usr/bin/python3 - "$tmp/loaded/devices" <<'PY'
import json, os, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    if not name.endswith(".jsonl"):
        continue
    last = None
    for line in open(os.path.join(d, name)):
        change = json.loads(line)
        if change.get("set"):
            last = change["set"][-1]
    if last:
        with open(os.path.join(d, name), "a") as out:
            out.write(json.dumps({"set": [], "remove": [last["key"]]}) + "\n")
        print(last["key"])
        break
PY
)
check "reconcile lost entry" 1 "$lp" admin reconcile --data "$tmp/loaded"
expect_in "reconcile lost entry" "$tmp/out" "but the node has no entry '$lost' for it"
check "reconcile lost entry repair" 0 "$lp" admin reconcile --data "$tmp/loaded" --repair
check "admin check after lost entry" 0 "$lp" admin check --data "$tmp/loaded"
check "bench load bad kind" 2 "$lp" bench load --data "$tmp/loaded" --kind cloud
# lightpath analyze survivability: every shared-risk group against the services, worst first.
check "survivability" 0 "$lp" analyze survivability --data "$tmp/store"
expect_in "survivability" "$tmp/out" "srlg entry-dallas-west"
check "survivability json" 0 "$lp" analyze survivability --data "$tmp/store" --by fiber --json
expect_in "survivability json" "$tmp/out" '"restorable_share"'
check "survivability bad by" 2 "$lp" analyze survivability --data "$tmp/store" --by duct
check "survivability no store" 1 "$lp" analyze survivability --data "$tmp/nowhere"
check "admin check no store" 1 "$lp" admin check --data "$tmp/nowhere"
expect_in "admin check no store" "$tmp/err" "no Lightpath store here"
[ ! -e "$tmp/nowhere" ] || { echo "FAIL admin check created $tmp/nowhere"; failures=$((failures + 1)); }
# lightpath admin reconcile: an engineer adds an entry on a device (its journal); the simulated
# devices outlive the process, so a new process sees the drift, repairs it, and is clean after.
check "reconcile clean" 0 "$lp" admin reconcile --data "$tmp/store"
cp "$tmp/store/devices/chicago-roadm.jsonl" "$tmp/chicago.jsonl"
echo '{"set":[{"key":"conn/ghost/working","owner":"conn_ghost","values":{}}],"remove":[]}' >>"$tmp/store/devices/chicago-roadm.jsonl"
check "reconcile drift" 1 "$lp" admin reconcile --data "$tmp/store"
expect_in "reconcile drift" "$tmp/out" "chicago-roadm: entry 'conn/ghost/working' for conn_ghost, which is not a live connection"
check "admin check drift" 1 "$lp" admin check --data "$tmp/store"
check "reconcile repair" 0 "$lp" admin reconcile --data "$tmp/store" --repair
expect_in "reconcile repair" "$tmp/out" "repaired: chicago-roadm"
check "reconcile after repair" 0 "$lp" admin reconcile --data "$tmp/store"
check "admin check after repair" 0 "$lp" admin check --data "$tmp/store"
echo 'not json' >>"$tmp/store/devices/chicago-roadm.jsonl"
echo '' >>"$tmp/store/devices/chicago-roadm.jsonl"
broken_line=$(wc -l <"$tmp/store/devices/chicago-roadm.jsonl")
broken_line=$((broken_line - 1))  # the 'not json' line: named by its number
check "device journal broken" 1 "$lp" admin check --data "$tmp/store"
expect_in "device journal broken" "$tmp/err" "chicago-roadm.jsonl:$broken_line: not a device change"
cp "$tmp/chicago.jsonl" "$tmp/store/devices/chicago-roadm.jsonl"
# Take a connection's capacity record away behind Lightpath's back: the check must say so.
/usr/bin/python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute('DELETE FROM holds WHERE id = (SELECT MIN(id) FROM holds)'); db.commit()" "$tmp/store/lightpath.db"
check "admin check broken" 1 "$lp" admin check --data "$tmp/store"
expect_in "admin check broken" "$tmp/out" "missing from the ledger"
check "bench bad kind" 2 "$lp" bench provision --data "$tmp/store" --kind fax

# Shell completion and the man page, both from the command tree.
# transfers plan: a workload on the demo network at 100 Gb/s per fiber direction.
cat > "$tmp/workload.json" <<'EOF'
[{"id": "ckpt", "a": "dc-ashburn", "z": "dc-hillsboro", "bytes": 90e12,
  "earliest": "2027-03-01T00:00:00Z", "deadline": "2027-03-01T06:00:00Z"},
 {"id": "dataset", "a": "dc-hillsboro", "z": "dc-ashburn", "bytes": 20e12,
  "earliest": "2027-03-01T01:00:00Z", "deadline": "2027-03-01T02:00:00Z"},
 {"id": "too-big", "a": "dc-ashburn", "z": "dc-santa-clara", "bytes": 1e16,
  "earliest": "2027-03-01T00:00:00Z", "deadline": "2027-03-01T03:00:00Z"}]
EOF
check "transfers plan" 0 "$lp" transfers plan --workload "$tmp/workload.json" --link-gbps 100 --json
/usr/bin/python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
from datetime import datetime
d = json.load(open(sys.argv[1]))
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
assert [a["id"] for a in d["admitted"]] == ["ckpt", "dataset"], d["admitted"]
assert [r["id"] for r in d["rejected"]] == ["too-big"], d["rejected"]
assert "cannot deliver" in d["rejected"][0]["reason"], d["rejected"]
want = {"ckpt": (90e12, "2027-03-01T00:00:00Z", "2027-03-01T06:00:00Z"),
        "dataset": (20e12, "2027-03-01T01:00:00Z", "2027-03-01T02:00:00Z")}
for a in d["admitted"]:
    size, earliest, deadline = want[a["id"]]
    carried = 0
    for e in a["schedule"]:
        assert t(earliest) <= t(e["start"]) < t(e["end"]) <= t(deadline), e
        assert 0 < e["gbps"] <= 100 and e["fibers"], e
        carried += e["gbps"] * 1e9 / 8 * (t(e["end"]) - t(e["start"]))
    assert carried >= size, (a["id"], carried)
assert d["admitted_bytes"] == 110e12 and d["offered_bytes"] == 110e12 + 1e16, d
PY
check "transfers plan human" 0 "$lp" transfers plan --workload "$tmp/workload.json" --link-gbps 100
expect_in "transfers plan human" "$tmp/out" "admitted 110.00 TB of 10.11 PB"
echo '[{"id": "x", "a": "dc-ashburn", "z": "dc-hillsboro", "bytes": 0, "earliest": "2027-03-01T00:00:00Z", "deadline": "2027-03-01T06:00:00Z"}]' > "$tmp/zero.json"
check "transfers zero bytes" 1 "$lp" transfers plan --workload "$tmp/zero.json"
expect_in "transfers zero bytes" "$tmp/err" 'zero.json: transfer 0 (x): "bytes" must be a number from 1 to 10^18'
sed 's/dc-santa-clara/atlantis/' "$tmp/workload.json" > "$tmp/unknown.json"
check "transfers unknown end" 1 "$lp" transfers plan --workload "$tmp/unknown.json"
expect_in "transfers unknown end" "$tmp/err" 'transfer too-big: "z"'
echo '[{' > "$tmp/broken.json"
check "transfers broken file" 1 "$lp" transfers plan --workload "$tmp/broken.json"
expect_in "transfers broken file" "$tmp/err" "broken.json: not valid JSON"
check "transfers bad fill" 2 "$lp" transfers plan --workload "$tmp/workload.json" --fill later

check "completion bash" 0 "$lp" completion bash
bash -n "$tmp/out" || { echo "FAIL completion: not bash"; failures=$((failures + 1)); }
completes() {  # completes WORDS... -> what the completion offers for the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _lightpath; echo "${COMPREPLY[*]}"' _ "$tmp/out" "$@"
}
[ "$(completes lightpath conn)" = connections ] || { echo "FAIL completion of conn: $(completes lightpath conn)"; failures=$((failures + 1)); }
[ "$(completes lightpath connections rot)" = rotate-key ] || { echo "FAIL completion of rot"; failures=$((failures + 1)); }
[ "$(completes lightpath connections create --encr)" = --encryption ] || { echo "FAIL completion of --encr"; failures=$((failures + 1)); }
check "completion zsh" 0 "$lp" completion zsh
expect_in "completion zsh" "$tmp/out" "bashcompinit"
check "completion fish" 2 "$lp" completion fish
check "man" 0 "$lp" man
expect_in "man" "$tmp/out" '.SS "lightpath connections rotate\-key"'
if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww -z "$tmp/out" 2>&1)
  [ -z "$warnings" ] || { echo "FAIL man: groff warns: $warnings"; failures=$((failures + 1)); }
fi

echo "cli_test: $failures failed"
[ "$failures" = 0 ]
