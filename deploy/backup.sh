#!/bin/sh
# A pg_dump of the Onward database into ONWARD_BACKUP_DIR, as the owner (PGHOST, PGUSER,
# PGDATABASE, PGPASSWORD). Once, or forever with `--every SECONDS` (compose's backup service).
# Dumps older than ONWARD_BACKUP_KEEP_DAYS are removed. Restore: deploy/restore.sh FILE.
set -eu
dir="${ONWARD_BACKUP_DIR:-/backups}"
keep="${ONWARD_BACKUP_KEEP_DAYS:-14}"

backup_once() {
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	target="$dir/onward-$stamp.dump"
	# Written under a temporary name: a half-written dump is never mistaken for a backup.
	pg_dump --format=custom --file="$target.partial"
	mv "$target.partial" "$target"
	find "$dir" -name 'onward-*.dump' -mtime +"$keep" -delete
	echo "backup written: $target"
}

if [ "${1:-}" = "--every" ]; then
	while true; do
		backup_once
		sleep "${2:?--every needs seconds}"
	done
else
	backup_once
fi
