#!/bin/sh
# rotate.sh DIR KEEP_DAILY KEEP_WEEKLY: of the backups portal-YYYYMMDD-HHMMSS in DIR, keep the
# newest KEEP_DAILY, and beyond them the newest backup of each of the KEEP_WEEKLY most recent
# ISO weeks; delete the rest. Half-written backups (.partial-*) older than a day go too.
set -eu
dir=$1 keep_daily=$2 keep_weekly=$3

ls -1 "$dir" | grep -E '^portal-[0-9]{8}-[0-9]{6}$' | sort -r > "$dir/.rotate-list" || true
kept_weeks=""
count=0
while read -r name; do
    count=$((count + 1))
    if [ "$count" -le "$keep_daily" ]; then
        continue
    fi
    day=$(echo "$name" | cut -c8-15)
    week=$(date -d "$day" +%G-%V)
    case " $kept_weeks " in
        *" $week "*) ;;
        *)
            if [ "$(echo "$kept_weeks" | wc -w)" -lt "$keep_weekly" ]; then
                kept_weeks="$kept_weeks $week"
                continue
            fi
            ;;
    esac
    rm -rf "${dir:?}/$name"
    echo "rotate: removed $name"
done < "$dir/.rotate-list"
rm -f "$dir/.rotate-list"
find "$dir" -maxdepth 1 -name '.partial-*' -mtime +0 -exec rm -rf {} +
