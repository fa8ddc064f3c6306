/* test_demo.c — the demo organisation (sync/common/demo.h) seeded into a
 * kiosk store (store_seed_demo): at many moments, including 03:00 and both
 * DST change nights, exactly one workshop runs at `now` and the weekly ones
 * keep weekday and local time; demo cards and PINs map to their people via
 * MACs; reseeding replaces master data and keeps events; broken demo files
 * give line-numbered errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cred.h"
#include "demo.h"
#include "store.h"
#include "store_int.h"
#include "store_meta.h"
#include "store_outbox.h"
#include "uuid7.h"

#define FIXTURE_STORE_TMP "/tmp/presentie-test-demo-XXXXXX"
#include "fixture_store.h"

static void demo_key(struct store *st, uint8_t key[PR_ORG_KEY_BYTES])
{
	char hex[2 * PR_ORG_KEY_BYTES + 1];

	assert_int_equal(store_meta_get(st, "org_key", hex, sizeof hex), 0);
	assert_int_equal(cred_unhex(hex, key, PR_ORG_KEY_BYTES), 0);
}

/* --- demo seeding ------------------------------------------------------------ */

/* UTC seconds of a local Amsterdam time. */
static int64_t ams(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { 0 };
	int64_t t;

	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	t = (int64_t)mktime(&tm);
	unsetenv("TZ");
	tzset();
	return t;
}

static void local_of(int64_t t, struct tm *out)
{
	time_t tt = (time_t)t;

	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	localtime_r(&tt, out);
	unsetenv("TZ");
	tzset();
}

static void check_seed_at(int64_t now)
{
	char path[PR_PATH_MAX];
	struct store *st = seeded(now, path, sizeof path);
	struct store_session ss[PR_SESSIONS_DAY_MAX];
	struct store_person p;
	uint8_t key[PR_ORG_KEY_BYTES], uid[PR_UID_MAX_BYTES], mac[PR_MAC_BYTES];
	size_t n = 0, uid_len = 0, workshops = 0;
	struct tm anchor_lt, lt;
	int64_t anchor_start = 0;
	int running = 0;

	assert_int_equal(store_sessions_between(st, now, now + 1, NULL, ss, 64, &n), 0);
	for (size_t i = 0; i < n; i++) {
		if (ss[i].kind == 0 && ss[i].start <= now && now < ss[i].end) {
			running++;
			anchor_start = ss[i].start;
			assert_string_equal(ss[i].id, "ws-04");
			/* started 30..35 minutes ago: open for check-in */
			assert_true(now - ss[i].start >= 30 * 60);
			assert_true(now - ss[i].start < 35 * 60);
			assert_int_equal(ss[i].end - ss[i].start, 2 * 3600);
		}
	}
	if (running != 1)
		fail_msg("at %lld: %d workshops running", (long long)now, running);

	/* all ten workshops: same weekday and local time as the running one */
	local_of(anchor_start, &anchor_lt);
	assert_int_equal(store_sessions_between(st, 0, INT64_MAX, NULL, ss, 64, &n), 0);
	assert_int_equal(n, 16);
	for (size_t i = 0; i < n; i++) {
		if (strncmp(ss[i].id, "ws-", 3) != 0)
			continue;
		workshops++;
		local_of(ss[i].start, &lt);
		assert_int_equal(lt.tm_wday, anchor_lt.tm_wday);
		assert_int_equal(lt.tm_hour, anchor_lt.tm_hour);
		assert_int_equal(lt.tm_min, anchor_lt.tm_min);
		if (i > 0 && strncmp(ss[i - 1].id, "ws-", 3) == 0) {
			int64_t gap = ss[i].start - ss[i - 1].start;   /* a week, +-1 h for DST */
			assert_true(gap >= 7 * 86400 - 3600 && gap <= 7 * 86400 + 3600);
		}
	}
	assert_int_equal(workshops, 10);

	/* card ...01 is Fatima, PIN 4821 too; card ...08 is the coordinator */
	demo_key(st, key);
	assert_int_equal(cred_uid_parse("04000000000001", uid, sizeof uid, &uid_len), 0);
	assert_int_equal(cred_mac_card(key, uid, uid_len, mac), 0);
	assert_int_equal(store_person_by_mac(st, STORE_CRED_CARD, mac, &p), 0);
	assert_string_equal(p.display_name, "Fatima E.");
	assert_string_equal(p.lang, "ar");
	assert_int_equal(store_person_by_mac(st, STORE_CRED_PIN, mac, &p), 1);  /* kind matters */
	assert_int_equal(cred_mac_pin(key, "4821", mac), 0);
	assert_int_equal(store_person_by_mac(st, STORE_CRED_PIN, mac, &p), 0);
	assert_string_equal(p.first_name, "Fatima");
	assert_int_equal(cred_uid_parse("04000000000008", uid, sizeof uid, &uid_len), 0);
	assert_int_equal(cred_mac_card(key, uid, uid_len, mac), 0);
	assert_int_equal(store_person_by_mac(st, STORE_CRED_CARD, mac, &p), 0);
	assert_int_equal(p.is_coordinator, 1);
	/* no raw UID anywhere in the file's tables */
	assert_int_equal(scalar(st->db, "SELECT count(*) FROM credentials WHERE "
	    "instr(hex(mac), '04000000000001') > 0"), 0);
	/* a revoked card no longer matches */
	assert_int_equal(exec(st->db, "UPDATE credentials SET active = 0 WHERE person_id = "
	    "'p08' AND kind = 0"), 0);
	assert_int_equal(store_person_by_mac(st, STORE_CRED_CARD, mac, &p), 1);
	store_close(st);
}

static void test_seed_many_moments(void **state)
{
	const int64_t nows[] = {
		ams(2026, 3, 29, 3, 0),    /* spring forward: 02:00 -> 03:00 that night */
		ams(2026, 3, 29, 3, 31),   /* the workshop start (03:00) is just after the gap */
		ams(2026, 3, 29, 1, 59),
		ams(2026, 10, 25, 2, 30),  /* autumn: 02:30 happens twice */
		ams(2026, 10, 25, 2, 30) + 3600,
		ams(2026, 10, 25, 3, 10),
		ams(2026, 9, 24, 14, 32),  /* a Thursday afternoon, as in the files */
		ams(2026, 11, 22, 3, 0),   /* 03:00 */
		ams(2026, 12, 31, 23, 58), /* the workshop ends next year */
		ams(2027, 1, 1, 0, 1),
		(int64_t)time(NULL),
	};

	(void)state;
	for (size_t i = 0; i < sizeof nows / sizeof nows[0]; i++)
		check_seed_at(nows[i]);
}

static void test_seed_replaces(void **state)
{
	char path[PR_PATH_MAX], err[512];
	const int64_t now = 1790000000;
	struct store *st = seeded(now, path, sizeof path);
	struct store_event_in ev = { STORE_EV_CHECK_IN, "p01", "ws-04", NULL, NULL, 0 };
	struct store_event_out o;
	int64_t people, n = 0;

	(void)state;
	people = scalar(st->db, "SELECT count(*) FROM people");
	assert_true(people >= 12);
	assert_int_equal(store_event_append(st, &ev, &o), 0);
	assert_int_equal(store_seed_demo(st, DEMO_DIR, now + 86400, err, sizeof err), 0);
	assert_int_equal(scalar(st->db, "SELECT count(*) FROM people"), people);
	assert_int_equal(scalar(st->db, "SELECT count(*) FROM credentials"), 15);
	assert_int_equal(store_pending_count(st, &n), 0);
	assert_int_equal(n, 1);                          /* events are kept */
	assert_int_equal(scalar(st->db, "SELECT count(DISTINCT lang) FROM people"), 4);
	/* a missing directory fails and leaves the data */
	assert_int_equal(store_seed_demo(st, "/nonexistent", now, err, sizeof err), -1);
	assert_non_null(strstr(err, "demo.conf"));
	assert_int_equal(scalar(st->db, "SELECT count(*) FROM people"), people);
	store_close(st);
}

/* Copy assets/demo to a temp dir, replace one file, expect a clear error. */
static void demo_broken(const char *file, const char *body, const char *needle)
{
	char dir[PR_PATH_MAX], cmd[3 * PR_PATH_MAX], fpath[PR_PATH_MAX + 64], err[512];
	struct demo_org *o = (struct demo_org *)&o;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/demo-%d", tmpdir, ++dbno);
	snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", DEMO_DIR, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(fpath, sizeof fpath, "%s/%s", dir, file);
	f = fopen(fpath, "wb");
	assert_non_null(f);
	fputs(body, f);
	fclose(f);
	assert_int_equal(demo_load(dir, &o, err, sizeof err), -1);
	assert_null(o);
	if (strstr(err, needle) == NULL)
		fail_msg("'%s' lacks '%s'", err, needle);
}

static void test_demo_errors(void **state)
{
	(void)state;
	demo_broken("people.csv", "person_id;display_name;first_name;language;consent_date;"
	    "consent_version;roles\np01;Fatima E.;Fatima;ar;2025-08-21;v1;participant\n"
	    "p02;Daan V.;Daan;fr;2025-08-21;v1;participant\n",
	    "people.csv line 3: field 'language' must be nl, en, ar or tr");
	demo_broken("cards.csv", "person_id;card_uid\np01;04000000000001\np02;04000000000001\n",
	    "cards.csv line 3: this card is already given to p01");
	demo_broken("cards.csv", "person_id;card_uid\np01;0400000000001\n",
	    "cards.csv line 2: field 'card_uid' must be 4, 7 or 10 bytes");
	demo_broken("cards.csv", "person_id;card_uid\np01;08123456\n", "random UID");
	demo_broken("pins.csv", "person_id;pin\np01;12\n", "pins.csv line 2: field 'pin'");
	demo_broken("sessions.csv", "session_id;programme_id;title;date;start;end;room;kind\n"
	    "ws-04;mjew-najaar;W;2025-02-30;14:00;16:00;Zaal;group\n", "field 'date'");
	demo_broken("sessions.csv", "session_id;programme_id;title;date;start;end;room;kind\n"
	    "ws-04;mjew-najaar;W;2025-09-25;16:00;14:00;Zaal;group\n", "ends before it starts");
	demo_broken("sessions.csv", "session_id;programme_id;title;date;start;end;room;kind\n"
	    "ws-04;nope;W;2025-09-25;14:00;16:00;Zaal;group\n", "programme 'nope' is not in");
	demo_broken("role_assignments.csv", "session_id;person_id;role\nws-04;p01;chef\n",
	    "role 'chef' is not in roles.csv");
	demo_broken("enrolments.csv", "programme_id;person_id\nmjew-najaar;p99\n",
	    "enrolments.csv line 2: person 'p99' is not in people.csv");
	demo_broken("people.csv", "person_id;display_name\np01;Fatima\n",
	    "people.csv line 1: the header has no column 'first_name'");
	demo_broken("demo.conf", "org_key = 00\ncurrent_session = ws-04\n", "64 hex digits");
	demo_broken("demo.conf", "org_key = 64656d6f2d6f6e6c792d6e6f742d612d7365637265742d"
	    "70726573656e746965\ncurrent_session = ws-99\n", "'ws-99' is not in sessions.csv");
	demo_broken("organisation.csv", "organisation_id;organisation;location_id;location;"
	    "city;timezone\no;O;l;L;A;../../etc/passwd\n", "not a time zone name");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_many_moments),
		cmocka_unit_test(test_seed_replaces),
		cmocka_unit_test(test_demo_errors),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
