#!/usr/bin/env bash
# Installs the Debian packages the project needs, only when one is missing.
# Runs as root on a fresh Debian machine (CI and developer machines alike).
set -euo pipefail
packages=(libsodium-dev libzmq3-dev liblmdb-dev pkg-config)
if [[ "${1:-}" == "--with-protoc" ]]; then packages+=(protobuf-compiler); fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
    echo "installing: ${missing[*]}"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
