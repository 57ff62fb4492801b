#!/usr/bin/env bash
# Run by `npm install` (postinstall) and `npm run build:native`: builds the relay's native
# signature check (native/schnorr-verify) against Debian's libsecp256k1, installing
# libsecp256k1-dev first when it is missing and we are root. Never fails the install: without
# it the relay verifies with the same library compiled to WASM, about six times slower.
set -uo pipefail
cd "$(dirname "$0")/.."
log=/tmp/build-native.log

has_library() { pkg-config --exists libsecp256k1 2>/dev/null && [ -f /usr/include/secp256k1_schnorrsig.h ]; }

if ! has_library && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "build-native: installing libsecp256k1-dev from Debian's packages"
  (DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libsecp256k1-dev pkg-config >"$log" 2>&1 \
    || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libsecp256k1-dev pkg-config >"$log" 2>&1; }) \
    || echo "build-native: could not install libsecp256k1-dev (see $log)" >&2
fi
if ! has_library; then
  echo "build-native: libsecp256k1-dev is not installed (apt-get install libsecp256k1-dev pkg-config, then npm run build:native); the relay verifies signatures with WASM, about six times slower" >&2
  exit 0
fi
if node-gyp rebuild --directory native/schnorr-verify >"$log" 2>&1; then
  echo "build-native: native/schnorr-verify built against libsecp256k1 $(pkg-config --modversion libsecp256k1)"
else
  tail -n 20 "$log" >&2
  echo "build-native: native/schnorr-verify did not build (see $log); the relay verifies signatures with WASM, about six times slower" >&2
fi
exit 0
