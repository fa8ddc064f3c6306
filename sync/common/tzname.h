/* tzname.h — is a string a usable IANA zone name, and is its tzdata file
 * there: the one check the kiosk (tz.c) and the hub (hubtz.c, calendar.c)
 * both make before a zone touches TZ or a path.
 * Must not: load or convert anything (tz.c and hubtz.c do). */
#ifndef PRESENTIE_TZNAME_H
#define PRESENTIE_TZNAME_H

#define PR_TZ_ZONEINFO_DIR "/usr/share/zoneinfo"   /* unless $TZDIR is set */

/* 1 if zone is 1..PR_TZ_MAX-1 bytes of [A-Za-z0-9/_+-], not starting with
 * '/' and without "..": safe to put into TZ and under the zoneinfo folder.
 * 0 otherwise (also for NULL). */
int pr_tz_name_ok(const char *zone);

/* 1 if $TZDIR (or PR_TZ_ZONEINFO_DIR)/zone is a regular file starting with
 * "TZif", else 0. glibc silently uses UTC for a zone it cannot read; we
 * refuse instead. Call only with a name that passed pr_tz_name_ok. */
int pr_tz_file_ok(const char *zone);

#endif
