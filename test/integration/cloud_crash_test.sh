#!/bin/bash
# Cloud hand-shakes across SIGKILLs of `lightpath serve`: orders killed at a random moment of
# their activation resume after the restart with exactly one hosted connection each at (the
# simulated) AWS, whatever the kill cut short; a kill while they wait for the customer loses
# nothing: the customer's acceptance through the stock AWS CLI still makes them active.
# Usage: cloud_crash_test.sh LIGHTPATH_BINARY   (exit 77, skipped, without the AWS CLI)
set -u
lp=$1
tmp=$(mktemp -d)
source "$(dirname "$0")/serve_helpers.sh"
command -v aws >/dev/null || { echo "SKIP: the AWS CLI is missing (scripts/install-deps.sh installs it)"; exit 77; }
account=123456789012
awscli() {  # the customer, against the simulator serve embeds
  AWS_ACCESS_KEY_ID=$account AWS_SECRET_ACCESS_KEY=anything AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true AWS_PAGER= \
    aws directconnect "$@" --region us-east-1 --output json --endpoint-url "$url/cloudsim/aws"
}
state() {
  curl -s -H "Authorization: Bearer $acme" "$url/v1/connections/$1" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'
}
wait_state() {  # id state: up to 30 s
  for _ in $(seq 300); do [ "$(state "$1")" = "$2" ] && return 0; sleep 0.1; done
  fail "$1 is $(state "$1"), not $2"; return 1
}

start
api -d '{"id":"acme"}' "$url/v1/tenants" >/dev/null
api -X PATCH -d '{"tenant":"acme"}' "$url/v1/ports/dc-ashburn-p1" >/dev/null
acme=$(api -d '{"tenant":"acme","role":"admin"}' "$url/v1/api-keys" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
ids=()
for port in aws-ashburn-p1 aws-ashburn-p2 aws-ashburn-p3; do
  id=$(curl -s -H "Authorization: Bearer $acme" -H 'Content-Type: application/json' \
         -d "{\"kind\":\"cloud\",\"a_end\":\"dc-ashburn-p1\",\"z_end\":\"$port\",\"bandwidth_mbps\":1000,\"cloud\":{\"provider\":\"aws\",\"owner_account\":\"$account\"}}" \
         "$url/v1/connections" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  [ -n "$id" ] || { fail "the order on $port was not acknowledged"; exit 1; }
  ids+=("$id")
  # Killed while the activation may be anywhere: devices, the provider's call, our record of it.
  sleep "0.0$((RANDOM % 8))"
  kill -9 "$pid"; wait "$pid" 2>/dev/null; pid=
  start
done
for id in "${ids[@]}"; do wait_state "$id" awaiting_counterparty; done
listed=$(awscli describe-connections)
for id in "${ids[@]}"; do
  n=$(/usr/bin/python3 -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin)["connections"] if c["connectionName"] == "lightpath-" + sys.argv[1] and c["connectionState"] != "deleted"))' "$id" <<<"$listed")
  [ "$n" = 1 ] || fail "$id has $n hosted connections at AWS, not one"
done
# Killed while waiting for the customer: the acceptance after the restart completes each.
kill -9 "$pid"; wait "$pid" 2>/dev/null; pid=
start
for dxcon in $(/usr/bin/python3 -c 'import json,sys; print(" ".join(c["connectionId"] for c in json.load(sys.stdin)["connections"] if c["connectionState"] == "ordering"))' <<<"$listed"); do
  awscli confirm-connection --connection-id "$dxcon" >/dev/null || fail "confirming $dxcon"
done
for id in "${ids[@]}"; do wait_state "$id" active; done
kill -9 "$pid"; wait "$pid" 2>/dev/null; pid=
"$lp" admin check --data "$tmp/data" >"$tmp/check.out" 2>&1 || { fail "admin check:"; head -5 "$tmp/check.out"; }
[ "$failures" = 0 ] && echo "PASS: ${#ids[@]} cloud hand-shakes resumed across kills, one hosted connection each"
exit $((failures > 0))
