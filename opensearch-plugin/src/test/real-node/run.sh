#!/usr/bin/env bash
# The plugin on a real OpenSearch node (the integ-test-zip distribution from Maven Central, the JDK found by
# bin/jdk-env, OpenSearch's Java agent enforcing plugin-security.policy), driven over HTTP by RealNodeCheck:
# install with bin/opensearch-plugin, a second bundle and a corrupt one in config/bicmr/models, a bundle that is a
# symlink to a directory outside the models directory (the agent must refuse the read), index through the
# bicmr_hash pipeline, search by text and by image features, compare with the encoder + brute force, restart, compare
# again; then the code memory on a small heap (RealNodeMemory): more codes than bicmr.codes.cache.limit across several
# indices, searched in turn and all at once, each answer exact or a 429 from the bicmr_codes breaker, evictions and
# bytes held within the limit in _plugins/bicmr/stats, no OutOfMemoryError. OpenSearch refuses to run as root: the
# node runs as an unprivileged user.
# Usage: opensearch-plugin/src/test/real-node/run.sh [bench [ingest-docs search-docs queries] | memory | memory-heavy]
#   (from the repository root; builds what it needs). With "bench": RealNodeBench instead of the checks. With
#   "memory": only the memory step (about 40 s); "memory-heavy": only a heavier one, more codes than the heap, as in
#   issue 22 (8 indices of 100,000 4096-bit codes, 410 MB, on a 384 MB heap with a 25% limit; several minutes).
#   BICMR_JFR=1 with "bench" records the node with Java Flight Recorder and prints its hot methods afterwards;
#   BICMR_BENCH_BUNDLE=<bundle directory> benches that bundle (installed under its manifest's name) instead of the
#   default one, e.g. a bag-of-words bundle, whose encoding is cheap beside indexing; BICMR_NODE_SETTINGS adds its
#   lines to the node's opensearch.yml (e.g. "bicmr.inference.threads: 1").
mode=${1:-}
case "$mode" in
  ""|bench|memory|memory-heavy) ;;
  *) echo "unknown mode \"$mode\"; expected nothing, bench, memory or memory-heavy" >&2; exit 2 ;;
esac
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
real_node_prepare real-node
port=$((9400 + RANDOM % 400))

models="$home/config/bicmr/models"
mkdir -p "$models"
cp -r onnx-models/src/test/resources/org/bicmr/onnx/tiny-bundle "$models/tiny"
rm -f "$models/tiny/expected.json" "$models/tiny/README.md"
cp -r onnx-models/src/test/resources/org/bicmr/onnx/tiny-image-bundle "$models/tiny-image"  # with an image extractor
rm -f "$models/tiny-image/README.md"
cp -r "$models/tiny" "$models/broken"
printf 'tampered' >> "$models/broken/text.onnx"                     # checksum mismatch: refused, others serve
outside="$work/outside-bundle"
cp -r "$models/tiny" "$outside"
ln -s "$outside" "$models/outside"                                  # a read outside the models directory
cat >> "$home/config/opensearch.yml" <<YML
discovery.type: single-node
http.port: $port
transport.port: $((port + 1000))
bicmr.inference.device: auto
${BICMR_NODE_SETTINGS:-}
YML
user=nobody
heap=512m
chown -R "$user" "$work"

start() {
  runuser -u "$user" -- env OPENSEARCH_JAVA_HOME="$JAVA_HOME" OPENSEARCH_JAVA_OPTS="-Xms$heap -Xmx$heap ${extra_opts:-}" \
    "$home/bin/opensearch" -d -p "$home/pid" > "$work/stdout.log" 2>&1 < /dev/null
  for _ in $(seq 1 120); do
    if curl -s "localhost:$port/_cluster/health?wait_for_status=yellow&timeout=1s" > /dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "node did not start; log:" >&2; tail -50 "$home/logs/opensearch.log" >&2; return 1
}
stop() {
  [ -f "$home/pid" ] || return 0
  local pid
  pid=$(cat "$home/pid")
  kill "$pid"
  for _ in $(seq 1 60); do [ -e "/proc/$pid" ] || return 0; sleep 1; done
  kill -9 "$pid" || true
}
trap 'stop 2>/dev/null || true' EXIT

check() {
  java --enable-native-access=ALL-UNNAMED \
    -cp "opensearch-plugin/target/test-classes:opensearch-plugin/target/classes:$encoder_cp" \
    org.bicmr.opensearch.RealNodeCheck "http://localhost:$port" "$1"
}
if [ "$mode" = bench ]; then
  heap=2g
  bench_bundle=()
  if [ -n "${BICMR_BENCH_BUNDLE:-}" ]; then
    bench_name=$(sed -n 's/^ *"name": *"\([^"]*\)".*/\1/p' "$BICMR_BENCH_BUNDLE/manifest.json" | head -1)
    cp -r "$BICMR_BENCH_BUNDLE" "$models/$bench_name"
    chown -R "$user" "$models/$bench_name"
    bench_bundle=("$BICMR_BENCH_BUNDLE")
  fi
  if [ -n "${BICMR_JFR:-}" ]; then # profile the node with Java Flight Recorder for the whole bench
    extra_opts="-XX:StartFlightRecording=filename=$work/node.jfr,settings=profile,dumponexit=true"
  fi
  start
  java --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector \
    -cp "opensearch-plugin/target/test-classes:opensearch-plugin/target/classes:$encoder_cp" \
    org.bicmr.opensearch.RealNodeBench "http://localhost:$port" "${2:-20000}" "${3:-1000000}" "${4:-200}" \
    "${bench_bundle[@]}"
  trap - EXIT
  stop
  if [ -n "${BICMR_JFR:-}" ]; then
    "$JAVA_HOME/bin/jfr" view --width 200 hot-methods "$work/node.jfr"
    echo "the node's flight recording: $work/node.jfr (e.g. jfr view allocation-by-site, jfr print --events ExecutionSample)"
  fi
  exit 0
fi
# the code memory on a small heap: a limit far below the codes indexed; the node must refuse cleanly, never run out
memory() {
  local indices=$1 docs=$2 bits=$3 oversized=$4 limit=$5
  heap=$6
  echo "bicmr.codes.cache.limit: $limit" >> "$home/config/opensearch.yml"
  start
  java --enable-native-access=ALL-UNNAMED \
    -cp "opensearch-plugin/target/test-classes:opensearch-plugin/target/classes:$encoder_cp" \
    org.bicmr.opensearch.RealNodeMemory "http://localhost:$port" "$indices" "$docs" "$bits" "$oversized"
  stop
  # (the JVM's own flags name -XX:+HeapDumpOnOutOfMemoryError in the log: look for the error itself, or a heap dump)
  if grep -rl "java.lang.OutOfMemoryError" "$home/logs" "$work/stdout.log" >&2 \
      || ls "$home"/data/*.hprof "$home"/*.hprof 2>/dev/null; then
    echo "FAILED: the node ran out of memory (heap $heap, limit $limit)" >&2
    return 1
  fi
  echo "memory: heap $heap, no OutOfMemoryError in the node's logs" >&2
}
if [ "$mode" = memory ] || [ "$mode" = memory-heavy ]; then
  if [ "$mode" = memory ]; then memory 6 8000 1024 30000 3mb 256m; else memory 8 100000 4096 0 25% 384m; fi
  trap - EXIT
  echo "real node: memory checks passed (OpenSearch $version, port $port, $work)"
  exit 0
fi
start
check first
grep -h "bicmr" "$home/logs/opensearch.log" | grep -v DEBUG | cut -c1-300 >&2 || true
# the encoder's log lines reach OpenSearch's log at their own level (CUDA's absence is an INFO, once, not a WARN)
if grep -q "WARN.*CUDA unavailable" "$home/logs/opensearch.log"; then
  echo "FAILED: the CPU fallback is logged as a warning:" >&2; grep "CUDA unavailable" "$home/logs/opensearch.log" >&2
  exit 1
fi
if ! command -v nvidia-smi >/dev/null && [ "$(grep -c "INFO.*CUDA unavailable" "$home/logs/opensearch.log")" != 1 ]; then
  echo "FAILED: expected one INFO line for the CPU fallback:" >&2; grep "CUDA" "$home/logs/opensearch.log" >&2
  exit 1
fi
stop
start
check after-restart
stop
memory 6 8000 1024 30000 3mb 256m
trap - EXIT
echo "real node: all checks passed (OpenSearch $version, port $port, $work)"
