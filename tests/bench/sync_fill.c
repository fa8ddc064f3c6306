/* sync_fill.c — a test and bench tool: create a kiosk store and queue
 * check-in events in it, as the kiosk would, for the sync tests and the
 * drain bench (until/besides driving the real kiosk with --feed).
 *   sync_fill init DB                 create the store (store_open)
 *   sync_fill add DB N [--bulk [--synced|--unsynced]]
 *                                     append N check_in events, person x session
 *                                     round robin over the store's people and
 *                                     today's sessions (pulled from the hub)
 * Normal mode calls store_event_append (one durable transaction per event,
 * the kiosk's own path). --bulk writes the same rows with plain SQL in one
 * transaction, because 100 000 fsyncs would measure the disk, not the sync;
 * --synced marks them recorded with a synchronised clock (the normal case on
 * a kiosk with NTP; a container's clock often reads as unsynchronised),
 * --unsynced with an unsynchronised one (a kiosk without NTP), whatever the
 * clock of this machine says; neither: as the clock says.
 * Must not: be linked into a program; it knows the events table's columns. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clockinfo.h"
#include "store.h"
#include "uuid7.h"

#define FILL_MAX      10000000
#define FILL_PEOPLE   256
#define FILL_SESSIONS PR_SESSIONS_DAY_MAX

static int bulk(const char *path, int64_t n, struct store_person *people, size_t np,
    struct store_session *sessions, size_t ns, int synced)   /* 1, 0, -1: as the clock says */
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL, *q = NULL;
	struct clockinfo ci;
	char uuid[PR_UUID_STR];
	int64_t seq = 1, i;
	int rc = 1;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_busy_timeout(db, 5000) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT coalesce(max(seq), 0) + 1 FROM events", -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW)
		goto out;
	seq = sqlite3_column_int64(q, 0);
	if (sqlite3_prepare_v2(db, "INSERT INTO events (uuid, seq, kind, person_id, session_id, "
	    "wall_ms, boot_id, boottime_ns, clock_synced) VALUES (?1, ?2, 'check_in', ?3, ?4, ?5, "
	    "?6, ?7, ?8)", -1, &s, NULL) != SQLITE_OK)
		goto out;
	for (i = 0; i < n; i++) {
		clockinfo_now(&ci);
		if (uuid7_make(ci.wall_ms, uuid) != 0)
			goto out;
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, uuid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 2, seq + i);
		sqlite3_bind_text(s, 3, people[(size_t)i % np].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, sessions[(size_t)(i / (int64_t)np) % ns].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, ci.wall_ms);
		sqlite3_bind_text(s, 6, ci.boot_id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 7, ci.boottime_ns);
		sqlite3_bind_int(s, 8, synced >= 0 ? synced : ci.synced);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto out;
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "sync_fill: %s\n", db ? sqlite3_errmsg(db) : "cannot open");
	sqlite3_finalize(q);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}

int main(int argc, char **argv)
{
	static struct store_person people[FILL_PEOPLE];
	static struct store_session sessions[FILL_SESSIONS];
	struct store_event_in in;
	struct store *st = NULL;
	char err[256], *end;
	size_t np = 0, ns = 0;
	int64_t n, i, now;
	int rc = 1;

	if (argc < 3 || (strcmp(argv[1], "init") != 0 && strcmp(argv[1], "add") != 0)) {
		fprintf(stderr, "usage: sync_fill init DB | sync_fill add DB N [--bulk [--synced|--unsynced]]\n");
		return 2;
	}
	if (store_open(argv[2], &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "sync_fill: %s\n", err);
		return 1;
	}
	if (strcmp(argv[1], "init") == 0) {
		rc = 0;
		goto out;
	}
	if (argc < 4 || (n = strtoll(argv[3], &end, 10)) < 1 || n > FILL_MAX || *end != '\0') {
		fprintf(stderr, "sync_fill: N must be 1..%d\n", FILL_MAX);
		goto out;
	}
	now = (int64_t)time(NULL);
	if (store_people_find(st, "", people, FILL_PEOPLE, &np) != 0 || np == 0 ||
	    store_sessions_between(st, now - 86400, now + 86400, NULL, sessions, FILL_SESSIONS, &ns) != 0 ||
	    ns == 0) {
		fprintf(stderr, "sync_fill: the store has no people or no sessions today (pull first)\n");
		goto out;
	}
	if (argc > 4 && strcmp(argv[4], "--bulk") == 0) {
		store_close(st);
		st = NULL;
		rc = bulk(argv[2], n, people, np, sessions, ns,
		    argc <= 5 ? -1 : strcmp(argv[5], "--synced") == 0 ? 1 :
		    strcmp(argv[5], "--unsynced") == 0 ? 0 : -1);
		goto out;
	}
	for (i = 0; i < n; i++) {
		memset(&in, 0, sizeof(in));
		in.kind = STORE_EV_CHECK_IN;
		in.person_id = people[(size_t)i % np].id;
		in.session_id = sessions[(size_t)(i / (int64_t)np) % ns].id;
		if (store_event_append(st, &in, NULL) != 0) {
			fprintf(stderr, "sync_fill: append failed at %lld\n", (long long)i);
			goto out;
		}
	}
	rc = 0;
out:
	store_close(st);
	if (rc == 0 && strcmp(argv[1], "add") == 0)
		printf("%s\n", argv[3]);
	return rc;
}
