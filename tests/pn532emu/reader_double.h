/* reader_double.h — a stand-in for the generic half of reader.h
 * (reader_post_uid & co., kiosk/reader.c on the UI branch) so the libnfc
 * thread can be tested and benched before that lands. Include it in exactly
 * one .c of a test program. It behaves as reader.h promises: validates the
 * length, flags random UIDs, MACs with HMAC-SHA256 (libsodium), posts SDL
 * user events, keeps the UID only for reader_support_uid().
 * Must not: print a UID. Remove when kiosk/reader.c is in main. */
#ifndef PN532EMU_READER_DOUBLE_H
#define PN532EMU_READER_DOUBLE_H

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>
#include <sodium.h>

#include "reader.h"

uint32_t reader_ev_card, reader_ev_gone, reader_ev_state;

static pthread_mutex_t dbl_mtx = PTHREAD_MUTEX_INITIALIZER;
static uint8_t dbl_uid[PR_UID_MAX_BYTES];
static size_t dbl_uid_len;
/* when reader_post_uid() was last entered / had pushed its event,
 * CLOCK_MONOTONIC microseconds (for the bench) */
static int64_t dbl_post_us, dbl_pushed_us;

static inline int64_t
dbl_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
reader_events_init(void)
{
	Uint32 base = SDL_RegisterEvents(3);

	if (base == (Uint32)-1)
		return -1;
	reader_ev_card = base;
	reader_ev_gone = base + 1;
	reader_ev_state = base + 2;
	return sodium_init() < 0 ? -1 : 0;
}

static int
dbl_push(uint32_t type, int code, void *data)
{
	SDL_Event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.user.code = code;
	ev.user.data1 = data;
	return SDL_PushEvent(&ev) == 1 ? 0 : -1;
}

int
reader_post_uid(const uint8_t key[PR_ORG_KEY_BYTES], const uint8_t *uid,
    size_t len)
{
	struct reader_card *c;
	int64_t t = dbl_now_us();

	c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	c->t_read_ms = t / 1000;
	c->uid_len = (uint8_t)(len <= PR_UID_MAX_BYTES ? len : 0);
	if (len != 4 && len != 7 && len != 10) {
		c->status = READER_CARD_INVALID;
	} else if (len == 4 && uid[0] == 0x08) {
		c->status = READER_CARD_RANDOM;
	} else {
		c->status = READER_CARD_OK;
		crypto_auth_hmacsha256(c->mac, uid, len, key);
	}
	pthread_mutex_lock(&dbl_mtx);
	dbl_post_us = t;
	dbl_uid_len = c->status == READER_CARD_INVALID ? 0 : len;
	if (dbl_uid_len)
		memcpy(dbl_uid, uid, len);
	pthread_mutex_unlock(&dbl_mtx);
	if (dbl_push(reader_ev_card, 0, c) != 0) {
		free(c);
		return -1;
	}
	pthread_mutex_lock(&dbl_mtx);
	dbl_pushed_us = dbl_now_us();
	pthread_mutex_unlock(&dbl_mtx);
	return 0;
}

void
reader_post_gone(void)
{
	pthread_mutex_lock(&dbl_mtx);
	sodium_memzero(dbl_uid, sizeof(dbl_uid));
	dbl_uid_len = 0;
	pthread_mutex_unlock(&dbl_mtx);
	dbl_push(reader_ev_gone, 0, NULL);
}

void
reader_post_state(enum reader_state st)
{
	dbl_push(reader_ev_state, (int)st, NULL);
}

int
reader_support_uid(char *hex, size_t len)
{
	int rc = 1;

	pthread_mutex_lock(&dbl_mtx);
	if (dbl_uid_len && len >= dbl_uid_len * 2 + 1) {
		sodium_bin2hex(hex, len, dbl_uid, dbl_uid_len);
		rc = 0;
	}
	pthread_mutex_unlock(&dbl_mtx);
	return rc;
}

#endif
