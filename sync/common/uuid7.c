/* uuid7.c — UUID version 7 (RFC 9562 section 5.7): 48-bit big-endian Unix
 * milliseconds, version 7, 12 bits rand_a, variant 10, 62 bits rand_b, all
 * randomness from libsodium. Within one process and one millisecond rand_a
 * is a counter started at a random value below 2048 (RFC 9562 6.2 method 1),
 * so ids made in sequence also sort in sequence. Must not: use rand(). */
#include "uuid7.h"

#include <pthread.h>
#include <string.h>

#include <sodium.h>

#define UUID7_RAND_A_MAX 0x0fff
#define UUID7_SEED_MAX   0x07ff   /* leave headroom for the counter */

static pthread_once_t uuid7_once = PTHREAD_ONCE_INIT;
static int uuid7_sodium_rc = -1;
static pthread_mutex_t uuid7_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t uuid7_last_ms = -1;
static uint32_t uuid7_counter;

static void uuid7_init_once(void)
{
	uuid7_sodium_rc = sodium_init() < 0 ? -1 : 0;
}

int uuid7_make(int64_t unix_ms, char out[PR_UUID_STR])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t b[16];
	uint64_t ms;
	uint32_t rand_a;
	int i, o = 0;

	pthread_once(&uuid7_once, uuid7_init_once);
	if (uuid7_sodium_rc != 0)
		return -1;
	if (unix_ms < 0)
		unix_ms = 0;
	ms = (uint64_t)unix_ms & 0xffffffffffffULL;
	randombytes_buf(b, sizeof b);

	pthread_mutex_lock(&uuid7_lock);
	if ((int64_t)ms == uuid7_last_ms && uuid7_counter < UUID7_RAND_A_MAX) {
		uuid7_counter++;
	} else {
		uuid7_counter = randombytes_uniform(UUID7_SEED_MAX + 1);
		uuid7_last_ms = (int64_t)ms;
	}
	rand_a = uuid7_counter;
	pthread_mutex_unlock(&uuid7_lock);

	for (i = 0; i < 6; i++)
		b[i] = (uint8_t)(ms >> (40 - 8 * i));
	b[6] = (uint8_t)(0x70 | (rand_a >> 8));
	b[7] = (uint8_t)(rand_a & 0xff);
	b[8] = (uint8_t)(0x80 | (b[8] & 0x3f));

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0x0f];
	}
	out[o] = '\0';
	return 0;
}

int uuid_is_valid(const char *s)
{
	int i;

	if (s == NULL)
		return 0;
	for (i = 0; i < 36; i++) {
		char c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F'))) {
			return 0;
		}
	}
	return s[36] == '\0';
}
