#!/bin/bash
# `lightpath cloudsim` alone, and `lightpath serve` configured with its URLs as the providers'
# real endpoints (cloud: in the serve config, secrets from the environment): Lightpath's calls
# go over HTTP, its SigV4 signatures verified in full by the simulator (which knows the partner's
# secret). The CLI's --wait says what the customer must do instead of succeeding; the customer's
# acceptance through the stock AWS CLI makes the connection active; a wrong partner secret fails
# the order with AWS's reason.
# Usage: cloudsim_test.sh LIGHTPATH_BINARY   (exit 77, skipped, without the AWS CLI)
set -u
lp=$1
tmp=$(mktemp -d)
sim=
source "$(dirname "$0")/serve_helpers.sh"
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; [ -n "$sim" ] && kill -9 "$sim" 2>/dev/null; rm -rf "$tmp"' EXIT
command -v aws >/dev/null || { echo "SKIP: the AWS CLI is missing (scripts/install-deps.sh installs it)"; exit 77; }

export LP_PARTNER_SECRET=partner-secret-$RANDOM LP_PARTNER_TOKEN=token-$RANDOM
"$lp" cloudsim --listen 127.0.0.1:0 --data "$tmp/sim" --partner-secret-env LP_PARTNER_SECRET \
  --partner-token-env LP_PARTNER_TOKEN --bring-up-ms 200 >"$tmp/sim.out" 2>&1 &
sim=$!
for _ in $(seq 100); do grep -q "cloudsim: http" "$tmp/sim.out" 2>/dev/null && break; sleep 0.05; done
simurl=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/sim.out" | head -1)
[ -n "$simurl" ] || { fail "cloudsim did not start: $(cat "$tmp/sim.out")"; exit 1; }

serve_with() {  # the environment variable holding the AWS secret serve uses
  cat >"$tmp/serve.yaml" <<EOF
cloud:
  poll_seconds: 1
  aws: {url: $simurl/cloudsim/aws, access_key_id: "999999999999", secret_env: $1}
  azure: {url: $simurl/cloudsim/azure, token_env: LP_PARTNER_TOKEN}
  google: {url: $simurl/cloudsim/google, token_env: LP_PARTNER_TOKEN}
EOF
  : >"$tmp/serve.out"
  "$lp" serve --config "$tmp/serve.yaml" --data "$tmp/data" --listen 127.0.0.1:0 --log-level error >"$tmp/serve.out" 2>&1 &
  pid=$!
  for _ in $(seq 600); do grep -q "API:" "$tmp/serve.out" 2>/dev/null && break; sleep 0.05; done
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
  [ -n "$url" ] || { fail "serve did not start: $(cat "$tmp/serve.out")"; exit 1; }
  export LIGHTPATH_URL=$url LIGHTPATH_API_KEY
  LIGHTPATH_API_KEY=$(cat "$tmp/data/operator.key")
  key=$LIGHTPATH_API_KEY
}
awscli() {
  AWS_ACCESS_KEY_ID=123456789012 AWS_SECRET_ACCESS_KEY=anything AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true AWS_PAGER= \
    aws directconnect "$@" --region us-east-1 --output json --endpoint-url "$simurl/cloudsim/aws"
}
field() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[int(k)] if k.isdigit() else d[k]
print(d)' "$1"; }

serve_with LP_PARTNER_SECRET
api -d '{"id":"acme"}' "$url/v1/tenants" >/dev/null
"$lp" ports assign dc-ashburn-p1 --tenant acme >/dev/null || fail "ports assign exit $?"
# --wait does not call a hand-shake waiting for the customer a success: it says what to do.
"$lp" connections create --kind cloud --a dc-ashburn-p1 --z aws-ashburn-p1 --mbps 1000 \
  --cloud-provider aws --cloud-key 123456789012 --tenant acme --wait --wait-seconds 3 --json \
  >"$tmp/made" 2>"$tmp/progress"
code=$?
[ "$code" = 3 ] || fail "create --wait of a cloud connection exit $code, not 3 (still waiting)"
grep -q "waiting for you to accept the hosted connection dxcon-" "$tmp/progress" ||
  fail "--wait did not say what to do: $(cat "$tmp/progress")"
id=$(grep -o 'conn_[0-9a-z]*' "$tmp/progress" | head -1)
dxcon=$(grep -o 'dxcon-[0-9a-f]*' "$tmp/progress" | head -1)
[ -n "$id" ] && [ -n "$dxcon" ] || { fail "no connection or hosted connection id: $(cat "$tmp/progress")"; exit 1; }
[ "$(awscli describe-connections | field connections.0.connectionName 2>/dev/null)" = "lightpath-$id" ] ||
  fail "the customer does not see lightpath-$id at the standalone simulator"
awscli confirm-connection --connection-id "$dxcon" >/dev/null || fail "confirm-connection exit $?"
"$lp" connections show "$id" --json >/dev/null || fail "show exit $?"
for _ in $(seq 100); do
  [ "$(api "$url/v1/connections/$id" | field state)" = active ] && break; sleep 0.1
done
[ "$(api "$url/v1/connections/$id" | field state)" = active ] || fail "$id is not active after the acceptance"
[ "$(api "$url/v1/connections/$id" | field current.provider.state)" = available ] || fail "AWS's side is not available"
kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=

# The wrong secret: the simulator refuses Lightpath's signature, and the order fails saying so.
export LP_WRONG_SECRET=not-the-partner-secret
serve_with LP_WRONG_SECRET
wrong=$(api -d '{"tenant":"acme","kind":"cloud","a_end":"dc-ashburn-p1","z_end":"aws-ashburn-p2","bandwidth_mbps":1000,"cloud":{"provider":"aws","owner_account":"123456789012"}}' \
  "$url/v1/connections" | field id)
for _ in $(seq 100); do [ "$(api "$url/v1/connections/$wrong" | field state)" = failed ] && break; sleep 0.1; done
api "$url/v1/connections/$wrong" | grep -q "signature we calculated does not match" ||
  fail "a wrong partner secret did not fail the order with AWS's reason: $(api "$url/v1/connections/$wrong" | head -c 600)"
[ "$failures" = 0 ] && echo "PASS: serve against the standalone cloudsim, signatures verified"
exit $((failures > 0))
