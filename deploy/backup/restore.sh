#!/bin/sh
# restore.sh BACKUP TARGET_DATABASE: restore a backup made by backup.sh into a NEW database
# (created here; an existing one is refused, so the live database is never overwritten), and
# its uploaded files into MEDIA_DIR (which must be empty). The checksums are verified first.
#
# Environment: PGHOST PGPORT PGUSER PGPASSWORD (libpq's; the user may create databases),
# MEDIA_DIR, BACKUP_PASSPHRASE_FILE (for an encrypted backup), PG_BIN (optional).
# Then point DATABASE_URL at TARGET_DATABASE, or rename it (docs/operations.md).
set -eu

backup=${1:?usage: restore.sh BACKUP_DIRECTORY TARGET_DATABASE}
target=${2:?usage: restore.sh BACKUP_DIRECTORY TARGET_DATABASE}
: "${MEDIA_DIR:?set MEDIA_DIR}"
pg_restore="${PG_BIN:+$PG_BIN/}pg_restore"
psql="${PG_BIN:+$PG_BIN/}psql"
createdb="${PG_BIN:+$PG_BIN/}createdb"

echo "restore: verifying the checksums of $backup"
(cd "$backup" && sha256sum -c --quiet SHA256SUMS)

if [ -d "$MEDIA_DIR" ] && [ -n "$(ls -A "$MEDIA_DIR")" ]; then
    echo "restore: $MEDIA_DIR is not empty; restore the files into an empty directory" >&2
    exit 1
fi
case "$target" in
    *[!A-Za-z0-9_]* | "") echo "restore: name the database with letters, digits and _ only" >&2; exit 1 ;;
esac
exists=$("$psql" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$target'")
if [ "$exists" = 1 ]; then
    echo "restore: database $target exists; restore into a new database" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for file in database.dump media.tar.gz; do
    if [ -f "$backup/$file.enc" ]; then
        : "${BACKUP_PASSPHRASE_FILE:?the backup is encrypted: set BACKUP_PASSPHRASE_FILE}"
        openssl enc -d -aes-256-cbc -pbkdf2 -iter 200000 \
            -pass "file:$BACKUP_PASSPHRASE_FILE" -in "$backup/$file.enc" -out "$work/$file"
    else
        ln -s "$(cd "$backup" && pwd)/$file" "$work/$file"
    fi
done

echo "restore: creating database $target"
"$createdb" "$target"
# Owners and grants of the source server are not carried over: the restoring user owns all.
if ! "$pg_restore" --no-owner --no-acl --exit-on-error --dbname="$target" "$work/database.dump"; then
    echo "restore: pg_restore failed; database $target is incomplete, drop it" >&2
    exit 1
fi

echo "restore: extracting the files into $MEDIA_DIR"
mkdir -p "$MEDIA_DIR"
tar -C "$MEDIA_DIR" -xzf "$work/media.tar.gz"
echo "restore: done"
