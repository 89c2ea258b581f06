#!/usr/bin/env bash
# Builds Tuneforge and starts the whole platform on this machine: embedded PostgreSQL, S3Proxy,
# the web app and one CPU training node. Data lives in ./data (or $TUNEFORGE_DATA).
#   ./run.sh              build, then start
#   ./run.sh --no-build   start what was built last
#   ./run.sh --keycloak   also start a local Keycloak (demo realm) and sign in through it
# Other arguments go to the launcher (--port N, --data DIR, --no-node, ...; see --help).
set -euo pipefail
cd "$(dirname "$0")"
source bin/java-env.sh
tuneforge_use_jdk

build=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) args+=("$arg") ;;
  esac
done

if [ "$build" -eq 1 ]; then
  echo "Building Tuneforge with $JAVA_HOME (tests skipped; ./test.sh runs them) ..."
  ./mvnw -B -q -DskipTests install
fi

for arg in "${args[@]}"; do
  if [ "$arg" = "--keycloak" ]; then
    archive="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/26.7.3/keycloak-quarkus-dist-26.7.3.tar.gz"
    if [ ! -f "$archive" ]; then
      echo "Fetching Keycloak 26.7.3 (176 MB) from Maven Central ..."
      ./mvnw -B -q dependency:get -Dtransitive=false -Dartifact=org.keycloak:keycloak-quarkus-dist:26.7.3:tar.gz
    fi
  fi
done

jar=launcher/target/tuneforge-local.jar
if [ ! -f "$jar" ]; then
  echo "$jar is missing: run ./run.sh without --no-build first." >&2
  exit 1
fi
exec "$JAVA_HOME/bin/java" -jar "$jar" "${args[@]}"
