#!/usr/bin/env bash
# A soak of the plugin on a real two-node cluster (OpenSearch's integ-test-zip from Maven Central, both nodes as an
# unprivileged user on loopback, both cluster-manager-eligible, one index of 3 primaries and 1 replica), driven over
# HTTP by RealNodeSoak: concurrent bicmr_hash bulk ingest (a pipeline with the default bundle and the tiny test
# bundle) and bicmr_hamming queries (text, image, code, filtered, radius) for the given time; at a fifth of it the node
# that is not the cluster manager is killed with SIGKILL and restarted; later the tiny bundle is replaced on both nodes
# (another bundle of the same name and bits, other weights: a directory renamed into place) and
# POST _plugins/bicmr/models/_reload is called while queries run. Then every acknowledged document must be there, every
# query's answer must agree with a brute force over the documents (with the old or the new model's code, never a
# mixture), there must be no errors outside the killed node's absence, and each node's heap after a settle period and
# a forced GC must be back near its start.
# Usage: opensearch-plugin/src/test/real-node/soak.sh [seconds]   (from the repository root; default 60; builds what
#   it needs). The concurrent phase lasts the given time, or longer when the killed node takes long to come back (1.5 to
#   2 minutes on the shared 2-core machine); the whole run took about 4 minutes there with the default. SOAK_KEEP=1
#   keeps the work directory (it is kept anyway when the soak fails).
set -euo pipefail
seconds=${1:-60}
case "$seconds" in
  ''|*[!0-9]*) echo "seconds: expected a whole number, got \"$seconds\"" >&2; exit 2 ;;
esac
if [ "$seconds" -lt 30 ]; then
  echo "seconds: at least 30 (the kill and the reload need room), got $seconds" >&2
  exit 2
fi
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
real_node_prepare soak
user=nobody
heap=${SOAK_HEAP:-512m}

# two free HTTP ports side by side, and their transport ports
free() { ! (ss -ltn 2>/dev/null || netstat -ltn 2>/dev/null) | grep -q ":$1 "; }
for _ in $(seq 1 50); do
  port=$((9600 + RANDOM % 300 * 2))
  if free "$port" && free $((port + 1)) && free $((port + 1000)) && free $((port + 1001)); then break; fi
done
for n in 1 2; do
  conf="$work/config$n"
  cp -r "$home/config" "$conf"
  mkdir -p "$conf/bicmr/models"
  cp -r onnx-models/src/test/resources/org/bicmr/onnx/tiny-bundle "$conf/bicmr/models/tiny"
  rm -f "$conf/bicmr/models/tiny/expected.json" "$conf/bicmr/models/tiny/README.md"
  mkdir -p "$work/tmp$n" "$work/logs$n"
  # each node its own GC log, heap dump and error file (jvm.options names paths relative to the shared home)
  sed -i -e "s|logs/gc.log|$work/logs$n/gc.log|" -e "s|-XX:HeapDumpPath=data|-XX:HeapDumpPath=$work/data$n|" \
    -e "s|-XX:ErrorFile=logs/|-XX:ErrorFile=$work/logs$n/|" "$conf/jvm.options"
  cat >> "$conf/opensearch.yml" <<YML
cluster.name: bicmr-soak
node.name: soak-$n
path.data: $work/data$n
path.logs: $work/logs$n
network.host: 127.0.0.1
http.port: $((port + n - 1))
transport.port: $((port + 1000 + n - 1))
discovery.seed_hosts: ["127.0.0.1:$((port + 1000))", "127.0.0.1:$((port + 1001))"]
cluster.initial_cluster_manager_nodes: ["soak-1", "soak-2"]
bicmr.inference.device: auto
YML
done
# the replacement bundle: another "tiny" (version 2, other weights), put in place by the driver on both nodes
cp -r onnx-models/src/test/resources/org/bicmr/onnx/tiny-bundle-v2 "$work/tiny-v2"
rm -f "$work/tiny-v2/README.md"

# node.sh start|kill|stop N: what the driver calls to kill and restart a node (as $user, by the pid it wrote)
cat > "$work/node.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
n=\$2
pid_file="$work/pid\$n"
case "\$1" in
  start)
    runuser -u $user -- env OPENSEARCH_JAVA_HOME="$JAVA_HOME" OPENSEARCH_PATH_CONF="$work/config\$n" \\
      OPENSEARCH_TMPDIR="$work/tmp\$n" \\
      OPENSEARCH_JAVA_OPTS="-Xms$heap -Xmx$heap" "$home/bin/opensearch" -d -p "\$pid_file" \\
      > "$work/stdout\$n.log" 2>&1 < /dev/null ;;
  kill)
    kill -9 "\$(cat "\$pid_file")"; rm -f "\$pid_file" ;;
  stop)
    [ -f "\$pid_file" ] || exit 0
    pid=\$(cat "\$pid_file")
    kill "\$pid" 2>/dev/null || true
    for _ in \$(seq 1 60); do [ -e "/proc/\$pid" ] || exit 0; sleep 1; done
    kill -9 "\$pid" 2>/dev/null || true ;;
  gc)
    # a full GC in the node (its heap is then what is live), through the JDK's jcmd as the node's user
    runuser -u $user -- "$JAVA_HOME/bin/jcmd" "\$(cat "\$pid_file")" GC.run > /dev/null ;;
esac
SH
chmod 755 "$work/node.sh"
chown -R "$user" "$work"
stop_all() { "$work/node.sh" stop 1 || true; "$work/node.sh" stop 2 || true; }
trap 'stop_all 2>/dev/null' EXIT
"$work/node.sh" start 1
"$work/node.sh" start 2
for _ in $(seq 1 180); do
  if curl -s "localhost:$port/_cluster/health?wait_for_nodes=2&timeout=1s" 2>/dev/null | grep -q '"number_of_nodes":2'; then
    break
  fi
  sleep 1
done
if ! curl -s "localhost:$port/_cluster/health?wait_for_nodes=2&timeout=1s" | grep -q '"number_of_nodes":2'; then
  echo "the two nodes did not form a cluster; logs:" >&2
  tail -30 "$work"/logs1/*.log "$work"/logs2/*.log >&2 || true
  exit 1
fi
echo "soak: two nodes on ports $port and $((port + 1)), heap $heap each, $work" >&2

status=0
# (not niced apart from the nodes: the driver restarts the killed node, which inherits its priority)
java --enable-native-access=ALL-UNNAMED -Xmx1g \
  -cp "opensearch-plugin/target/test-classes:opensearch-plugin/target/classes:$encoder_cp" \
  org.bicmr.opensearch.RealNodeSoak "http://localhost:$port" "http://localhost:$((port + 1))" "$seconds" "$work" \
  || status=$?
stop_all
trap - EXIT
if grep -l "java.lang.OutOfMemoryError" "$work"/logs1/*.log "$work"/logs2/*.log "$work"/stdout*.log 2>/dev/null >&2; then
  echo "FAILED: a node ran out of memory" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "soak FAILED; logs kept in $work" >&2
  exit "$status"
fi
if [ -n "${SOAK_KEEP:-}" ]; then
  echo "soak passed; work directory kept: $work" >&2
else
  rm -rf "$work"
  echo "soak passed (work directory $work removed)" >&2
fi
