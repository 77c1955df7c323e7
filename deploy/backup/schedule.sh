#!/bin/sh
# The backup service's loop: backup.sh every day at BACKUP_AT (HH:MM, the container's TZ).
# A failed backup is logged and retried the next day; the service itself keeps running.
set -u
here=$(cd "$(dirname "$0")" && pwd)
at=${BACKUP_AT:-02:30}
while true; do
    now=$(date +%s)
    next=$(date -d "today $at" +%s)
    [ "$next" -le "$now" ] && next=$(date -d "tomorrow $at" +%s)
    echo "backup: next run at $(date -d "@$next" '+%Y-%m-%d %H:%M')"
    sleep $((next - now))
    sh "$here/backup.sh" || echo "backup: FAILED (exit $?)" >&2
done
