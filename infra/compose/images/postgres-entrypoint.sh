#!/bin/sh
# Initialises $PGDATA on first start (user, password, database from POSTGRES_*), then runs postgres as the
# postgres user, listening on every interface and $PGPORT (default 5432).
set -eu
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
password="${POSTGRES_PASSWORD:-}"
[ -z "${POSTGRES_PASSWORD_FILE:-}" ] || password="$(cat "$POSTGRES_PASSWORD_FILE")"
mkdir -p "$PGDATA" /run/postgresql
chown -R postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
	pwfile="$(mktemp)"
	printf '%s' "$password" >"$pwfile"
	chown postgres "$pwfile"
	su postgres -c "/usr/lib/postgresql/15/bin/initdb -D '$PGDATA' -U '$user' --pwfile='$pwfile' --auth-local=trust --auth-host=scram-sha-256" >/dev/null
	rm -f "$pwfile"
	echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
	if [ "$db" != postgres ]; then
		su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D '$PGDATA' -o \"-c listen_addresses=''\" -w start" >/dev/null
		su postgres -c "/usr/bin/psql -q -U '$user' -d postgres -c 'CREATE DATABASE \"$db\"'"
		su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D '$PGDATA' -m fast -w stop" >/dev/null
	fi
fi
exec su postgres -c "exec /usr/lib/postgresql/15/bin/postgres -D '$PGDATA' -c listen_addresses='${POSTGRES_LISTEN_ADDRESSES:-*}' -p '${PGPORT:-5432}'"
