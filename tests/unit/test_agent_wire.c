/* test_agent_wire.c — wire.h, pull/push encoding and the hub URL policy:
 * every JSONTestSuite file (n_, i_ and y_) fed to each answer parser is
 * refused cleanly (none is a valid protocol answer); good answers parse to
 * the right values; each field-level defect is refused with the field named;
 * Big List of Naughty Strings names either round-trip or are refused;
 * RFC 3339 times; the changes cursor is percent-encoded; the events body
 * is valid JSON, cut to the byte budget; http:// only to loopback. */
#include <dirent.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "agent/http.h"
#include "agent/pull.h"
#include "agent/push.h"
#include "agent/result.h"
#include "agent/wire.h"

#define JSON_DIR  "tests/data/json-agent"
#define BLNS_FILE "tests/data/blns.txt"
#define FILE_MAX  (512 * 1024)

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	assert_non_null(f);
	buf = malloc(FILE_MAX + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, FILE_MAX, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void test_json_suite(void **state)
{
	struct agent_enrol_answer en;
	struct agent_ack ack;
	struct store_page page;
	char err[AGENT_WIRE_ERR_MAX], text[256], path[512];
	struct dirent *de;
	DIR *d = opendir(JSON_DIR);
	size_t len, n_files = 0, n_bad = 0;
	char *body;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".json") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", JSON_DIR, de->d_name);
		body = slurp(path, &len);
		n_files++;
		n_bad += de->d_name[0] == 'n';
		err[0] = '\0';
		memset(&page, 0xA5, sizeof(page));         /* the parser must reset it */
		if (agent_wire_enrol(body, len, &en, err, sizeof(err)) != -1 ||
		    agent_wire_ack(body, len, &ack, err, sizeof(err)) != -1 ||
		    agent_wire_page(body, len, &page, err, sizeof(err)) != -1)
			fail_msg("%s accepted as a protocol answer", de->d_name);
		assert_true(err[0] != '\0');
		assert_null(page.people);                  /* nothing left allocated */
		agent_wire_error_text(500, body, len, text, sizeof(text));
		assert_true(strncmp(text, "HTTP 500", 8) == 0);
		free(body);
	}
	closedir(d);
	assert_true(n_bad >= 180);                       /* the n_ files are really there */
	assert_true(n_files >= 300);
}

static const char good_page[] =
	"{\"cursor\":\"1204\",\"more\":true,\"server_time\":\"2026-11-22T13:52:07.301Z\","
	"\"location\":{\"id\":\"loc-1\",\"name\":\"Buurthuis\",\"timezone\":\"Europe/Amsterdam\"},"
	"\"people\":[{\"id\":\"p-fatima\",\"display_name\":\"Fatima E.\",\"first_name\":\"Fatima\","
	"\"lang\":\"ar\",\"coordinator\":false,\"extra\":[1,2]},"
	"{\"id\":\"p-daan\",\"display_name\":\"Daan V.\"}],"
	"\"credentials\":[{\"person_id\":\"p-fatima\",\"kind\":\"card\",\"mac\":"
	"\"AB00000000000000000000000000000000000000000000000000000000000001\",\"active\":true}],"
	"\"programmes\":[{\"id\":\"mjew\",\"title\":\"Maak je eigen Werk\"}],"
	"\"enrolments\":[{\"person_id\":\"p-fatima\",\"programme_id\":\"mjew\",\"active\":false}],"
	"\"sessions\":[{\"id\":\"s-4\",\"programme_id\":\"mjew\",\"title\":\"Workshop 4\",\"room\":\"Zaal 1\","
	"\"start\":\"2026-11-22T13:00:00Z\",\"end\":\"2026-11-22T15:00:00+01:00\",\"kind\":\"open\",\"cancelled\":false}],"
	"\"assignments\":[{\"session_id\":\"s-4\",\"person_id\":\"p-daan\",\"role\":\"catering\",\"active\":true}],"
	"\"tombstones\":[{\"person_id\":\"p-gone\"}],\"acked_seq\":41}";

static void test_good_page(void **state)
{
	struct store_page p;
	char err[AGENT_WIRE_ERR_MAX];

	(void)state;
	if (agent_wire_page(good_page, sizeof(good_page) - 1, &p, err, sizeof(err)) != 0)
		fail_msg("good page refused: %s", err);
	assert_string_equal(p.cursor, "1204");
	assert_int_equal(p.more, 1);
	assert_int_equal(p.has_location, 1);
	assert_string_equal(p.location_tz, "Europe/Amsterdam");
	assert_int_equal(p.n_people, 2);
	assert_string_equal(p.people[0].first_name, "Fatima");
	assert_string_equal(p.people[0].lang, "ar");
	assert_string_equal(p.people[1].first_name, "Daan");   /* derived */
	assert_string_equal(p.people[1].lang, "nl");           /* default */
	assert_int_equal(p.n_creds, 1);
	assert_int_equal(p.creds[0].kind, 0);
	assert_string_equal(p.creds[0].mac_hex,
	    "ab00000000000000000000000000000000000000000000000000000000000001");
	assert_int_equal(p.n_enrolments, 1);
	assert_int_equal(p.enrolments[0].active, 0);
	assert_int_equal(p.n_sessions, 1);
	assert_int_equal(p.sessions[0].start, 1795352400);
	assert_int_equal(p.sessions[0].end, 1795352400 + 3600);   /* 15:00+01:00 = 14:00Z */
	assert_int_equal(p.sessions[0].kind, 2);
	assert_int_equal(p.n_assignments, 1);
	assert_string_equal(p.assignments[0].role, "catering");
	assert_int_equal(p.n_tombstones, 1);
	assert_int_equal(p.acked_seq, 41);
	agent_page_free(&p);

	/* The minimal page: a cursor alone. */
	assert_int_equal(agent_wire_page("{\"cursor\":\"\"}", 13, &p, err, sizeof(err)), 0);
	assert_int_equal(p.more, 0);
	assert_int_equal(p.has_card_link, 0);
	assert_int_equal(p.acked_seq, -1);                        /* an older hub */
	assert_int_equal(p.n_people + p.n_sessions, 0);
	agent_page_free(&p);
}

/* Replace the first occurrence of `from` in good_page by `to`; parse; expect
 * a refusal whose message contains `field`. */
static void bad_page(const char *from, const char *to, const char *field)
{
	char body[sizeof(good_page) + 4096], err[AGENT_WIRE_ERR_MAX];
	const char *at = strstr(good_page, from);
	struct store_page p;
	int n;

	assert_non_null(at);
	n = snprintf(body, sizeof(body), "%.*s%s%s", (int)(at - good_page), good_page, to,
	    at + strlen(from));
	assert_true(n > 0 && (size_t)n < sizeof(body));
	err[0] = '\0';
	if (agent_wire_page(body, (size_t)n, &p, err, sizeof(err)) != -1)
		fail_msg("accepted: %s -> %s", from, to);
	if (strstr(err, field) == NULL)
		fail_msg("error '%s' does not name '%s'", err, field);
	assert_null(p.people);
	assert_int_equal(p.n_people, 0);
}

static void test_bad_fields(void **state)
{
	(void)state;
	bad_page("\"cursor\":\"1204\",", "", "cursor");
	bad_page("\"cursor\":\"1204\"", "\"cursor\":1204", "cursor");
	bad_page("\"more\":true", "\"more\":\"yes\"", "more");
	bad_page("\"acked_seq\":41", "\"acked_seq\":-1", "acked_seq");
	bad_page("\"acked_seq\":41", "\"acked_seq\":\"41\"", "acked_seq");
	bad_page("\"acked_seq\":41", "\"acked_seq\":null", "acked_seq");
	bad_page("\"acked_seq\":41", "\"acked_seq\":41,\"newcomers\":\"yes\"", "newcomers");
	bad_page("\"acked_seq\":41", "\"acked_seq\":41,\"newcomers\":null", "newcomers");
	bad_page("\"acked_seq\":41", "\"acked_seq\":41,\"registrations_rejected\":[{\"id\":\"a b\"}]",
	    "registrations_rejected[0].id");
	bad_page("\"acked_seq\":41", "\"acked_seq\":41,\"registrations_rejected\":{}",
	    "registrations_rejected");
	bad_page("\"id\":\"p-fatima\"", "\"id\":\"\"", "people[0].id");
	bad_page("\"id\":\"p-fatima\"", "\"id\":\"p fatima\"", "people[0].id");
	bad_page("\"id\":\"p-fatima\"",
	    "\"id\":\"p-0123456789012345678901234567890123456789012345678901234567890123\"",
	    "people[0].id");
	bad_page("\"display_name\":\"Daan V.\"", "\"display_name\":\"\"", "people[1].display_name");
	bad_page("\"display_name\":\"Daan V.\"", "\"display_name\":\"Da\\u0000an\"", "NUL");
	bad_page("\"display_name\":\"Daan V.\"", "\"display_name\":\"Daan\\nV.\"", "people[1].display_name");
	bad_page("\"display_name\":\"Daan V.\"", "\"display_name\":null", "people[1].display_name");
	bad_page("\"lang\":\"ar\"", "\"lang\":\"a\"", "people[0].lang");
	bad_page("\"lang\":\"ar\"", "\"lang\":\"arabic-long\"", "people[0].lang");
	bad_page("\"coordinator\":false", "\"coordinator\":0", "people[0].coordinator");
	bad_page("\"kind\":\"card\"", "\"kind\":\"badge\"", "credentials[0].kind");
	bad_page("\"AB000000", "\"XY000000", "credentials[0].mac");
	bad_page("0001\",\"active\"", "001\",\"active\"", "credentials[0].mac");
	bad_page("\"active\":true}]", "\"active\":1}]", "credentials[0].active");
	bad_page("\"title\":\"Maak je eigen Werk\"", "\"title\":7", "programmes[0].title");
	bad_page("\"start\":\"2026-11-22T13:00:00Z\"", "\"start\":\"2026-11-22 13:00\"", "sessions[0].start");
	bad_page("\"start\":\"2026-11-22T13:00:00Z\"", "\"start\":\"2026-02-30T13:00:00Z\"", "sessions[0].start");
	bad_page("\"start\":\"2026-11-22T13:00:00Z\"", "\"start\":\"2026-11-22T16:00:00Z\"", "sessions[0].end");
	bad_page("\"kind\":\"open\"", "\"kind\":\"party\"", "sessions[0].kind");
	bad_page("\"role\":\"catering\"", "\"role\":[]", "assignments[0].role");
	bad_page("{\"person_id\":\"p-gone\"}", "\"p-gone\"", "tombstones[0]");
	bad_page("\"people\":[", "\"people\":7,\"x\":[", "people");
	bad_page("\"location\":{\"id\":\"loc-1\",", "\"location\":{", "location.id");
	bad_page("\"cursor\":\"1204\",", "\"cursor\":\"1204\",\"card_link\":7,", "card_link");
	bad_page("\"cursor\":\"1204\",", "\"cursor\":\"1204\",\"card_link\":{\"expires\":"
	    "\"2026-11-22T13:00:00Z\"},", "card_link.person_id");
	bad_page("\"cursor\":\"1204\",", "\"cursor\":\"1204\",\"card_link\":{\"person_id\":"
	    "\"p 13\",\"expires\":\"2026-11-22T13:00:00Z\"},", "card_link.person_id");
	bad_page("\"cursor\":\"1204\",", "\"cursor\":\"1204\",\"card_link\":{\"person_id\":"
	    "\"p13\",\"expires\":\"soon\"},", "card_link.expires");
	/* duplicate keys are refused by the parser */
	bad_page("\"more\":true,", "\"more\":true,\"more\":false,", "JSON");
}

static void test_page_row_limit(void **state)
{
	size_t n = PR_CHANGES_PAGE_MAX + 1, i, cap = 64 + n * 24, off;
	char *body = malloc(cap), err[AGENT_WIRE_ERR_MAX];
	struct store_page p;

	(void)state;
	assert_non_null(body);
	off = (size_t)snprintf(body, cap, "{\"cursor\":\"x\",\"tombstones\":[");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(body + off, cap - off, "%s{\"person_id\":\"p%zu\"}", i ? "," : "", i);
	off += (size_t)snprintf(body + off, cap - off, "]}");
	assert_true(off < cap);
	assert_int_equal(agent_wire_page(body, off, &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tombstones"));
	free(body);
}

static void test_ack_and_enrol(void **state)
{
	static const char enrol[] =
		"{\"device_id\":\"dev_01\",\"token\":\"q1YpAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
		"\"organisation\":{\"id\":\"org_1\",\"name\":\"Werken in Netwerken\"},"
		"\"location\":{\"id\":\"loc_1\",\"name\":\"De Grubbehoeve\",\"timezone\":\"Europe/Amsterdam\"},"
		"\"org_key\":\"00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff\","
		"\"server_time\":\"2026-11-22T13:52:07.120Z\"}";
	struct agent_enrol_answer e;
	struct agent_ack a;
	char err[AGENT_WIRE_ERR_MAX], text[256];

	(void)state;
	if (agent_wire_enrol(enrol, sizeof(enrol) - 1, &e, err, sizeof(err)) != 0)
		fail_msg("good enrol answer refused: %s", err);
	assert_string_equal(e.device_id, "dev_01");
	assert_string_equal(e.location_name, "De Grubbehoeve");
	assert_string_equal(e.org_key, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	assert_int_equal(agent_wire_enrol("{\"device_id\":\"d\"}", 16, &e, err, sizeof(err)), -1);
	assert_string_equal(e.device_id, "");                   /* zeroed on failure */

#define ACK(s) agent_wire_ack(s, sizeof(s) - 1, &a, err, sizeof(err))
	assert_int_equal(ACK("{\"acked_seq\":41,\"stored\":1,\"duplicates\":0}"), 0);
	assert_int_equal(a.acked_seq, 41);
	assert_int_equal(a.stored, 1);
	assert_int_equal(ACK("{\"acked_seq\":0}"), 0);
	assert_int_equal(ACK("{\"acked_seq\":-1}"), -1);
	assert_int_equal(ACK("{\"acked_seq\":41.0}"), -1);
	assert_int_equal(ACK("{\"acked_seq\":\"41\"}"), -1);
	assert_int_equal(ACK("{\"acked_seq\":1e3}"), -1);
	assert_int_equal(ACK("{\"acked_seq\":99999999999999999999999}"), -1);
	assert_int_equal(ACK("{\"stored\":1}"), -1);
	assert_int_equal(ACK("{\"acked_seq\":4,\"stored\":-2}"), -1);
	assert_int_equal(ACK("[{\"acked_seq\":4}]"), -1);
	assert_int_equal(ACK(""), -1);
	assert_int_equal(agent_wire_ack(NULL, 0, &a, err, sizeof(err)), -1);

	agent_wire_error_text(403, "{\"error\":\"forbidden\",\"message\":\"events[3].session_id\"}", 54,
	    text, sizeof(text));
	assert_string_equal(text, "HTTP 403 forbidden: events[3].session_id");
	agent_wire_error_text(502, "<html>bad gateway</html>", 24, text, sizeof(text));
	assert_string_equal(text, "HTTP 502 (no error text)");
	agent_wire_error_text(400, "{\"error\":\"x\\u001b[31m\"}", 22, text, sizeof(text));
	assert_string_equal(text, "HTTP 400 (no error text)");   /* no terminal escapes in logs */
}

/* Every BLNS line as a display name: accepted verbatim, or refused cleanly. */
static void test_blns_names(void **state)
{
	FILE *f = fopen(BLNS_FILE, "rb");
	char line[4096], err[AGENT_WIRE_ERR_MAX];
	json_t *o;
	char *body;
	struct store_page p;
	size_t n, tried = 0, ok = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		n = strcspn(line, "\n");
		line[n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		o = json_pack("{s:s, s:[{s:s, s:s#}]}", "cursor", "c", "people", "id", "p-1",
		    "display_name", line, n);
		if (o == NULL)                                 /* not UTF-8: jansson refuses */
			continue;
		body = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		assert_non_null(body);
		tried++;
		if (agent_wire_page(body, strlen(body), &p, err, sizeof(err)) == 0) {
			assert_int_equal(p.n_people, 1);
			assert_string_equal(p.people[0].display_name, line);
			assert_true(strlen(line) < PR_NAME_MAX);
			ok++;
			agent_page_free(&p);
		} else {
			assert_non_null(strstr(err, "display_name"));
		}
		free(body);
	}
	fclose(f);
	assert_true(tried > 400);
	assert_true(ok > 300);
}

static void test_times(void **state)
{
	int64_t t = 0;

	(void)state;
	assert_int_equal(agent_wire_time("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(agent_wire_time("2026-11-22T13:52:07.120Z", &t), 0);
	assert_int_equal(t, 1795355527);
	assert_int_equal(agent_wire_time("2026-11-22T14:52:07+01:00", &t), 0);
	assert_int_equal(t, 1795355527);
	assert_int_equal(agent_wire_time("2024-02-29T00:00:00Z", &t), 0);
	assert_int_equal(agent_wire_time("2025-02-29T00:00:00Z", &t), -1);
	assert_int_equal(agent_wire_time("2026-11-22T13:52:07", &t), -1);
	assert_int_equal(agent_wire_time("2026-11-22T13:52:07.Z", &t), -1);
	assert_int_equal(agent_wire_time("2026-11-22T13:52:07Zjunk", &t), -1);
	assert_int_equal(agent_wire_time("2026-13-22T13:52:07Z", &t), -1);
	assert_int_equal(agent_wire_time("2026-11-22T13:52:07+1:00", &t), -1);
	assert_int_equal(agent_wire_time("", &t), -1);
	assert_int_equal(agent_wire_time(NULL, &t), -1);
}

static void test_cursor_path(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(agent_pull_path("", out, sizeof(out)), 0);
	assert_string_equal(out, "/v1/changes?cursor=");
	assert_int_equal(agent_pull_path("12&x=1 +/é", out, sizeof(out)), 0);
	assert_string_equal(out, "/v1/changes?cursor=12%26x%3D1%20%2B%2F%C3%A9");
	assert_int_equal(agent_pull_path("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmno", out, sizeof(out)), -1);
}

static void fill_event(struct store_event *e, int64_t seq)
{
	memset(e, 0, sizeof(*e));
	e->seq = seq;
	snprintf(e->uuid, sizeof(e->uuid), "0193a1b2-7c3d-7e4f-8a9b-%012lld", (long long)seq);
	snprintf(e->kind, sizeof(e->kind), "check_in");
	snprintf(e->person_id, sizeof(e->person_id), "p-%lld", (long long)seq);
	e->wall_ms = 1763819527120 + seq;
	snprintf(e->boot_id, sizeof(e->boot_id), "5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f");
	e->boottime_ns = 81234567890;
	e->clock_synced = (seq % 2) != 0;
}

static void test_push_body(void **state)
{
	struct store_event evs[3];
	json_t *root, *arr, *e0;
	size_t len, used, full;
	char *body;

	(void)state;
	fill_event(&evs[0], 41);
	fill_event(&evs[1], 42);
	fill_event(&evs[2], 43);
	evs[1].payload = (char *)"{\"check_in_uuid\":\"abc\"}";
	evs[2].payload = (char *)"not json";                     /* never blocks the queue */
	body = agent_push_body(evs, 3, PR_BODY_MAX, &len, &used);
	assert_non_null(body);
	assert_int_equal(used, 3);
	assert_int_equal(strlen(body), len);
	root = json_loads(body, 0, NULL);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "device_seq_from")), 41);
	arr = json_object_get(root, "events");
	assert_int_equal(json_array_size(arr), 3);
	e0 = json_array_get(arr, 0);
	assert_string_equal(json_string_value(json_object_get(e0, "kind")), "check_in");
	assert_true(json_is_null(json_object_get(e0, "session_id")));
	assert_true(json_is_null(json_object_get(e0, "role")));
	assert_true(json_is_true(json_object_get(e0, "clock_synced")));
	assert_int_equal(json_integer_value(json_object_get(e0, "boottime_ns")), 81234567890);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(arr, 1),
	    "payload"), "check_in_uuid")), "abc");
	assert_int_equal(json_object_size(json_object_get(json_array_get(arr, 2), "payload")), 0);
	json_decref(root);
	full = len;
	free(body);

	/* A budget for two events cuts the third; for less than one: nothing. */
	body = agent_push_body(evs, 3, full - 10, &len, &used);
	assert_non_null(body);
	assert_int_equal(used, 2);
	root = json_loads(body, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(root, "events")), 2);
	json_decref(root);
	free(body);
	assert_null(agent_push_body(evs, 3, 40, &len, &used));
	assert_int_equal(used, 0);
}

static void test_url_policy(void **state)
{
	static const char *const good[] = { "https://hub.example.nl", "https://hub.example.nl:8443/presentie/",
		"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:80", "http://127.8.9.10" };
	static const char *const bad[] = { "http://hub.example.nl", "http://10.0.0.1:80", "ftp://127.0.0.1",
		"https://user:pw@hub.example.nl", "https://hub.example.nl/?x=1", "https://hub#f",
		"hub.example.nl", "", "http://128.0.0.1", "file:///etc/passwd" };
	char err[128];
	size_t i;

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!agent_http_url_ok(good[i], err, sizeof(err)))
			fail_msg("refused %s: %s", good[i], err);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (agent_http_url_ok(bad[i], err, sizeof(err)))
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(agent_http_url_ok(NULL, err, sizeof(err)), 0);
	curl_global_cleanup();
}

/* What an HTTP exchange means for the agent (sync/PROTOCOL.md error table). */
static void test_result_mapping(void **state)
{
	static const struct { long status; enum agent_status want; } map[] = {
		{ 400, AGENT_REFUSED }, { 401, AGENT_AUTH }, { 403, AGENT_REFUSED },
		{ 404, AGENT_REFUSED }, { 409, AGENT_REFUSED }, { 413, AGENT_REFUSED },
		{ 422, AGENT_REFUSED }, { 429, AGENT_TRANSIENT }, { 500, AGENT_TRANSIENT },
		{ 502, AGENT_TRANSIENT }, { 503, AGENT_TRANSIENT }, { 302, AGENT_TRANSIENT },
	};
	struct agent_http_resp resp;
	struct agent_result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		memset(&resp, 0, sizeof(resp));
		resp.status = map[i].status;
		resp.body = (char *)"{\"error\":\"x\",\"message\":\"y\"}";
		resp.len = strlen(resp.body);
		agent_result_init(&r);
		agent_result_from_http(&r, 0, &resp, "POST /v1/events");
		if (r.status != map[i].want)
			fail_msg("HTTP %ld -> %s", map[i].status, agent_status_name(r.status));
		assert_non_null(strstr(r.msg, "x: y"));
		assert_int_equal(r.retry_after_s, -1);
	}
	memset(&resp, 0, sizeof(resp));
	resp.status = 429;
	resp.has_retry_after = 1;
	snprintf(resp.retry_after, sizeof(resp.retry_after), "17");
	agent_result_from_http(&r, 0, &resp, "POST /v1/events");
	assert_int_equal(r.retry_after_s, 17);
	snprintf(resp.retry_after, sizeof(resp.retry_after), "soon");
	agent_result_from_http(&r, 0, &resp, "POST /v1/events");
	assert_int_equal(r.retry_after_s, -1);                 /* unparsable: backoff */
	memset(&resp, 0, sizeof(resp));
	snprintf(resp.err, sizeof(resp.err), "Couldn't connect to server");
	agent_result_from_http(&r, -1, &resp, "GET /v1/changes");
	assert_int_equal(r.status, AGENT_TRANSIENT);
	assert_non_null(strstr(r.msg, "could not be reached: Couldn't connect"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_suite),
		cmocka_unit_test(test_good_page),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_page_row_limit),
		cmocka_unit_test(test_ack_and_enrol),
		cmocka_unit_test(test_blns_names),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_cursor_path),
		cmocka_unit_test(test_push_body),
		cmocka_unit_test(test_url_policy),
		cmocka_unit_test(test_result_mapping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
