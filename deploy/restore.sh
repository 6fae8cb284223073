#!/bin/sh
# Restore a dump made by deploy/backup.sh into PGDATABASE, as the owner (PG* variables), in
# one transaction: either the whole backup is back or nothing changed. Stop web and worker
# first, and run the migrator afterwards (it re-applies the application role's grants).
set -eu
dump="${1:?usage: restore.sh FILE}"
pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname="$PGDATABASE" "$dump"
echo "restored $dump into $PGDATABASE"
