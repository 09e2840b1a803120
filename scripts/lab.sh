#!/bin/bash
# A lab of real NETCONF devices on this machine: one yuma123 netconfd per node of the lab network
# (scripts/lab_topology.py: 23 ROADMs and 4 switches of the demo network's north-east), each with
# its own OpenSSH sshd on a loopback port, host key and datastore validated against the node's
# YANG module (lightpath/southbound/drivers/netconf/yang). No namespaces, no root services.
#
#   scripts/lab.sh up DIR [BASE_PORT]   start it (ports BASE_PORT.., default 17800) and write
#                                       DIR/topology.yaml, DIR/devices.json, DIR/known_hosts,
#                                       DIR/client_key and DIR/lightpath.yaml (data in DIR/data)
#   scripts/lab.sh down DIR             stop exactly what `up` started
#   scripts/lab.sh stop DIR NODE        power one device off (SIGKILL: its datastore is lost)
#   scripts/lab.sh start DIR NODE       start it again, empty
#   scripts/lab.sh pause|resume DIR NODE  freeze / thaw its netconfd (a hung device)
#
# Then: lightpath serve --config DIR/lightpath.yaml
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage() { echo "usage: $0 up DIR [BASE_PORT] | down DIR | stop|start|pause|resume DIR NODE" >&2; exit 2; }
[ $# -ge 2 ] || usage
command=$1
dir=$2
lightpath=${LIGHTPATH:-$root/build-release/apps/lightpath/lightpath}

pids_of() {  # the processes of one device (FILES: which pid files; default both)
  # Only those still its own: a pid file can outlive its process, and on a busy machine the
  # number goes to another process (a test's server was seen killed so).
  local d=$dir/devices/$1 pid file
  for file in ${2:-netconfd.pid sshd.pid}; do
    for pid in $(cat "$d/$file" 2>/dev/null); do
      tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "$d/" && echo "$pid"
    done
  done
  return 0
}
stop_device() {  # NODE [SIGNAL]: TERM to shut down, KILL for a power cut
  local d=$dir/devices/$1 pid signal=${2:-TERM}
  for pid in $(pids_of "$1"); do kill -CONT "$pid" 2>/dev/null || true; kill -"$signal" "$pid" 2>/dev/null || true; done
  for pid in $(pids_of "$1"); do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$d/netconfd.pid" "$d/sshd.pid" "$d/ncxserver.sock"
}
start_device() {  # netconfd with an empty startup config (as after a power cut) and its sshd
  local node=$1 d=$dir/devices/$1
  local port module target
  read -r port module target <"$d/device"
  rm -f "$d/ncxserver.sock"
  # A device may have a module of its own (an older release of the model) in its yang/.
  # Its own startup files too (empty: as after a power cut): netconfd takes the transaction id
  # file in its working directory before ~/.yuma's, and devices sharing ~/.yuma raced
  # ("cfg-init transaction ID failed": the device never started).
  echo 0 >"$d/startup-cfg-txid.txt"
  echo '<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>' >"$d/startup-cfg.xml"
  (cd "$d" && exec netconfd --port="$port" --ncxserver-sockname="$d/ncxserver.sock" \
    --startup="$d/startup-cfg.xml" --superuser=root --target="$target" \
    --modpath="$d/yang:$dir/yang:/usr/share/yuma/modules" \
    --module="$module" --log="$d/netconfd.log" >"$d/netconfd.out" 2>&1) &
  echo $! >"$d/netconfd.pid"
  /usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log"
}
wait_ready() {  # until netconfd has its socket and sshd its port
  local node=$1 d=$dir/devices/$1 port
  read -r port _ <"$d/device"
  for _ in $(seq 300); do
    if [ -S "$d/ncxserver.sock" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "lab: device $node did not start:" >&2
  tail -n 3 "$d/netconfd.out" "$d/netconfd.log" "$d/sshd.log" >&2 2>/dev/null
  return 1
}

case $command in
up)
  base=${3:-17800}
  "$root/scripts/install-deps.sh"
  [ -x "$lightpath" ] || "$root/scripts/build.sh" "$root/build-release" -DCMAKE_BUILD_TYPE=Release
  [ ! -e "$dir/devices" ] || { echo "lab: $dir holds a lab already (scripts/lab.sh down $dir)" >&2; exit 1; }
  mkdir -p "$dir/devices" "$dir/yang" /run/sshd
  dir=$(cd "$dir" && pwd)
  chmod 700 "$dir"
  cp "$root"/lightpath/southbound/drivers/netconf/yang/*.yang "$dir/yang/"
  "$lightpath" topology convert "$root/data/demo/demo-network.yaml" "$dir/demo.json" >/dev/null 2>&1
  /usr/bin/python3 "$root/scripts/lab_topology.py" "$dir/demo.json" "$dir/topology.json" "$dir/nodes.txt"
  "$lightpath" topology convert "$dir/topology.json" "$dir/topology.yaml" >/dev/null 2>&1
  rm -f "$dir/demo.json" "$dir/topology.json"
  ssh-keygen -q -t ed25519 -N '' -C lightpath-lab -f "$dir/client_key"
  : >"$dir/known_hosts"
  port=$base
  devices=()
  while read -r node dialect; do
    d=$dir/devices/$node
    mkdir -p "$d"
    case $dialect in openconfig) target=candidate ;; *) target=running ;; esac
    echo "$port lightpath-lab-$dialect $target" >"$d/device"
    ssh-keygen -q -t ed25519 -N '' -C "$node" -f "$d/host_key"
    cp "$dir/client_key.pub" "$d/authorized_keys"
    # sshd starts the subsystem through the user's shell, which reads HOME/.bashrc: a home of the
    # device's own keeps the machine's shell setup (seen: ~0.1 s of CPU per session) out of it.
    printf '%s\n' "ListenAddress 127.0.0.1" "Port $port" "HostKey $d/host_key" \
      "PidFile $d/sshd.pid" "AuthorizedKeysFile $d/authorized_keys" \
      "PermitRootLogin prohibit-password" "PasswordAuthentication no" \
      "KbdInteractiveAuthentication no" "UsePAM no" "StrictModes no" \
      "Subsystem netconf /usr/sbin/netconf-subsystem --ncxserver-sockname=$port@$d/ncxserver.sock" \
      "SetEnv HOME=$d" >"$d/sshd_config"
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$d/host_key.pub")" >>"$dir/known_hosts"
    devices+=("{\"node\": \"$node\", \"host\": \"127.0.0.1\", \"port\": $port, \"username\": \"root\", \"key_file\": \"client_key\", \"known_hosts\": \"known_hosts\", \"dialect\": \"$dialect\"}")
    start_device "$node"
    port=$((port + 1))
  done <"$dir/nodes.txt"
  (IFS=,; echo "[${devices[*]}]") | /usr/bin/python3 -m json.tool >"$dir/devices.json"
  cat >"$dir/lightpath.yaml" <<YAML
# Lightpath on the NETCONF lab (scripts/lab.sh up $dir)
listen: 127.0.0.1:8080
data: $dir/data
topology: $dir/topology.yaml
devices: $dir/devices.json
# A call that must first open the device's session (~0.2 s, more on a loaded machine) included.
device_timeout_ms: 5000
YAML
  while read -r node _; do wait_ready "$node"; done <"$dir/nodes.txt"
  echo "lab up: $(wc -l <"$dir/nodes.txt") devices on 127.0.0.1:$base-$((port - 1)); lightpath serve --config $dir/lightpath.yaml"
  ;;
down)
  [ -d "$dir/devices" ] || exit 0
  # Every device asked to stop first, then waited for (netconfd takes a few seconds each).
  for d in "$dir"/devices/*/; do stop_device "$(basename "$d")" & done
  wait
  ;;
stop) [ $# -eq 3 ] || usage; stop_device "$3" KILL ;;
start) [ $# -eq 3 ] || usage; dir=$(cd "$dir" && pwd); start_device "$3"; wait_ready "$3" ;;
pause) [ $# -eq 3 ] || usage; for p in $(pids_of "$3" netconfd.pid); do kill -STOP "$p"; done ;;
resume) [ $# -eq 3 ] || usage; for p in $(pids_of "$3" netconfd.pid); do kill -CONT "$p"; done ;;
*) usage ;;
esac
