#!/usr/bin/env bash
# Regenerates Sources/Wire/Generated/*.pb.swift from proto/ with Debian's protoc and the
# protoc-gen-swift of the exact swift-protobuf version the package resolves.
#   scripts/generate-proto.sh          regenerate in place
#   scripts/generate-proto.sh --check  regenerate into a temporary directory and fail if the
#                                      committed code differs (stale)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
scripts/install-deps.sh --with-protoc

# Build protoc-gen-swift from the swift-protobuf checkout that Package.swift pins.
swift package resolve >/dev/null
checkout=".build/checkouts/swift-protobuf"
[[ -d "$checkout" ]] || { echo "swift-protobuf checkout missing at $checkout" >&2; exit 1; }
plugin_build=".build/protoc-gen-swift"
swift build -c release --package-path "$checkout" --scratch-path "$plugin_build" --product protoc-gen-swift >/dev/null
plugin="$plugin_build/release/protoc-gen-swift"

out="Sources/Wire/Generated"
target="$out"
if [[ "${1:-}" == "--check" ]]; then target="$(mktemp -d)"; fi
mkdir -p "$target"
protoc --proto_path=proto --plugin=protoc-gen-swift="$plugin" \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
    --swift_out="$target" proto/ai_registry/v1/*.proto

if [[ "${1:-}" == "--check" ]]; then
    if diff -ru "$out" "$target"; then echo "generated protobuf code is up to date"; rm -rf "$target"
    else echo "generated protobuf code is STALE: run scripts/generate-proto.sh" >&2; rm -rf "$target"; exit 1; fi
fi
