#!/usr/bin/env bash
# Installs the parts `npm run test:open-weight` needs, all under one directory
# ($FN_DISTIL_OPEN_WEIGHT_DIR, default <repo>/.open-weight), unattended and idempotent:
#   bin/llama-server  Debian's real llama.cpp server (package llama.cpp-tools from sid)
#   venv/             Python with torch (CPU), transformers, trl, tokenizers, gguf, numpy, pinned
#                     by spec/open-weight/python/requirements.txt
# Needs apt-get and python3 with venv (installs python3-venv with apt if missing, as root).
#
# Why not a sid chroot (debootstrap): llama.cpp is not in bookworm, and its sid build needs sid's
# glibc (>= 2.43). Instead of a whole minbase system (and root plus bind mounts to run a server on
# the host's files), apt resolves llama.cpp-tools' dependencies from sid into a private state
# directory, the .debs are unpacked here, and the binary runs through sid's own dynamic loader
# with --library-path: the same Debian binary and libraries, 27 packages (19 MB) instead of a
# system, and it runs as any user on host paths. Measured here: 4-14 s and 76 MB, against 59 s and
# 421 MB for `debootstrap --variant=minbase sid` plus `apt-get install llama.cpp-tools` in it.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
exec </dev/null

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${FN_DISTIL_OPEN_WEIGHT_DIR:-$repo/.open-weight}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
requirements=$repo/spec/open-weight/python/requirements.txt
started=$SECONDS

say() { printf 'open-weight setup [%4ss] %s\n' "$((SECONDS - started))" "$*"; }

# The Debian mirror this machine's apt already uses (deb822 sources or a one-line sources.list),
# unless FN_DISTIL_DEBIAN_MIRROR names one.
debian_mirror() {
  if [ -n "${FN_DISTIL_DEBIAN_MIRROR:-}" ]; then echo "$FN_DISTIL_DEBIAN_MIRROR"; return; fi
  local found
  found=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }')
  [ -n "$found" ] || found=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '/^deb / { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\/.*\/debian\/?$/) { print $i; exit } }')
  echo "${found:-http://deb.debian.org/debian}"
}

multiarch() {
  case "$(dpkg --print-architecture)" in
    amd64) echo x86_64-linux-gnu ;;
    arm64) echo aarch64-linux-gnu ;;
    *) echo "open-weight setup: unsupported architecture $(dpkg --print-architecture)" >&2; exit 1 ;;
  esac
}

install_llama_server() {
  local llama=$dir/llama state=$dir/llama/apt mirror triplet
  mirror=$(debian_mirror)
  triplet=$(multiarch)
  rm -rf "$state/cache" # .debs of an install that stopped half-way
  mkdir -p "$state/etc/apt.conf.d" "$state/etc/preferences.d" "$state/etc/sources.list.d" "$state/lists/partial" "$state/cache/archives/partial"
  touch "$state/status" # no package counts as installed: apt resolves every dependency from sid
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main" > "$state/etc/sources.list"
  local apt=(
    -o "Dir::Etc=$state/etc" -o "Dir::State=$state" -o "Dir::State::status=$state/status" -o "Dir::Cache=$state/cache"
    -o Debug::NoLocking=1 -o APT::Sandbox::User=root
    # sid's Release file on some mirrors is older than its Valid-Until (measured here: valid until
    # 2026-11-06, served in December). Signatures are still checked; only the freshness is not.
    -o Acquire::Check-Valid-Until=false
  )
  say "llama-server: reading sid's package list from $mirror"
  apt-get "${apt[@]}" -qq update
  apt-get "${apt[@]}" -qq -y --download-only --no-install-recommends install llama.cpp-tools >/dev/null
  local debs=("$state"/cache/archives/*.deb) package_version
  package_version=$(dpkg-deb -f "$state"/cache/archives/llama.cpp-tools_*.deb Version)
  say "llama-server: unpacking ${#debs[@]} packages"
  rm -rf "$llama/root.new"
  mkdir -p "$llama/root.new"
  for deb in "${debs[@]}"; do dpkg-deb -x "$deb" "$llama/root.new"; done
  local lib=$llama/root.new/usr/lib/$triplet
  # ggml loads its CPU backend (the best of several builds for this CPU) from a fixed /usr/lib
  # path, or else from the executable's directory: run through the loader, that is the loader's
  # own directory, so the backends are linked there (ggml/src/ggml-backend-reg.cpp, ggml_backend_load_best).
  for backend in "$lib"/ggml/backends0/*.so; do ln -sf "ggml/backends0/$(basename "$backend")" "$lib/"; done
  rm -rf "$llama/root"
  mv "$llama/root.new" "$llama/root"
  # The package lists (about 90 MB for sid) and .debs are only needed to install.
  apt-get "${apt[@]}" clean
  rm -rf "$state/lists"
  lib=$llama/root/usr/lib/$triplet
  local loader
  loader=$(ls "$lib"/ld-linux*.so.*)
  mkdir -p "$dir/bin"
  cat > "$dir/bin/llama-server" <<EOF
#!/bin/sh
# Debian sid's llama-server through sid's own loader and libraries (written by .ci/open-weight-setup.sh).
exec "$loader" --library-path "$lib:$lib/llama" "$llama/root/usr/bin/llama-server" "\$@"
EOF
  chmod +x "$dir/bin/llama-server"
  echo "llama.cpp-tools $package_version, $("$dir/bin/llama-server" --version 2>&1 | head -1)" > "$llama/version"
}

if [ -x "$dir/bin/llama-server" ] && "$dir/bin/llama-server" --version >/dev/null 2>&1; then
  say "llama-server: already installed ($(cat "$dir/llama/version" 2>/dev/null))"
else
  install_llama_server
  say "llama-server: installed ($(cat "$dir/llama/version"))"
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  say "python: installing python3-venv"
  apt-get -qq update && apt-get -qq -y --no-install-recommends install python3-venv >/dev/null
fi
stamp=$(sha256sum "$requirements" | cut -c1-16)
if [ -x "$dir/venv/bin/python" ] && [ "$(cat "$dir/venv/.requirements" 2>/dev/null)" = "$stamp" ]; then
  say "python: venv already installed"
else
  say "python: creating venv with $("$python" --version 2>&1)"
  rm -rf "$dir/venv"
  "$python" -m venv "$dir/venv"
  say "python: installing $(grep -c '==' "$requirements") pinned packages"
  # Fail fast on an index that cannot be reached (a machine with only a local mirror): pip would
  # retry it five times per package with back-off. PIP_RETRIES still wins when set.
  # Its output (warnings about this machine's pip mirrors included) goes to a log shown on failure.
  if ! PIP_RETRIES=${PIP_RETRIES:-0} "$dir/venv/bin/pip" install --no-input --only-binary=:all: -r "$requirements" > "$dir/pip.log" 2>&1; then
    tail -n 40 "$dir/pip.log" >&2
    say "python: pip install failed (whole log: $dir/pip.log)"
    exit 1
  fi
  echo "$stamp" > "$dir/venv/.requirements"
fi
say "python: $("$dir/venv/bin/python" -c 'import importlib.metadata as m; print(" ".join(f"{p} {m.version(p)}" for p in ("torch", "transformers", "trl", "tokenizers", "gguf", "numpy")))')"
say "done in $((SECONDS - started)) s: $dir"
