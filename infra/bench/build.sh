#!/usr/bin/env bash
# Builds the benchmark's C programs (floor: the minimal SRTP forwarder; sink: the cheap RTP receiver) with
# the system's cc against OpenSSL, and caches them outside the repo, keyed by their sources, as
# infra/mediasoup-worker/build.sh does for the worker. Idempotent: prints the directory holding `floor`
# and `sink` (the only stdout line); as root it first installs gcc, libc6-dev and libssl-dev when missing.
# When apt can fetch source packages (deb-src) it also builds libsrtp2-openssl/libsrtp2.so.1: Debian's
# libsrtp2 with OpenSSL instead of NSS, so Janus can be measured with the worker's crypto too.
# Usage: bash infra/bench/build.sh        See README.md beside this file.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_dir="${MAJLIS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/majlis}"
debs=(gcc libc6-dev libssl-dev pkg-config)
sources=(floor.c sink.c srtp_gcm.c srtp_gcm.h bench.h build.sh)

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
# Optional: Debian's libsrtp2 source package built with OpenSSL, as a shared library Janus can load
# (LD_LIBRARY_PATH) in place of Debian's NSS build. Skipped, with a note, when the source is not available.
if command -v apt-get >/dev/null && mkdir "$tmp/srtp-src" &&
	(cd "$tmp/srtp-src" && apt-get source libsrtp2 >/dev/null 2>&1); then
	srtp_src="$(find "$tmp/srtp-src" -mindepth 1 -maxdepth 1 -type d -name 'libsrtp2-*' | head -n1)"
	if [ -n "$srtp_src" ] && (cd "$srtp_src" && ./configure --enable-openssl --disable-pcap \
		CFLAGS='-O2 -fPIC -D_REENTRANT' >/dev/null && make -j"$(nproc)" shared_library >/dev/null 2>&1); then
		mkdir "$tmp/libsrtp2-openssl"
		cp "$srtp_src/libsrtp2.so.1" "$tmp/libsrtp2-openssl/"
	else
		log "libsrtp2 with OpenSSL did not build; Janus runs with Debian's only"
	fi
else
	log "no libsrtp2 source package (deb-src): Janus runs with Debian's libsrtp2 only"
fi
rm -rf "$tmp/srtp-src"
# Rename the whole directory (atomic): a half-built pair is never at $out.
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
log "built $out"
echo "$out"
