#!/usr/bin/env bash
# Compose smoke: the real docker-compose.yml, started from images built here without any image registry
# (images.sh), on the host network with free ports (smoke.yml): waits for health, then a host signs up,
# schedules and starts a room and speaks over WebRTC while a werift listener bot must hear her through the
# SFU container (smoke-bot.ts); then `down -v`. Starts dockerd when none answers (host networking only:
# --bridge=none) and stops what it started. Exit 0: passed; 77: no Docker daemon can run here; else failed.
# Usage: bash infra/compose/smoke.sh [--break-sfu]   (--break-sfu: the SFU gets no worker; must fail)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
started=$SECONDS
log() { printf '[smoke] %s (%ss)\n' "$*" "$((SECONDS - started))" >&2; }
skip() { log "SKIP: $*"; exit 77; }

work="$(mktemp -d)"
dockerd_pid=''
project="majlis-smoke-$$"
compose=()
cleanup() {
	local rc=$?
	set +e
	if [ ${#compose[@]} -gt 0 ]; then
		[ "$rc" -eq 0 ] || "${compose[@]}" logs --no-color --tail=60 >&2 2>&1 || true
		"${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
	fi
	if [ -n "$dockerd_pid" ]; then
		log 'stopping the dockerd it started'
		kill "$dockerd_pid" 2>/dev/null || true
		for _ in $(seq 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
		# dockerd leaves its network namespace handle mounted.
		umount /run/docker/netns/default 2>/dev/null
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT

break_sfu=false
[ "${1:-}" != --break-sfu ] || break_sfu=true

# --- A Docker daemon: the one answering, or Debian's dockerd started here without bridge networking.
if ! docker info >/dev/null 2>&1; then
	[ "$(id -u)" -eq 0 ] || skip 'no Docker daemon answers and starting one needs root'
	need=()
	command -v dockerd >/dev/null || need+=(docker.io)
	command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || need+=(docker-compose)
	command -v debootstrap >/dev/null || need+=(debootstrap)
	if [ ${#need[@]} -gt 0 ]; then
		command -v apt-get >/dev/null || skip "missing ${need[*]} and no apt-get"
		log "installing ${need[*]} with apt-get"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null ||
			{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; } ||
			skip "could not install ${need[*]}"
	fi
	log 'starting dockerd (host networking only)'
	dockerd --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
		--pidfile "$work/dockerd.pid" >"$work/dockerd.log" 2>&1 &
	dockerd_pid=$!
	for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
	docker info >/dev/null 2>&1 || { tail -n 20 "$work/dockerd.log" >&2; skip 'dockerd did not start'; }
fi
if docker compose version >/dev/null 2>&1; then
	compose_cmd=(docker compose)
elif command -v docker-compose >/dev/null; then
	compose_cmd=(docker-compose)
else
	skip 'neither docker compose nor docker-compose is installed'
fi

# --- Node >= 22 for the bot and images.sh (the bootstrap provides one from the npm registry if needed).
PATH="$(node "$repo/scripts/majlis.mjs" node-dir):$PATH"

# --- Images (cached: only what changed is rebuilt).
bash "$here/images.sh"
log 'images ready'

# --- Free ports on loopback, a secret, and the compose project.
read -r api_port sfu_port pg_port redis_port rtc_min < <(node -e '
	const net = require("node:net");
	const free = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); }); });
	(async () => { const ports = []; for (let i = 0; i < 4; i++) ports.push(await free());
		ports.push(41000 + 100 * Math.floor(Math.random() * 80)); console.log(ports.join(" ")); })();')
export SMOKE_API_PORT=$api_port SMOKE_SFU_PORT=$sfu_port SMOKE_PG_PORT=$pg_port SMOKE_REDIS_PORT=$redis_port
export SMOKE_RTC_MIN_PORT=$rtc_min SMOKE_RTC_MAX_PORT=$((rtc_min + 99)) SMOKE_SECRETS="$work/secrets"
mkdir -p "$SMOKE_SECRETS"
chmod 755 "$work" "$SMOKE_SECRETS"
for name in jwt_secret turn_secret metrics_token; do
	node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))' >"$SMOKE_SECRETS/$name"
done
chmod 644 "$SMOKE_SECRETS"/*
! $break_sfu || export SMOKE_SFU_WORKER_BIN=/bin/false
compose=("${compose_cmd[@]}" -p "$project" -f "$repo/docker-compose.yml" -f "$here/smoke.yml")
"${compose[@]}" up -d --no-build >&2
# Everything is on the host network: a network of the project's would be a bridge, which must not exist.
[ -z "$(docker network ls -q --filter "label=com.docker.compose.project=$project")" ] ||
	{ log 'FAIL: compose created a network (a service is not on the host network)'; exit 1; }
log "compose up: api :$api_port, sfu :$sfu_port, media $rtc_min-$((rtc_min + 99))"

# --- Health, as compose's health checks see it.
wait_healthy() {
	local id status
	id="$("${compose[@]}" ps -q "$1")"
	for _ in $(seq 180); do
		status="$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id")"
		[ "$status" = healthy ] && return 0
		[ "$(docker inspect --format '{{.RestartCount}}' "$id")" -lt 3 ] || { log "$1 keeps restarting"; return 1; }
		[ "$(docker inspect --format '{{.State.Running}}' "$id")" = true ] ||
			[ "$(docker inspect --format '{{.State.Restarting}}' "$id")" = true ] || { log "$1 exited"; return 1; }
		sleep 1
	done
	log "$1 is $status after 180 s"
	return 1
}
for service in postgres redis api sfu; do
	wait_healthy "$service" || exit 1
done
log 'every service is healthy'

# --- A room, a speaking host, a listener that must hear her.
"$repo/node_modules/.bin/tsx" "$here/src/smoke-bot.ts" "http://127.0.0.1:$api_port"
log 'PASS'
