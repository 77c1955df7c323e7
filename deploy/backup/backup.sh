#!/bin/sh
# One backup of the portal: the database (pg_dump, custom format) and the uploaded files (a
# tarball of MEDIA_DIR), with their SHA-256 checksums, in BACKUP_DIR/portal-YYYYMMDD-HHMMSS/.
# Then the old backups are rotated (rotate.sh) and, when BACKUP_OFFSITE_DIR is set (a share
# mounted from another host), the new backup is copied there and rotated there too.
#
# Environment: PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE (libpq's), BACKUP_DIR, MEDIA_DIR,
# BACKUP_KEEP_DAILY (default 14), BACKUP_KEEP_WEEKLY (default 8), BACKUP_PASSPHRASE_FILE
# (optional: encrypt both files with openssl, AES-256, key derived by PBKDF2), BACKUP_OFFSITE_DIR
# (optional), PG_BIN (optional: the directory of a pg_dump matching the server's version).
# Restore: restore.sh (docs/operations.md).
set -eu

: "${BACKUP_DIR:?set BACKUP_DIR}"
: "${MEDIA_DIR:?set MEDIA_DIR}"
: "${PGDATABASE:?set PGDATABASE}"
here=$(cd "$(dirname "$0")" && pwd)
pg_dump="${PG_BIN:+$PG_BIN/}pg_dump"
pg_restore="${PG_BIN:+$PG_BIN/}pg_restore"

name="portal-$(date +%Y%m%d-%H%M%S)"
partial="$BACKUP_DIR/.partial-$name"
mkdir -p "$BACKUP_DIR"
rm -rf "$partial"
mkdir -m 700 "$partial"
# A failed run leaves no half backup that rotation would count as a good one.
trap 'rm -rf "$partial"' EXIT

echo "backup $name: dumping database $PGDATABASE"
"$pg_dump" --format=custom --compress=6 --file="$partial/database.dump" "$PGDATABASE"
# The dump must be readable by pg_restore, or it is no backup.
"$pg_restore" --list "$partial/database.dump" >/dev/null

echo "backup $name: archiving $MEDIA_DIR"
tar -C "$MEDIA_DIR" -czf "$partial/media.tar.gz" .

if [ -n "${BACKUP_PASSPHRASE_FILE:-}" ]; then
    command -v openssl >/dev/null || { echo "BACKUP_PASSPHRASE_FILE is set but openssl is missing" >&2; exit 1; }
    for file in database.dump media.tar.gz; do
        openssl enc -aes-256-cbc -pbkdf2 -iter 200000 -salt \
            -pass "file:$BACKUP_PASSPHRASE_FILE" -in "$partial/$file" -out "$partial/$file.enc"
        rm "$partial/$file"
    done
fi

(cd "$partial" && sha256sum -- * > SHA256SUMS)
mv "$partial" "$BACKUP_DIR/$name"
trap - EXIT
echo "backup $name: done ($(du -sh "$BACKUP_DIR/$name" | cut -f1))"

sh "$here/rotate.sh" "$BACKUP_DIR" "${BACKUP_KEEP_DAILY:-14}" "${BACKUP_KEEP_WEEKLY:-8}"

if [ -n "${BACKUP_OFFSITE_DIR:-}" ]; then
    cp -r "$BACKUP_DIR/$name" "$BACKUP_OFFSITE_DIR/.partial-$name"
    (cd "$BACKUP_OFFSITE_DIR/.partial-$name" && sha256sum -c --quiet SHA256SUMS)
    mv "$BACKUP_OFFSITE_DIR/.partial-$name" "$BACKUP_OFFSITE_DIR/$name"
    sh "$here/rotate.sh" "$BACKUP_OFFSITE_DIR" "${BACKUP_KEEP_DAILY:-14}" "${BACKUP_KEEP_WEEKLY:-8}"
    echo "backup $name: copied to $BACKUP_OFFSITE_DIR"
fi
