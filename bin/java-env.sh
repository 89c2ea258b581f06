# shellcheck shell=bash
# Sourced by run.sh and test.sh: finds a JDK 21 or newer, installing Debian's when there is none,
# and exports JAVA_HOME and PATH for it.

tuneforge_java_major() { # prints the feature version of the java binary $1, or nothing
  local line
  line=$("$1" -version 2>&1 | head -n 1) || return 0
  line=${line#*\"}
  line=${line%%\"*}
  case "$line" in
    1.*) line=${line#1.} ;;
  esac
  printf '%s\n' "${line%%[.+-]*}"
}

tuneforge_jdk_ok() { # true if $1 is a JDK home (with javac) of version 21 or newer
  local home=$1 major
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  major=$(tuneforge_java_major "$home/bin/java")
  [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null
}

tuneforge_find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && tuneforge_jdk_ok "$JAVA_HOME"; then
    printf '%s\n' "$JAVA_HOME"
    return 0
  fi
  if tuneforge_jdk_ok /usr/lib/jvm/temurin-25-jdk-amd64; then
    printf '%s\n' /usr/lib/jvm/temurin-25-jdk-amd64
    return 0
  fi
  # Newest first: sort the folder names by the version they contain.
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -t- -k2 -V -r); do
    if tuneforge_jdk_ok "$candidate"; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if tuneforge_jdk_ok "$candidate"; then
      printf '%s\n' "$candidate"
      return 0
    fi
  fi
  return 1
}

tuneforge_install_jdk() {
  local package
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "No JDK 21 or newer found, and this is not a Debian-like system: install one and set JAVA_HOME." >&2
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "No JDK 21 or newer found. Install one, e.g.: sudo apt-get install -y openjdk-21-jdk-headless" >&2
    echo "(or any JDK 21+), then set JAVA_HOME to it." >&2
    return 1
  fi
  echo "No JDK 21 or newer found; installing one with apt-get ..." >&2
  apt-get update -q >&2 || true
  for package in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
    if apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" >&2 && return 0
    fi
  done
  echo "This system's package sources offer no JDK 21 or newer (Debian 12 has only 17)." >&2
  echo "Install a JDK 21+ (e.g. Eclipse Temurin) and set JAVA_HOME to it." >&2
  return 1
}

tuneforge_use_jdk() {
  local home
  if ! home=$(tuneforge_find_jdk); then
    tuneforge_install_jdk || exit 1
    home=$(tuneforge_find_jdk) || { echo "Still no JDK 21 or newer after installing one." >&2; exit 1; }
  fi
  export JAVA_HOME=$home
  export PATH="$JAVA_HOME/bin:$PATH"
}
