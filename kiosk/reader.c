/* reader.c — the generic half of reader.h: the SDL event types every card
 * source posts, turning a raw UID into a MAC before it leaves the reader
 * layer, and the one remembered UID for the coordinator's support page.
 * Must not: log, print or store a UID; it lives in memory only while the
 * card lies on the reader (reader_post_gone clears it). */
#include "reader.h"

#include <SDL.h>
#include <stdlib.h>
#include <string.h>

#include "clockinfo.h"
#include "cred.h"

uint32_t reader_ev_card = (uint32_t)-1;
uint32_t reader_ev_gone = (uint32_t)-1;
uint32_t reader_ev_state = (uint32_t)-1;

static SDL_mutex *uid_lock;
static uint8_t last_uid[PR_UID_MAX_BYTES];
static size_t last_len;

int reader_events_init(void)
{
	Uint32 base;

	if (reader_ev_card != (uint32_t)-1)
		return 0;
	base = SDL_RegisterEvents(3);
	if (base == (Uint32)-1)
		return -1;
	uid_lock = SDL_CreateMutex();
	if (!uid_lock)
		return -1;
	reader_ev_card = base;
	reader_ev_gone = base + 1;
	reader_ev_state = base + 2;
	return 0;
}

static int push(uint32_t type, int code, void *data)
{
	SDL_Event ev;

	if (type == (uint32_t)-1)
		return -1;
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.user.code = code;
	ev.user.data1 = data;
	return SDL_PushEvent(&ev) == 1 ? 0 : -1;
}

static void remember(const uint8_t *uid, size_t len)
{
	if (!uid_lock)
		return;
	SDL_LockMutex(uid_lock);
	if (uid && len <= sizeof(last_uid)) {
		memcpy(last_uid, uid, len);
		last_len = len;
	} else {
		memset(last_uid, 0, sizeof(last_uid));
		last_len = 0;
	}
	SDL_UnlockMutex(uid_lock);
}

int reader_post_uid(const uint8_t key[PR_ORG_KEY_BYTES], const uint8_t *uid,
    size_t len)
{
	struct reader_card *c = calloc(1, sizeof(*c));

	if (!c)
		return -1;
	c->t_read_ms = clockinfo_mono_ms();
	c->uid_len = (uint8_t)(len <= PR_UID_MAX_BYTES ? len : 0);
	/* ISO 14443A UIDs are 4, 7 or 10 bytes (14443B PUPIs 4), a FeliCa
	 * IDm 8 (reader_nfc_card.c); anything else is not a card identifier */
	c->status = READER_CARD_INVALID;
	if (uid && len >= PR_UID_MIN_BYTES && len <= PR_UID_MAX_BYTES &&
	    (len == 4 || len == 7 || len == 8 || len == 10)) {
		if (cred_uid_is_random(uid, len)) {
			c->status = READER_CARD_RANDOM;
			remember(uid, len);
		} else if (cred_mac_card(key, uid, len, c->mac) == 0) {
			c->status = READER_CARD_OK;
			remember(uid, len);
		}
	}
	if (push(reader_ev_card, 0, c) != 0) {
		free(c);
		return -1;
	}
	return 0;
}

int reader_post_pass(const uint8_t key[PR_ORG_KEY_BYTES], const uint8_t bytes[CRED_PASS_BYTES])
{
	struct reader_card *c = calloc(1, sizeof(*c));

	if (!c)
		return -1;
	c->t_read_ms = clockinfo_mono_ms();
	c->status = READER_CARD_INVALID;
	if (cred_mac_pass(key, bytes, c->mac) == 0)
		c->status = READER_CARD_OK;
	if (push(reader_ev_card, 0, c) != 0) {
		free(c);
		return -1;
	}
	return 0;
}

void reader_post_gone(void)
{
	remember(NULL, 0);
	push(reader_ev_gone, 0, NULL);
}

void reader_post_state(enum reader_state st)
{
	push(reader_ev_state, (int)st, NULL);
}

int reader_support_uid(char *hex, size_t len)
{
	int rc = 1;

	if (!hex || len == 0)
		return 1;
	hex[0] = '\0';
	if (!uid_lock)
		return 1;
	SDL_LockMutex(uid_lock);
	if (last_len > 0 && len >= 2 * last_len + 1) {
		cred_hex(last_uid, last_len, hex);
		rc = 0;
	}
	SDL_UnlockMutex(uid_lock);
	return rc;
}
