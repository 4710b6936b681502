#!/usr/bin/env bash
# Start a local PostgreSQL (Debian's package) for the notes tests and print its test URL.
# Used by .ci/run; locally (as root, or with sudo):
#   export NOTES_TEST_POSTGRES_URL="$(sudo scripts/postgres_for_tests.sh)"
# Idempotent: installs the package only when missing, reuses the cluster, role and database.
set -euo pipefail
ROLE=notes_ci
PASSWORD=notes_ci   # a throwaway test database on 127.0.0.1, not a secret

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main"; then
    pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 || true   # "already running" is fine
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 1
done
psql_admin() { runuser -u postgres -- psql -p "$port" -qtAc "$1"; }
[ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" = 1 ] ||
    psql_admin "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2
[ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$ROLE'")" = 1 ] ||
    psql_admin "CREATE DATABASE $ROLE OWNER $ROLE" >&2
# The notes' full-text index (lib/notes/fulltext.py) uses pg_trgm. Installed once here, in public,
# by the superuser: each test runs in its own schema, and an extension the app installed in one
# would go when that schema is dropped.
runuser -u postgres -- psql -p "$port" -d "$ROLE" -qtAc "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public" >&2
echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$port/$ROLE"
