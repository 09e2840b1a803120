#!/bin/bash
# Installs the Debian packages Lightpath needs to build, test and run. Idempotent: asks apt
# only for what is missing, and refreshes the package lists only when something is.
set -euo pipefail

packages=(
  # build
  cmake g++ ninja-build ccache pkg-config git
  # libraries (docs/ARCHITECTURE.md, "Chosen dependencies")
  libfmt-dev libspdlog-dev nlohmann-json3-dev libsimdjson-dev libabsl-dev libyaml-cpp-dev
  libcli11-dev libexpected-dev
  libpugixml-dev libsqlite3-dev sqlite3 libpq-dev
  librestinio-dev libasio-dev libhttp-parser-dev libssl-dev libcpp-httplib-dev
  # the NETCONF driver
  libssh-dev
  # a throwaway PostgreSQL server for the shared store's tests (scripts/postgres.sh), and the
  # load balancer the cluster test puts in front of the instances
  postgresql postgresql-client haproxy
  # the NETCONF lab (scripts/lab.sh) and its independent checker
  netconfd openssh-server openssh-client python3-ncclient
  # the stock AWS CLI, a customer of the simulated AWS Direct Connect in the cloud tests
  awscli
  # tests, fuzzing, benchmarks and their peers
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev clang-14 libclang-rt-14-dev
  libboost-graph-dev python3 python3-networkx wrk curl openssl jq
  # the LP bound bulk transfers are measured against (bench/transfer_optimum.cc)
  libglpk-dev
  # GNPy, the QoT peer (../shared/peers/gnpy, run from source): what bench/gnpy_qot.py imports
  python3-numpy python3-scipy python3-openpyxl python3-xlrd
  # the large-book benchmark's network (bench/make_scale_network.py)
  python3-yaml
  # code checks (scripts/lint.sh)
  clang-format-14 clang-tidy-14
  # the portal's browser tests
  chromium
)
# Node.js and npm build the portal; the machine's own are used when present.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
