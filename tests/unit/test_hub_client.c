/* test_hub_client.c — the hub's client address: --trusted-proxy parsing
 * and the X-Forwarded-For rule (right-most untrusted address; anything
 * malformed means the peer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hub/http/client.h"

/* one more than HUB_TRUSTED_PROXIES_MAX */
#define NINE_PROXIES "1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5,1.1.1.6,1.1.1.7,1.1.1.8,1.1.1.9"

/* The client of xff as text, or "-" when the header is refused. */
static const char *pick(const struct hub_ctx *ctx, const char *xff)
{
	static char out[HUB_IP_MAX];
	struct hub_addr a;

	if (hub_xff_client(ctx, xff, &a) != 0)
		return "-";
	hub_addr_str(&a, out, sizeof(out));
	return out;
}

static void test_trusted_parse(void **state)
{
	struct hub_ctx ctx = { 0 };
	struct hub_addr a;
	char err[160];

	(void)state;
	assert_int_equal(hub_trusted_parse("127.0.0.1,::1", &ctx, err, sizeof(err)), 0);
	assert_int_equal(ctx.ntrusted, 2);
	assert_int_equal(hub_addr_parse("::ffff:127.0.0.1", &a), 0);   /* v4-mapped is v4 */
	assert_int_equal(hub_addr_trusted(&ctx, &a), 1);
	assert_int_equal(hub_addr_parse("127.0.0.2", &a), 0);
	assert_int_equal(hub_addr_trusted(&ctx, &a), 0);
	static const char *const bad[] = {
		"", "127.0.0.1,", ",127.0.0.1", "localhost", "127.0.0.1/8", "127.0.0.1:80",
		"[::1]", "1,2,3,4,5,6,7,8,9", "127.0.0.1 ", NINE_PROXIES,
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = hub_trusted_parse(bad[i], &ctx, err, sizeof(err));

		if (bad[i][0] == '\0') {
			assert_int_equal(rc, 0);   /* an empty list: no proxy */
			assert_int_equal(ctx.ntrusted, 0);
			continue;
		}
		assert_int_equal(rc, -1);
		assert_int_equal(ctx.ntrusted, 0);
	}
}

static void test_xff(void **state)
{
	struct hub_ctx ctx = { 0 };
	char err[160];
	char big[HUB_XFF_MAX + 16];

	(void)state;
	assert_int_equal(hub_trusted_parse("127.0.0.1,10.0.0.2", &ctx, err, sizeof(err)), 0);
	assert_string_equal(pick(&ctx, "203.0.113.7"), "203.0.113.7");
	assert_string_equal(pick(&ctx, "198.51.100.1, 203.0.113.7"), "203.0.113.7");
	assert_string_equal(pick(&ctx, "203.0.113.7, 10.0.0.2"), "203.0.113.7");
	assert_string_equal(pick(&ctx, "203.0.113.7,10.0.0.2 ,\t127.0.0.1"), "203.0.113.7");
	assert_string_equal(pick(&ctx, "10.0.0.2, 127.0.0.1"), "10.0.0.2");   /* all trusted */
	assert_string_equal(pick(&ctx, "2001:db8::7"), "2001:db8::7");
	assert_string_equal(pick(&ctx, "::ffff:203.0.113.9"), "203.0.113.9");
	/* malformed anywhere: the caller uses the peer */
	assert_string_equal(pick(&ctx, ""), "-");
	assert_string_equal(pick(&ctx, "unknown"), "-");
	assert_string_equal(pick(&ctx, "203.0.113.7,"), "-");
	assert_string_equal(pick(&ctx, "garbage, 203.0.113.7, 10.0.0.2"), "203.0.113.7");
	assert_string_equal(pick(&ctx, "203.0.113.7, garbage"), "-");
	assert_string_equal(pick(&ctx, "203.0.113.7:4711"), "-");
	assert_string_equal(pick(&ctx, "[2001:db8::7]"), "-");
	assert_string_equal(pick(&ctx, "203.0.113.7 198.51.100.1"), "-");
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_string_equal(pick(&ctx, big), "-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trusted_parse),
		cmocka_unit_test(test_xff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
