#!/usr/bin/env bash
# Builds the benchmark's C programs (floor: the minimal SRTP forwarder; sink: the cheap RTP receiver) with
# the system's cc against OpenSSL, and caches them outside the repo, keyed by their sources, as
# infra/mediasoup-worker/build.sh does for the worker. Idempotent: prints the directory holding `floor`
# and `sink` (the only stdout line); as root it first installs gcc, libc6-dev and libssl-dev when missing.
# Usage: bash infra/bench/build.sh        See README.md beside this file.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_dir="${MAJLIS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/majlis}"
debs=(gcc libc6-dev libssl-dev pkg-config)
sources=(floor.c sink.c srtp_gcm.c srtp_gcm.h build.sh)

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

key="$(cd "$here" && sha256sum "${sources[@]}" | sha256sum | cut -c1-16)"
out="$cache_dir/bench-$key"
if [ -x "$out/floor" ] && [ -x "$out/sink" ]; then
	echo "$out"
	exit 0
fi

if command -v dpkg-query >/dev/null; then
	missing=()
	for deb in "${debs[@]}"; do
		dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'ok installed' || missing+=("$deb")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		[ "$(id -u)" -eq 0 ] || die "missing: ${missing[*]}; as root: apt-get install -y ${missing[*]}"
		log "apt-get install ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
			{ apt-get update >&2 && apt-get install -y --no-install-recommends "${missing[@]}" >&2; } ||
			die "apt-get install ${missing[*]} failed"
	fi
fi

mkdir -p "$cache_dir"
tmp="$(mktemp -d "$cache_dir/bench-$key.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
crypto="$(pkg-config --cflags --libs libcrypto 2>/dev/null || echo -lcrypto)"
# -march=native is not used: the binaries may be cached on one host and run on a similar one; OpenSSL
# picks AES-NI / AVX at run time anyway.
for prog in floor sink; do
	# shellcheck disable=SC2086 # $crypto is a list of flags
	cc -O2 -Wall -Wextra -std=gnu11 -o "$tmp/$prog" "$here/$prog.c" "$here/srtp_gcm.c" $crypto -lm ||
		die "compiling $prog.c failed"
done
# Rename the whole directory (atomic): a half-built pair is never at $out.
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
log "built $out"
echo "$out"
