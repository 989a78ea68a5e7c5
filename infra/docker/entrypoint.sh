#!/bin/sh
# Reads secrets mounted as files: for every VAR_FILE in the environment (JWT_SECRET_FILE=/run/secrets/jwt_secret,
# as compose and Kubernetes mount them), exports VAR with the file's content, then runs the command.
set -eu
for name in $(env | sed -n 's/^\([A-Z][A-Z0-9_]*\)_FILE=.*/\1/p'); do
	file="$(printenv "${name}_FILE")"
	[ -r "$file" ] || { echo "[majlis] ${name}_FILE=$file is not readable" >&2; exit 1; }
	export "$name=$(cat "$file")"
	unset "${name}_FILE"
done
exec "$@"
