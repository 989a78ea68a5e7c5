#!/usr/bin/env bash
# Builds mediasoup's C++ worker with no network (mediasoup's own install downloads it from GitHub) from the
# installed mediasoup's sources against Debian's libraries (libsrtp2 rebuilt from Debian's source package
# with OpenSSL), and caches it per mediasoup version and build recipe outside the repo. Idempotent: prints
# the cached binary's path (the only stdout line) and exits early when it's there and current.
# Usage: bash infra/mediasoup-worker/build.sh        See README.md beside this file.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache_dir="${MAJLIS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/majlis}"
# dpkg-dev: `apt-get source` unpacks libsrtp2's source package with its dpkg-source.
debs=(g++ make pkg-config ninja-build libuv1-dev libssl-dev libflatbuffers-dev flatbuffers-compiler
	libabsl-dev patch dpkg-dev)
started=$SECONDS

log() { printf '[mediasoup-worker] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
elapsed() { printf '%dm%02ds' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)); }
# Started with no environment (no MEDIASOUP_VERSION) the worker exits 41: proves it loads and links here.
sane() { local rc=0; env -i "$1" >/dev/null 2>&1 || rc=$?; [ "$rc" -eq 41 ]; }
meson_ok() { command -v meson >/dev/null && printf '1.1.0\n%s\n' "$(meson --version)" | sort -VC; }
# The recipe: this script, the shims and the patches (relative paths, so every clone agrees). A cached
# binary built from another recipe is rebuilt; `prebuilt` marks mediasoup's own download (ensure.mjs).
recipe="$(cd "$here" && find build.sh shims patches -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)"
current() {
	local stamp
	stamp="$(cat "$bin.recipe" 2>/dev/null)" || return 1
	[ "$stamp" = "$recipe" ] || [ "$stamp" = prebuilt ] || return 1
	sane "$bin"
}
# Whether apt knows a source-package repository (deb-src), in one-line or deb822 format.
has_deb_src() {
	grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/
}

# mediasoup as installed for services/sfu (pnpm keeps it out of the root's node_modules).
pkg_dir="$(cd "$repo/services/sfu" &&
	node -p "require('path').resolve(require.resolve('mediasoup'), '../../..')" 2>/dev/null)" || pkg_dir=''
if [ -n "$pkg_dir" ]; then
	version="$(node -p "require('$pkg_dir/package.json').version")"
else
	version="$(sed -n 's/^ *mediasoup: *//p' "$repo/pnpm-workspace.yaml")"
	[ -n "$version" ] || die "mediasoup is not installed and pnpm-workspace.yaml's catalog has no version"
fi
bin="$cache_dir/mediasoup-worker-$version"

if current; then
	echo "$bin"
	exit 0
fi

# One build at a time per version (parallel installs share the cache); the winner fills it for the rest.
mkdir -p "$cache_dir"
exec 9>"$bin.lock"
flock -n 9 || { log "another build of $version is running; waiting for it"; flock 9; }
if current; then
	echo "$bin"
	exit 0
fi

# Debian build dependencies. Meson must be >= 1.1 (the worker's requirement): bookworm has 1.0.1,
# bookworm-backports 1.7.
debian=false
if command -v dpkg-query >/dev/null; then
	debian=true
	missing=()
	for deb in "${debs[@]}"; do
		dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'ok installed' || missing+=("$deb")
	done
	need_meson=false
	meson_ok || need_meson=true
	codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
	backports="$codename-backports"
	need_src=false
	has_deb_src || need_src=true
	if { [ ${#missing[@]} -gt 0 ] || $need_meson || $need_src; } && [ "$(id -u)" -ne 0 ]; then
		hint="Run this script as root (it installs them), or as root:"
		[ ${#missing[@]} -eq 0 ] || hint+=$'\n'"  apt-get install -y ${missing[*]}"
		! $need_meson || hint+=$'\n'"  apt-get install -y -t $backports meson   # with $backports in apt's sources"
		! $need_meson || missing+=('meson>=1.1')
		! $need_src || hint+=$'\n'"  add a deb-src line for your Debian mirror to apt's sources; apt-get update"
		! $need_src || missing+=('deb-src (libsrtp2 source package)')
		die "missing build dependencies: ${missing[*]}"$'\n'"$hint"
	fi
	export DEBIAN_FRONTEND=noninteractive
	updated=false
	# Package lists may be absent (fresh container) or stale: refresh them only when an install fails.
	apt_install() {
		apt-get install -y --no-install-recommends "$@" >&2 ||
			{ ! $updated && updated=true && apt-get update >&2 && apt-get install -y --no-install-recommends "$@" >&2; }
	}
	if $need_meson && ! grep -rqs -- "$backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
		log "adding $backports to apt's sources"
		printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
			"$backports" /usr/share/keyrings/debian-archive-keyring.gpg >/etc/apt/sources.list.d/majlis-backports.sources
		apt-get update >&2
		updated=true
	fi
	# libsrtp2's source package, from the mirrors apt already uses for binaries (same entries as deb-src).
	if $need_src; then
		log "adding deb-src entries for apt's Debian mirrors"
		deb822=/etc/apt/sources.list.d/debian.sources
		[ ! -f "$deb822" ] || sed 's/^Types:.*/Types: deb-src/' "$deb822" >/etc/apt/sources.list.d/majlis-src.sources
		[ ! -f /etc/apt/sources.list ] || sed -n 's/^deb[[:space:]]/deb-src /p' /etc/apt/sources.list \
			>/etc/apt/sources.list.d/majlis-src.list
		has_deb_src || die "no Debian mirror found in apt's sources to add a deb-src line for"
		apt-get update >&2
		updated=true
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		log "apt-get install ${missing[*]}"
		apt_install "${missing[@]}" || die "apt-get install ${missing[*]} failed"
	fi
	if $need_meson; then
		log "apt-get install -t $backports meson"
		apt_install -t "$backports" meson || die "installing meson from $backports failed"
		meson_ok || die "meson >= 1.1 is still not first on PATH (found $(meson --version 2>/dev/null || echo none))"
	fi
else
	log "not Debian: assuming the build dependencies are installed (see README.md)"
	meson_ok || die "meson >= 1.1 is required"
fi

log "building mediasoup-worker $version (about 5 min on 2 cores)"
# Build in a scratch dir inside the cache (outside the repo and node_modules; same filesystem as $bin).
rm -rf "$cache_dir/build-$version".* # left by a killed build (we hold the lock)
work="$(mktemp -d "$cache_dir/build-$version.XXXXXX")"
trap 'rm -rf "$work" "$bin.tmp.$$"' EXIT
if [ -n "$pkg_dir" ]; then
	cp -R "$pkg_dir/worker" "$work/worker"
	chmod -R u+w "$work/worker" # package stores may hand out read-only files
else
	log "mediasoup is not installed; fetching mediasoup@$version's sources with npm pack"
	(cd "$work" && npm pack --silent "mediasoup@$version" >/dev/null && tar xzf mediasoup-*.tgz)
	mv "$work/package/worker" "$work/worker"
fi
src="$work/worker"

# Meson never downloads a subproject whose directory exists: fill each wrap's directory with our shim.
for shim in "$here"/shims/*/; do
	wrap="$src/subprojects/$(basename "$shim").wrap"
	[ -f "$wrap" ] || die "$wrap not found: mediasoup $version changed its subprojects; update the shims"
	dir="$src/subprojects/$(sed -n 's/^directory *= *//p' "$wrap")"
	rm -rf "$dir" && cp -R "$shim" "$dir"
done
for p in "$here"/patches/*.patch; do
	patch -d "$src" -p1 --forward --batch --quiet <"$p" ||
		die "$(basename "$p") does not apply to mediasoup $version: check whether it is still needed"
done

# libsrtp2 with OpenSSL's crypto (AES-NI, one EVP context per key): Debian's libsrtp2 uses NSS, and every
# forwarded copy is one SRTP protect. Debian's source package (its patches applied), built static, so the
# worker needs no libsrtp2 at run time; the shim finds it through pkg-config before the system's.
if $debian; then
	log "building libsrtp2 from Debian's source package with OpenSSL"
	mkdir "$work/srtp-src"
	(cd "$work/srtp-src" && apt-get source libsrtp2 >&2) ||
		{ ! $updated && updated=true && apt-get update >&2 && (cd "$work/srtp-src" && apt-get source libsrtp2 >&2); } ||
		die "apt-get source libsrtp2 failed (needs a deb-src entry in apt's sources)"
	srtp_src="$(find "$work/srtp-src" -mindepth 1 -maxdepth 1 -type d -name 'libsrtp2-*' | head -n1)"
	[ -n "$srtp_src" ] || die "apt-get source libsrtp2 left no source tree"
	(cd "$srtp_src" && ./configure --prefix="$work/srtp2" --enable-openssl --disable-pcap \
		CFLAGS='-O2 -fPIC -D_REENTRANT' >&2 && make -j"$(nproc)" libsrtp2.a >&2 && make install >&2) ||
		die "building libsrtp2 with OpenSSL failed"
	export PKG_CONFIG_PATH="$work/srtp2/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
else
	log "not Debian: using the system's libsrtp2 (pkg-config libsrtp2)"
fi

(cd "$src" && meson setup --wrap-mode=nodownload --buildtype release -Db_ndebug=true build >&2 &&
	ninja -C build mediasoup-worker >&2) || die "build failed (after $(elapsed))"
sane "$src/build/mediasoup-worker" || die "the built worker does not run (expected exit code 41)"
if [ -n "${srtp_src:-}" ] && ldd "$src/build/mediasoup-worker" | grep -qE 'libsrtp2|libnss3'; then
	die "the worker links a shared libsrtp2/NSS, not the OpenSSL libsrtp2 built above"
fi

# Copy then rename (atomic on one filesystem): a half-written file is never at $bin.
cp "$src/build/mediasoup-worker" "$bin.tmp.$$"
chmod 755 "$bin.tmp.$$"
mv -f "$bin.tmp.$$" "$bin"
echo "$recipe" >"$bin.recipe"
log "built in $(elapsed): $bin"
echo "$bin"
