/* limits.h — every bound Presentie puts on input, in one place.
 * Shared by the kiosk, the sync agent and the hub. Code that reads outside input
 * (cards, config, CSV, HTTP, JSON) checks against these names, never against
 * a bare number. Changing one is a protocol or schema decision: say so in docs/. */
#ifndef PRESENTIE_LIMITS_H
#define PRESENTIE_LIMITS_H

/* -Isync/common puts this file in front of the C library's <limits.h>, which
 * FreeType (dash_render.c) includes: pass that through to the real one. */
#include_next <limits.h>

/* Identities and names */
#define PR_ID_MAX            64    /* text id of a person/session/programme, incl. NUL */
#define PR_UUID_STR          37    /* "xxxxxxxx-xxxx-7xxx-xxxx-xxxxxxxxxxxx" + NUL */
#define PR_NAME_MAX          128   /* display name in bytes of UTF-8, incl. NUL */
#define PR_TITLE_MAX         160   /* programme / session title, incl. NUL */
#define PR_ROOM_MAX          64    /* room name, incl. NUL */
#define PR_ROLE_MAX          32    /* role key ("catering", "rolmodel"), incl. NUL */
#define PR_LANG_MAX          8     /* BCP 47 primary tag ("nl", "ar"), incl. NUL */
#define PR_TZ_MAX            64    /* IANA zone name, incl. NUL */

/* Credentials */
#define PR_UID_MIN_BYTES     4     /* ISO 14443A single-size UID */
#define PR_UID_MAX_BYTES     10    /* triple-size UID */
#define PR_PIN_MIN_DIGITS    4
#define PR_PIN_MAX_DIGITS    8
#define PR_MAC_BYTES         32    /* HMAC-SHA256 */
#define PR_MAC_HEX           65    /* 64 hex digits + NUL */
#define PR_ORG_KEY_BYTES     32

/* Files and lines */
#define PR_CONF_LINE_MAX     1024  /* one line of kiosk.conf */
#define PR_CSV_LINE_MAX      4096  /* one CSV record */
#define PR_CSV_FIELDS_MAX    32
#define PR_FEED_LINE_MAX     512   /* one line of the --feed test input */
#define PR_PATH_MAX          4096

/* Sync */
#define PR_BATCH_EVENTS_MAX  500        /* events in one POST /v1/events */
#define PR_BODY_MAX          (1 << 20)  /* 1 MiB: any HTTP request body */
#define PR_CHANGES_PAGE_MAX  1000       /* rows in one GET /v1/changes page */
#define PR_RELAY_PAGE_MAX    500        /* peers' taps in one GET /v1/changes page */
#define PR_RELAY_AGE_S       (16 * 3600) /* taps relayed this long (= RULES_OPEN_MAX_S) */

/* Kiosk */
#define PR_SESSIONS_DAY_MAX  64    /* sessions shown/considered for one day */
#define PR_ROSTER_MAX        256   /* role assignments shown on a roster screen */

/* Spreadsheet import (sync/common/xlsx.c): an .xlsx is a zip of XML files */
#define PR_IMPORT_BODY_MAX   PR_BODY_MAX        /* one uploaded .csv or .xlsx */
#define PR_XLSX_ENTRY_MAX    (16 << 20)  /* uncompressed bytes read of one zip entry */
#define PR_XLSX_STRINGS_MAX  100000      /* shared strings of one workbook */
#define PR_XLSX_ROWS_MAX     20000       /* rows of the first sheet */
#define PR_XLSX_COL_MAX      PR_CSV_FIELDS_MAX  /* columns A.. read from the first sheet */

#endif
