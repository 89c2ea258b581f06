#!/usr/bin/env bash
# Builds Tuneforge's container images without a Docker daemon (podman/buildah, --network=none):
#   localhost/tuneforge-base   glibc-only Debian root (mmdebstrap), jlinked Java runtime, user 10001
#   localhost/tuneforge-app    the app
#   localhost/tuneforge-node   the CPU training node (DJL's PyTorch CPU natives inside)
#   localhost/tuneforge-node-cuda  only with --cuda-base IMAGE (an NVIDIA CUDA runtime image the
#                              operator has locally) and --cuda-lib DIR (the node's lib/ with DJL's
#                              CUDA natives); see docker/README.md
# and prints each image's size and build time.
#
# Options: --skip-maven   use the jars already in app/target and training-node/target
#          --cuda-base IMAGE --cuda-lib DIR
# Needs podman, buildah, runc and mmdebstrap (Debian: apt-get install podman buildah runc mmdebstrap).
# Only mmdebstrap fetches (Debian packages, once: the root file system is cached in
# $TUNEFORGE_IMAGE_CACHE, default ~/.cache/tuneforge/images); the image builds run offline.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/java-env.sh
tuneforge_use_jdk

skip_maven=false
cuda_base=""
cuda_lib=""
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-maven) skip_maven=true ;;
    --cuda-base) cuda_base=$2; shift ;;
    --cuda-lib) cuda_lib=$2; shift ;;
    *) echo "Unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$cuda_base" ] && [ ! -d "$cuda_lib" ]; then
  echo "--cuda-base needs --cuda-lib DIR: the training node's lib/ folder with DJL's CUDA natives" >&2
  exit 2
fi
for tool in podman mmdebstrap jlink unzip; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is missing: apt-get install -y podman buildah runc mmdebstrap unzip" >&2; exit 1; }
done

out=docker/target
cache=${TUNEFORGE_IMAGE_CACHE:-$HOME/.cache/tuneforge/images}
mkdir -p "$out" "$cache"

# podman run/build need runc and raised ulimits on these machines.
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/docker/containers.conf}

version=$(sed -n '/<artifactId>tuneforge<\/artifactId>/,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
source_url=${TUNEFORGE_SOURCE_URL:-$(git remote get-url origin 2>/dev/null || echo "https://github.com/tuneforge/tuneforge")}
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)

if [ "$skip_maven" = false ]; then
  echo "Building the app and the training node (offline) ..."
  ./mvnw -o -q -B -pl app,training-node -am package -DskipTests
fi
app_jar=$(ls app/target/app-*-exec.jar 2>/dev/null | head -n 1)
[ -f "$app_jar" ] || { echo "No app/target/app-*-exec.jar: build without --skip-maven" >&2; exit 1; }
[ -f training-node/target/training-node.jar ] || { echo "No training-node/target/training-node.jar" >&2; exit 1; }

# What the images are made of; images labelled with the same digest are reused as they are. Jars
# count by their entries' names and CRCs (not their dates), so a repackaged but unchanged jar
# does not rebuild the images.
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
inputs=$(
  {
    cat docker/build.sh docker/HealthCheck.java docker/*/Containerfile
    echo "suite=$suite java=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
    for jar in "$app_jar" training-node/target/training-node.jar training-node/target/lib/*.jar; do
      echo "$(basename "$jar")"
      unzip -lv "$jar" | awk 'NR > 3 && NF >= 8 { print $1, $7, $8 }'
    done
  } | sha256sum | cut -c1-32
)
if [ -z "$cuda_base" ] && [ "${TUNEFORGE_IMAGE_REBUILD:-false}" != true ]; then
  reusable=true
  for name in tuneforge-base tuneforge-app tuneforge-node; do
    label=$(podman image inspect --format '{{index .Labels "dev.tuneforge.build-inputs"}}' "localhost/$name:$version" 2>/dev/null || true)
    [ "$label" = "$inputs" ] || reusable=false
  done
  if [ "$reusable" = true ]; then
    echo "Images of these jars exist (inputs $inputs): reused (TUNEFORGE_IMAGE_REBUILD=true rebuilds them)."
    for name in tuneforge-base tuneforge-app tuneforge-node; do
      size=$(podman image inspect --format '{{.Size}}' "localhost/$name:$version")
      printf '  %-28s %8.1f MB  reused\n' "localhost/$name" "$(awk "BEGIN{print $size/1000000}")"
    done
    exit 0
  fi
fi

# The SBOMs: cyclonedx-maven-plugin's makeBom refuses Maven's offline mode, but needs nothing
# beyond what the offline build above has already resolved. With -am the project's own modules
# (chat, protocol, ...) and their dependencies come from this tree, not from whatever snapshot an
# earlier install left in ~/.m2 (or, on a fresh machine, none at all, which dropped their
# dependencies from the SBOM).
echo "Writing the CycloneDX SBOMs ..."
./mvnw -q -B -pl app,training-node -am org.cyclonedx:cyclonedx-maven-plugin:makeBom
for sbom in app/target/bom.json training-node/target/bom.json; do
  [ -f "$sbom" ] || { echo "No CycloneDX SBOM $sbom" >&2; exit 1; }
done

elapsed() { echo $(( $(date +%s) - $1 )); }
report=()

# 1. The root file system: glibc, libstdc++, zlib and libgomp (PyTorch), nothing else: no shell.
rootfs=$cache/rootfs-$suite.tar
if [ ! -f "$rootfs" ]; then
  echo "Making the $suite root file system with mmdebstrap (once) ..."
  mmdebstrap --quiet --format=tar --variant=extract --include=libc6,libgcc-s1,libstdc++6,zlib1g,libgomp1,tzdata \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' "$suite" "$rootfs.part"
  mv "$rootfs.part" "$rootfs"
fi

# 2. The Java runtime: only the modules Spring Boot, Vaadin, Quartz, the JDBC driver, the AWS SDK
#    and DJL use.
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.charsets,jdk.crypto.cryptoki,jdk.localedata,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs
java_version=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
runtime=$cache/runtime-$java_version-$(printf '%s' "$modules" | sha256sum | cut -c1-12)
if [ ! -d "$runtime" ]; then
  echo "Linking the Java $java_version runtime with jlink (once) ..."
  rm -rf "$runtime.part"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$runtime.part"
  mv "$runtime.part" "$runtime"
fi

# 3. The build folders.
ctx=$out/context
rm -rf "$ctx"
mkdir -p "$ctx/base/etc" "$ctx/base/healthcheck" "$ctx/app" "$ctx/node/state"
cp docker/base/Containerfile "$ctx/base/"
ln "$rootfs" "$ctx/base/rootfs.tar" 2>/dev/null || cp "$rootfs" "$ctx/base/rootfs.tar"
cp -a "$runtime" "$ctx/base/runtime"
printf 'root:x:0:0:root:/root:/nonexistent\ntuneforge:x:10001:10001:Tuneforge:/tmp:/nonexistent\n' >"$ctx/base/etc/passwd"
printf 'root:x:0:\ntuneforge:x:10001:\n' >"$ctx/base/etc/group"
"$JAVA_HOME/bin/javac" --release 21 -d "$ctx/base/healthcheck" docker/HealthCheck.java
cp docker/app/Containerfile "$ctx/app/"
cp "$app_jar" "$ctx/app/app.jar"
cp app/target/bom.json "$ctx/app/sbom.cdx.json"
cp docker/node/Containerfile "$ctx/node/"
cp training-node/target/training-node.jar "$ctx/node/"
cp -a training-node/target/lib "$ctx/node/lib"
cp training-node/target/bom.json "$ctx/node/sbom.cdx.json"

labels=(
  --label "org.opencontainers.image.version=$version"
  --label "org.opencontainers.image.revision=$revision"
  --label "org.opencontainers.image.source=$source_url"
  --label "org.opencontainers.image.created=$created"
  --label "org.opencontainers.image.licenses=Apache-2.0"
  --label "org.opencontainers.image.vendor=Tuneforge"
  --label "dev.tuneforge.build-inputs=$inputs"
)

build() { # name title folder [podman build arguments]
  local name=$1 title=$2 folder=$3 started
  shift 3
  started=$(date +%s)
  echo "Building localhost/$name:$version ..."
  podman build --quiet --network=none --format docker --pull=never "${labels[@]}" \
    --label "org.opencontainers.image.title=$title" \
    -t "localhost/$name:$version" -t "localhost/$name:latest" "$@" "$folder" >/dev/null
  local size
  size=$(podman image inspect --format '{{.Size}}' "localhost/$name:$version")
  report+=("$(printf '%-28s %8.1f MB  built in %3d s' "localhost/$name" "$(awk "BEGIN{print $size/1000000}")" "$(elapsed "$started")")")
}

build tuneforge-base "Tuneforge base" "$ctx/base"
build tuneforge-app "Tuneforge app" "$ctx/app" --build-arg "BASE=localhost/tuneforge-base:$version"
build tuneforge-node "Tuneforge training node (CPU)" "$ctx/node" \
  --build-arg "BASE=localhost/tuneforge-base:$version" --build-arg "RUNTIME=localhost/tuneforge-base:$version"
if [ -n "$cuda_base" ]; then
  rm -rf "$ctx/node/lib"
  cp -a "$cuda_lib" "$ctx/node/lib"
  build tuneforge-node-cuda "Tuneforge training node (CUDA)" "$ctx/node" \
    --build-arg "BASE=$cuda_base" --build-arg "RUNTIME=localhost/tuneforge-base:$version"
fi

# The images these replaced (and the node's intermediate stage) are left untagged: drop ours only.
podman image prune -f --filter "label=org.opencontainers.image.vendor=Tuneforge" >/dev/null || true

echo
echo "Images (version $version, revision ${revision:0:12}):"
printf '  %s\n' "${report[@]}"
