/* test_hub_parse.c — the hub's input parsers without a server: the events
 * batch validator (events_parse.h: every field, messages naming the field,
 * limits, ordering, every JSONTestSuite n_* body refused without a crash),
 * the CSV/JSON cell writers of the exports (csvout.h: formula injection,
 * quoting, bounds), tokens and enrolment codes (token.h), dates (htime.h)
 * and the clock-correction formula (clockfix.h). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "hub/base/htime.h"
#include "hub/reports/csvout.h"
#include "hub/svc/clockfix.h"
#include "hub/svc/events_parse.h"
#include "hub/svc/token.h"

#define EV(extra) "{\"uuid\":\"0193A1B2-7c3d-7e4f-8a9b-0c1d2e3f4a5b\",\"seq\":41," \
	"\"kind\":\"check_in\",\"person_id\":\"p-fatima\",\"session_id\":\"s-1\",\"role\":null," \
	"\"wall_ms\":1763819527120,\"boot_id\":\"5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f\"," \
	"\"boottime_ns\":81234567890,\"clock_synced\":true" extra "}"

static int parse(const char *body, struct hub_batch *b, char *err, size_t n)
{
	return hub_batch_parse(body, strlen(body), b, err, n);
}

static void test_valid_batch(void **state)
{
	struct hub_batch b;
	char err[256] = "";

	(void)state;
	assert_int_equal(parse("{\"device_seq_from\":41,\"future_field\":[1],\"events\":[" EV(",\"payload\":{\"b\":1,\"a\":2}") "]}",
	    &b, err, sizeof(err)), 0);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.ev[0].uuid, "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b"); /* one spelling */
	assert_int_equal(b.ev[0].seq, 41);
	assert_string_equal(b.ev[0].person_id, "p-fatima");
	assert_string_equal(b.ev[0].role, "");
	assert_int_equal(b.ev[0].clock_synced, 1);
	assert_string_equal(b.ev[0].payload, "{\"a\":2,\"b\":1}");          /* canonical */
	hub_batch_free(&b);
	assert_int_equal(parse("{\"events\":[]}", &b, err, sizeof(err)), 0);
	assert_int_equal(b.n, 0);
	hub_batch_free(&b);
}

/* An event with uuid ...-0000000000U and sequence number S. */
#define EVU(u, s) "{\"uuid\":\"0193a1b2-7c3d-7e4f-8a9b-00000000000" #u "\",\"seq\":" #s "," \
	"\"kind\":\"check_in\",\"person_id\":\"p-1\",\"session_id\":null,\"role\":null," \
	"\"wall_ms\":1,\"boot_id\":\"5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f\"," \
	"\"boottime_ns\":1,\"clock_synced\":true}"

/* A repeated uuid is named by its first repetition and first occurrence,
 * and only when no other error comes before it. */
static void test_repeated_uuid(void **state)
{
	static const struct { const char *body; const char *msg; } cases[] = {
		{ "{\"events\":[" EVU(1, 1) "," EVU(2, 2) "," EVU(3, 3) "," EVU(2, 4) "," EVU(1, 5) "]}",
		  "events[3].uuid: repeats events[1].uuid" },
		{ "{\"events\":[" EVU(1, 1) "," EVU(1, 2) "," EVU(1, 3) "]}",
		  "events[1].uuid: repeats events[0].uuid" },
		{ "{\"events\":[" EVU(1, 1) "," EVU(1, 2) ",{}]}",
		  "events[1].uuid: repeats events[0].uuid" },
		{ "{\"events\":[" EVU(1, 1) ",{}," EVU(1, 3) "]}", "events[1].uuid: required" },
		{ "{\"events\":[" EVU(1, 2) "," EVU(2, 1) "," EVU(1, 3) "]}",
		  "events[1].seq: must be greater" },
	};
	struct hub_batch b;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(hub_batch_parse(cases[i].body, strlen(cases[i].body), &b, err,
		    sizeof(err)), -1);
		if (strncmp(err, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: '%s', expected '%s'", i, err, cases[i].msg);
	}
}

struct bad { const char *body; const char *msg; };

static void test_field_errors(void **state)
{
	static const struct bad cases[] = {
		{ "{\"events\":{}}", "events: must be an array" },
		{ "[]", "body: must be a JSON object" },
		{ "", "body: empty" },
		{ "{\"events\":[1]}", "events[0]: must be an object" },
		{ "{\"events\":[" EV(",\"seq\":0") "]}", "body: malformed" },   /* duplicate key */
		{ "{\"events\":[{\"uuid\":\"nope\"}]}", "events[0].uuid: must be a UUID" },
		{ "{\"events\":[{\"uuid\":\"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b\",\"seq\":-1}]}",
		  "events[0].seq: out of range" },
		{ "{\"events\":[{\"uuid\":\"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b\",\"seq\":1.5}]}",
		  "events[0].seq: must be an integer" },
		{ "{\"events\":[{\"uuid\":\"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b\",\"seq\":1,\"kind\":\"dance\"}]}",
		  "events[0].kind: must be one of" },
		{ "{\"device_seq_from\":40,\"events\":[" EV("") "]}", "device_seq_from: must equal" },
		{ "{\"events\":[" EV("") "," EV("") "]}", "events[1].seq: must be greater" },
		{ "{\"events\":[" EV(",\"payload\":[]") "]}", "events[0].payload: must be an object" },
	};
	struct hub_batch b;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse(cases[i].body, &b, err, sizeof(err)), -1);
		if (strstr(err, cases[i].msg) == NULL)
			fail_msg("case %zu: '%s' does not contain '%s'", i, err, cases[i].msg);
		assert_null(b.ev);
	}
}

static void test_person_and_payload_rules(void **state)
{
	struct hub_batch b;
	char err[256];
	char body[2048];

	(void)state;
	snprintf(body, sizeof(body), "{\"events\":[%s]}",
	    EV(",\"person_id\":null,\"x\":0"));
	/* duplicate person_id key is refused at the parser already */
	assert_int_equal(parse(body, &b, err, sizeof(err)), -1);
	assert_int_equal(parse("{\"events\":[{\"uuid\":\"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b\","
	    "\"seq\":1,\"kind\":\"check_in\",\"wall_ms\":1,\"boot_id\":\"5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f\","
	    "\"boottime_ns\":1,\"clock_synced\":false}]}", &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "events[0].person_id: required for check_in"));
	assert_int_equal(parse("{\"events\":[{\"uuid\":\"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b\","
	    "\"seq\":1,\"kind\":\"credential_enrolled\",\"person_id\":\"p1\",\"wall_ms\":1,"
	    "\"boot_id\":\"5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f\",\"boottime_ns\":1,\"clock_synced\":false,"
	    "\"payload\":{\"kind\":\"card\",\"mac\":\"ABCD\"}}]}", &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "events[0].payload.mac"));
	assert_int_equal(parse("{\"events\":[" EV(",\"person_id\":\"a\\u0001b\"") "]}", &b, err, sizeof(err)), -1);
	/* control characters in an id: refused (first the duplicate key though) */
	assert_int_equal(parse("{\"events\":[{\"uuid\":\"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b\","
	    "\"seq\":1,\"kind\":\"guest\",\"person_id\":\"a\\u0001b\",\"wall_ms\":1,"
	    "\"boot_id\":\"5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f\",\"boottime_ns\":1,\"clock_synced\":false}]}",
	    &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "events[0].person_id: must be non-empty text"));
}

#define REG(payload) REGP("null", payload)
#define REGP(person, payload) "{\"events\":[{\"uuid\":\"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b\"," \
	"\"seq\":1,\"kind\":\"person_registered\",\"person_id\":" person ",\"wall_ms\":1," \
	"\"boot_id\":\"5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f\",\"boottime_ns\":1," \
	"\"clock_synced\":true,\"payload\":" payload "}]}"
#define REG_OK(extra) REGP_OK("null", extra)
#define REGP_OK(person, extra) REGP(person, "{\"id\":\"0193A1B2-0000-7000-8000-000000000001\"," \
	"\"display_name\":\"Amina B.\",\"first_name\":\"Amina\",\"lang\":\"ar\"," \
	"\"consent_version\":\"kiosk-1\",\"consent_ms\":1763819527120" extra "}")

/* person_registered (PROTOCOL.md "Newcomers"): every payload field checked. */
static void test_person_registered(void **state)
{
	static const struct { const char *body, *msg; } bad[] = {
		{ REG("null"), "payload: person_registered needs" },
		{ REG_OK(",\"card_mac\":\"04aabbccddeeff\""), "payload.card_mac: must be 64" },
		{ REG_OK(",\"uid\":\"04aabbccddeeff\""), "payload: unknown field" },
		{ REG("{\"id\":\"x\",\"display_name\":\"A B.\",\"first_name\":\"A\",\"lang\":\"nl\","
		    "\"consent_version\":\"1\",\"consent_ms\":1}"), "payload.id: must be a UUID" },
		{ REG("{\"id\":\"0193a1b2-0000-7000-8000-000000000001\",\"display_name\":\"<script>\","
		    "\"first_name\":\"A\",\"lang\":\"nl\",\"consent_version\":\"1\",\"consent_ms\":1}"),
		    "payload.display_name: must be a name" },
		{ REG("{\"id\":\"0193a1b2-0000-7000-8000-000000000001\",\"display_name\":\"A\\u0000B\","
		    "\"first_name\":\"A\",\"lang\":\"nl\",\"consent_version\":\"1\",\"consent_ms\":1}"),
		    "" },
		{ REG("{\"id\":\"0193a1b2-0000-7000-8000-000000000001\",\"display_name\":\" . \","
		    "\"first_name\":\"A\",\"lang\":\"nl\",\"consent_version\":\"1\",\"consent_ms\":1}"),
		    "payload.display_name" },
		{ REG("{\"id\":\"0193a1b2-0000-7000-8000-000000000001\",\"display_name\":\"A B.\","
		    "\"first_name\":\"A\",\"lang\":\"fr\",\"consent_version\":\"1\",\"consent_ms\":1}"),
		    "payload.lang: must be one of" },
		{ REG("{\"id\":\"0193a1b2-0000-7000-8000-000000000001\",\"display_name\":\"A B.\","
		    "\"first_name\":\"A\",\"lang\":\"nl\",\"consent_version\":\"1\",\"consent_ms\":0}"),
		    "payload.consent_ms" },
		{ REG("{\"id\":\"0193a1b2-0000-7000-8000-000000000001\",\"display_name\":\"A B.\","
		    "\"first_name\":\"A\",\"lang\":\"nl\",\"consent_ms\":1}"), "payload.consent_version" },
	};
	struct hub_batch b;
	char err[256], big[PR_NAME_MAX + 8], body[2048];

	(void)state;
	assert_int_equal(parse(REG_OK(",\"card_mac\":\"" "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef\""), &b, err, sizeof(err)), 0);
	assert_non_null(b.ev[0].reg);
	assert_string_equal(b.ev[0].reg->id, "0193a1b2-0000-7000-8000-000000000001");
	assert_string_equal(b.ev[0].reg->display_name, "Amina B.");
	assert_string_equal(b.ev[0].reg->lang, "ar");
	assert_string_equal(b.ev[0].reg->consent_version, "kiosk-1");
	assert_int_equal(b.ev[0].reg->consent_ms, 1763819527120LL);
	assert_int_equal(strlen(b.ev[0].reg->card_mac), 64);
	hub_batch_free(&b);
	assert_int_equal(parse(REG_OK(""), &b, err, sizeof(err)), 0);
	assert_string_equal(b.ev[0].reg->card_mac, "");
	hub_batch_free(&b);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i].body, &b, err, sizeof(err)), -1);
		if (strstr(err, bad[i].msg) == NULL)
			fail_msg("case %zu: %s", i, err);
		assert_null(b.ev);
	}
	/* a person id at the event level: the person does not exist yet */
	assert_int_equal(parse(REGP_OK("\"p\"", ""), &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "person_id: must be null for person_registered"));
	/* a name one byte too long */
	memset(big, 'a', sizeof(big) - 1);
	big[PR_NAME_MAX] = '\0';
	snprintf(body, sizeof(body), REG("{\"id\":\"0193a1b2-0000-7000-8000-000000000001\","
	    "\"display_name\":\"%s\",\"first_name\":\"A\",\"lang\":\"nl\",\"consent_version\":\"1\","
	    "\"consent_ms\":1}"), big);
	assert_int_equal(parse(body, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "payload.display_name"));
}

static void test_too_many_events(void **state)
{
	size_t cap = 600 * 8 + 64, n = 0;
	char *body = malloc(cap), err[256];
	struct hub_batch b;

	(void)state;
	assert_non_null(body);
	n += (size_t)snprintf(body + n, cap - n, "{\"events\":[");
	for (int i = 0; i < PR_BATCH_EVENTS_MAX + 1; i++)
		n += (size_t)snprintf(body + n, cap - n, "%s{}", i ? "," : "");
	n += (size_t)snprintf(body + n, cap - n, "]}");
	assert_int_equal(hub_batch_parse(body, n, &b, err, sizeof(err)), -2);
	free(body);
}

/* Every n_* file of JSONTestSuite (copied to tests/data/json): refused, no crash. */
static void test_json_test_suite(void **state)
{
	DIR *d = opendir("tests/data/json");
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[512], err[256];
		struct hub_batch b;
		FILE *fp;
		char *buf;
		long len;

		if (strncmp(e->d_name, "n_", 2) != 0)
			continue;
		snprintf(path, sizeof(path), "tests/data/json/%s", e->d_name);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		rewind(fp);
		buf = malloc((size_t)len + 1);
		assert_non_null(buf);
		assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
		fclose(fp);
		if (hub_batch_parse(buf, (size_t)len, &b, err, sizeof(err)) != -1)
			fail_msg("%s was accepted", e->d_name);
		free(buf);
		n++;
	}
	closedir(d);
	assert_true(n >= 180);
}

static void test_csv_cells(void **state)
{
	char mem[64];
	struct hub_buf b = { mem, 0, sizeof(mem) };
	static const char *const formula[] = { "=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx" };

	(void)state;
	for (size_t i = 0; i < sizeof(formula) / sizeof(formula[0]); i++) {
		b.len = 0;
		assert_int_equal(hub_csv_cell(&b, formula[i], 1), 0);
		mem[b.len] = '\0';
		/* the apostrophe comes first (inside quotes for the CR case) */
		assert_true(mem[0] == '\'' || (mem[0] == '"' && mem[1] == '\''));
	}
	b.len = 0;
	assert_int_equal(hub_csv_cell(&b, "a;b", 1), 0);
	assert_int_equal(hub_csv_cell(&b, "say \"hi\"", 0), 0);
	assert_int_equal(hub_csv_cell(&b, "", 0), 0);
	assert_int_equal(hub_csv_cell(&b, "Ö plain", 0), 0);
	mem[b.len] = '\0';
	assert_string_equal(mem, "\"a;b\";\"say \"\"hi\"\"\";;Ö plain");
	/* full: refused, nothing half written */
	b.len = sizeof(mem) - 3;
	assert_int_equal(hub_csv_cell(&b, "abcdef", 0), -1);
	assert_int_equal(b.len, sizeof(mem) - 3);
	b.len = 0;
	assert_int_equal(hub_json_str(&b, "a\"b\\c\n\x01"), 0);
	mem[b.len] = '\0';
	assert_string_equal(mem, "\"a\\\"b\\\\c\\u000a\\u0001\"");
}

static void test_tokens_and_codes(void **state)
{
	char t1[HUB_TOKEN_STR], t2[HUB_TOKEN_STR], h1[HUB_HASH_HEX], h2[HUB_HASH_HEX];
	char code[HUB_CODE_STR], norm[HUB_CODE_CHARS + 1], lower[HUB_CODE_STR];

	(void)state;
	assert_int_equal(hub_token_new(t1), 0);
	assert_int_equal(hub_token_new(t2), 0);
	assert_int_equal(strlen(t1), 43);
	assert_true(hub_token_well_formed(t1));
	assert_string_not_equal(t1, t2);
	assert_false(hub_token_well_formed("short"));
	assert_false(hub_token_well_formed("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+"));
	hub_hash_hex(t1, strlen(t1), h1);
	hub_hash_hex(t2, strlen(t2), h2);
	assert_true(hub_hash_equal(h1, h1));
	assert_false(hub_hash_equal(h1, h2));
	hub_code_new(code);
	assert_int_equal(strlen(code), 14);
	for (int i = 0; code[i]; i++)
		lower[i] = (char)((code[i] >= 'A' && code[i] <= 'Z') ? code[i] + 32 : code[i]);
	lower[14] = '\0';
	assert_int_equal(hub_code_normalise(lower, norm), 0);
	assert_int_equal(strlen(norm), 12);
	assert_int_equal(hub_code_normalise("K7QF-3MZP-9TX0", norm), -1);  /* 0 not in the alphabet */
	assert_int_equal(hub_code_normalise("K7QF-3MZP", norm), -1);
}

static void test_dates_and_clock(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(hub_date_parse("2025-10-26", &ms), 0);
	assert_int_equal(ms, 1761436800000LL);
	assert_int_equal(hub_date_parse("2025-02-29", &ms), -1);
	assert_int_equal(hub_date_parse("2025-1-01", &ms), -1);
	assert_int_equal(hub_date_parse("2025-01-01x", &ms), -1);
	/* 02:30 local on the autumn DST day exists twice; 14:00 CET = 13:00Z */
	assert_int_equal(hub_time_parse_local("2025-10-27 14:00", "Europe/Amsterdam", &ms), 0);
	assert_int_equal(ms, 1761570000000LL);
	assert_int_equal(hub_time_parse_local("2025-10-24 14:00", "Europe/Amsterdam", &ms), 0);
	assert_int_equal(ms, 1761307200000LL);   /* CEST: 12:00Z */
	assert_int_equal(hub_time_parse_local("2025-10-24T14:00+02:00", NULL, &ms), 0);
	assert_int_equal(ms, 1761307200000LL);
	/* anchor at 65 s boot time says 10:00:00; event at 5 s was 60 s earlier */
	assert_int_equal(hub_clock_corrected_ms(1763820000000LL, 65000000000LL, 5000000000LL),
	    1763820000000LL - 60000);
	assert_int_equal(hub_clock_corrected_ms(1000000, 2500000, 1000000), 1000000 - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_batch),
		cmocka_unit_test(test_field_errors),
		cmocka_unit_test(test_repeated_uuid),
		cmocka_unit_test(test_person_and_payload_rules),
		cmocka_unit_test(test_person_registered),
		cmocka_unit_test(test_too_many_events),
		cmocka_unit_test(test_json_test_suite),
		cmocka_unit_test(test_csv_cells),
		cmocka_unit_test(test_tokens_and_codes),
		cmocka_unit_test(test_dates_and_clock),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
