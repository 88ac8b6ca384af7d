# Sourced by run.sh and soak.sh (from the repository root's scripts, never run alone): builds the plugin, fetches
# OpenSearch's integ-test-zip from Maven Central once, writes the test class path, unpacks a fresh OpenSearch into a
# new work directory and installs the plugin with bin/opensearch-plugin. Call real_node_prepare NAME; afterwards:
#   root        the repository root (the current directory)
#   version     the OpenSearch release: the pom's opensearch.version, or OPENSEARCH_VERSION=3.x.y to test another
#   encoder_cp  the class path of the encoder side a driver needs beside the test classes (the whole OpenSearch test
#               class path beside ONNX Runtime crashes the JVM)
#   work        the new work directory (/tmp/bicmr-NAME.XXXXXX, readable by the node's unprivileged user)
#   home        the OpenSearch installation in it, with the plugin installed
real_node_prepare() {
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
  source "$root/bin/jdk-env"
  cd "$root"
  version=${OPENSEARCH_VERSION:-$(sed -n 's:.*<opensearch.version>\(.*\)</opensearch.version>.*:\1:p' pom.xml | head -1)}
  mvn -q -B -ntp -pl opensearch-plugin -am package -DskipTests -Dopensearch.version="$version" >&2
  local zip="$HOME/.m2/repository/org/opensearch/distribution/integ-test-zip/opensearch/$version/opensearch-$version.zip"
  if [ ! -f "$zip" ]; then
    (cd /tmp && mvn -q -B -ntp dependency:get \
      -Dartifact="org.opensearch.distribution.integ-test-zip:opensearch:$version:zip" -Dtransitive=false >&2)
  fi
  mvn -q -B -ntp -pl opensearch-plugin -am test-compile dependency:build-classpath -Dopensearch.version="$version" \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/real-node.classpath >&2
  encoder_cp=$(tr ':' '\n' < opensearch-plugin/target/real-node.classpath \
    | grep -E 'onnx|gson|hash-codes|lucene-codec|lucene-core|error_prone|tokenizers|djl|langchain4j|slf4j' | paste -sd:)
  work=$(mktemp -d "/tmp/bicmr-$1.XXXXXX")
  chmod 755 "$work"
  home="$work/opensearch-$version"
  unzip -q "$zip" -d "$work"
  "$home/bin/opensearch-plugin" install --batch \
    "file://$root/opensearch-plugin/target/bicmr-opensearch-0.1.0-SNAPSHOT.zip" >&2
}
