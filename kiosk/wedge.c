/* wedge.c — keyboard-wedge reader decoder (see wedge.h).
 * Owns: the burst buffer and its timing, the position-based key map, and the
 * hex/decimal UID decoding, recognising a pass burst (first key K). Must not: know SDL, print or keep a UID (the
 * buffer is wiped after every burst). */
#include "wedge.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WEDGE_SC_CAPSLOCK  57
#define WEDGE_SC_NUMLOCK   83
#define WEDGE_GAP_DIGITS   4   /* "1000" */

struct wedge {
	struct wedge_config cfg;
	char buf[WEDGE_BUF_MAX + 1];  /* '0'-'9', 'a'-'f', 'k', 'p'; NUL-ended */
	size_t n;
	int active;               /* a burst has started */
	int bad;                  /* the burst holds garbage or overflowed */
	int64_t last_ms;
};

void wedge_config_default(struct wedge_config *cfg)
{
	if (cfg == NULL)
		return;
	cfg->format = WEDGE_FMT_AUTO;
	cfg->order = WEDGE_ORDER_MSB;
	cfg->layout = WEDGE_LAYOUT_QWERTY;
	cfg->max_gap_ms = WEDGE_GAP_DEFAULT_MS;
}

static int config_ok(const struct wedge_config *cfg)
{
	return (cfg->format == WEDGE_FMT_AUTO || cfg->format == WEDGE_FMT_HEX ||
	    cfg->format == WEDGE_FMT_DEC) &&
	    (cfg->order == WEDGE_ORDER_MSB || cfg->order == WEDGE_ORDER_LSB) &&
	    (cfg->layout == WEDGE_LAYOUT_QWERTY || cfg->layout == WEDGE_LAYOUT_AZERTY) &&
	    cfg->max_gap_ms >= 1 && cfg->max_gap_ms <= WEDGE_GAP_MAX_MS;
}

int wedge_config_set(struct wedge_config *cfg, const char *key, const char *value)
{
	struct wedge_config c;
	char *end = NULL;
	long v;

	if (cfg == NULL || key == NULL || value == NULL)
		return -1;
	c = *cfg;
	if (strcmp(key, "wedge_format") == 0) {
		if (strcmp(value, "auto") == 0)
			c.format = WEDGE_FMT_AUTO;
		else if (strcmp(value, "hex") == 0)
			c.format = WEDGE_FMT_HEX;
		else if (strcmp(value, "dec") == 0)
			c.format = WEDGE_FMT_DEC;
		else
			return -1;
	} else if (strcmp(key, "wedge_order") == 0) {
		if (strcmp(value, "msb") == 0)
			c.order = WEDGE_ORDER_MSB;
		else if (strcmp(value, "lsb") == 0)
			c.order = WEDGE_ORDER_LSB;
		else
			return -1;
	} else if (strcmp(key, "wedge_layout") == 0) {
		if (strcmp(value, "qwerty") == 0)
			c.layout = WEDGE_LAYOUT_QWERTY;
		else if (strcmp(value, "azerty") == 0)
			c.layout = WEDGE_LAYOUT_AZERTY;
		else
			return -1;
	} else if (strcmp(key, "wedge_gap_ms") == 0) {
		size_t len = strnlen(value, WEDGE_GAP_DIGITS + 1);
		size_t i;
		if (len == 0 || len > WEDGE_GAP_DIGITS)
			return -1;
		for (i = 0; i < len; i++)
			if (value[i] < '0' || value[i] > '9')
				return -1;
		errno = 0;
		v = strtol(value, &end, 10);
		if (errno != 0 || end == NULL || *end != '\0')
			return -1;
		c.max_gap_ms = v;
	} else {
		return -1;
	}
	if (!config_ok(&c))
		return -1;
	*cfg = c;
	return 0;
}

struct wedge *wedge_new(const struct wedge_config *cfg)
{
	struct wedge *w;
	struct wedge_config def;

	if (cfg == NULL) {
		wedge_config_default(&def);
		cfg = &def;
	}
	if (!config_ok(cfg))
		return NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return NULL;
	w->cfg = *cfg;
	return w;
}

void wedge_reset(struct wedge *w)
{
	if (w == NULL)
		return;
	memset(w->buf, 0, sizeof(w->buf));
	w->n = 0;
	w->active = 0;
	w->bad = 0;
}

void wedge_free(struct wedge *w)
{
	if (w == NULL)
		return;
	wedge_reset(w);
	free(w);
}

/* AZERTY number row, unshifted, French and Belgian, digits 1..9 then 0. */
static const uint32_t azerty_row[10][2] = {
	{ '&', '&' }, { 0xE9, 0xE9 } /* é */, { '"', '"' }, { '\'', '\'' },
	{ '(', '(' }, { '-', 0xA7 } /* - (fr), § (be) */, { 0xE8, 0xE8 } /* è */,
	{ '_', '!' }, { 0xE7, 0xE7 } /* ç */, { 0xE0, 0xE0 } /* à */,
};

/* The character a key stands for from the reader's side: '0'-'9', 'a'-'f',
 * 'k', 'p' (a pass prefix), '\n' for Enter, 0 for anything else. */
static char key_char(const struct wedge_config *cfg, const struct wedge_key *k)
{
	uint32_t c = k->ch;
	unsigned sc = k->scancode;
	size_t i;

	if (sc == WEDGE_SC_ENTER || sc == WEDGE_SC_KP_ENTER)
		return '\n';
	if (sc == 0 && (c == '\r' || c == '\n'))
		return '\n';
	if (k->mods & (WEDGE_MOD_CTRL | WEDGE_MOD_ALT | WEDGE_MOD_GUI))
		return 0;     /* a shortcut: a person, not a reader */
	if (sc != 0) {    /* by position: the layout does not matter */
		if (sc >= WEDGE_SC_A && sc < WEDGE_SC_A + 6)
			return (char)('a' + (sc - WEDGE_SC_A));
		if (sc >= WEDGE_SC_1 && sc < WEDGE_SC_0)
			return (char)('1' + (sc - WEDGE_SC_1));
		if (sc == WEDGE_SC_0 || sc == WEDGE_SC_KP_0)
			return '0';
		if (sc >= WEDGE_SC_KP_1 && sc < WEDGE_SC_KP_0)
			return (char)('1' + (sc - WEDGE_SC_KP_1));
		if (sc == WEDGE_SC_K)
			return 'k';
		if (sc == WEDGE_SC_P)
			return 'p';
		return 0;
	}
	if (c >= '0' && c <= '9')
		return (char)c;
	if (c >= 'A' && c <= 'Z')
		c = c - 'A' + 'a';
	if (cfg->layout == WEDGE_LAYOUT_AZERTY) {
		for (i = 0; i < 10; i++)
			if (c == azerty_row[i][0] || c == azerty_row[i][1])
				return "1234567890"[i];
		if (c == 'q')
			return 'a';   /* US 'a' position types q on AZERTY */
		if (c == 'a')
			return 0;     /* ... and the 'q' position types a */
	}
	if ((c >= 'a' && c <= 'f') || c == 'k' || c == 'p')
		return (char)c;
	return 0;
}

static int hexval(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* Decode the finished burst. Returns WEDGE_UID, WEDGE_PASS (pass filled) or
 * WEDGE_REJECTED. */
static enum wedge_result decode(struct wedge *w, uint8_t *uid, size_t *len, uint8_t *pass)
{
	size_t i, n = w->n;
	int all_dec = 1, dec, hex;

	if (w->bad || n == 0)
		return WEDGE_REJECTED;
	if (w->buf[0] == 'k') {
		w->buf[n] = '\0';
		return pass != NULL && cred_pass_parse(w->buf, pass) == 0 ? WEDGE_PASS : WEDGE_REJECTED;
	}
	for (i = 0; i < n; i++)
		if (w->buf[i] == 'k' || w->buf[i] == 'p')
			return WEDGE_REJECTED;
	for (i = 0; i < n; i++)
		if (w->buf[i] > '9')
			all_dec = 0;
	dec = all_dec && n == WEDGE_DEC_DIGITS;
	hex = n == 2 * 4 || n == 2 * 7 || n == 2 * PR_UID_MAX_BYTES;
	if (w->cfg.format == WEDGE_FMT_HEX)
		dec = 0;
	else if (w->cfg.format == WEDGE_FMT_DEC)
		hex = 0;
	if (dec) {
		uint64_t v = 0;
		for (i = 0; i < n; i++)
			v = v * 10 + (uint64_t)(w->buf[i] - '0');
		if (v > UINT32_MAX)
			return WEDGE_REJECTED;
		for (i = 0; i < 4; i++) {
			uint8_t b = (uint8_t)(v >> (8 * (3 - i)));
			uid[w->cfg.order == WEDGE_ORDER_MSB ? i : 3 - i] = b;
		}
		*len = 4;
		return WEDGE_UID;
	}
	if (hex) {
		for (i = 0; i < n / 2; i++)
			uid[i] = (uint8_t)(hexval(w->buf[2 * i]) << 4 | hexval(w->buf[2 * i + 1]));
		*len = n / 2;
		return WEDGE_UID;
	}
	return WEDGE_REJECTED;
}

enum wedge_result wedge_feed(struct wedge *w, const struct wedge_key *k,
    uint8_t uid[PR_UID_MAX_BYTES], size_t *len)
{
	return wedge_feed_pass(w, k, uid, len, NULL);
}

enum wedge_result wedge_feed_pass(struct wedge *w, const struct wedge_key *k,
    uint8_t uid[PR_UID_MAX_BYTES], size_t *len, uint8_t pass[CRED_PASS_BYTES])
{
	enum wedge_result r;
	int held;
	char c;

	if (w == NULL || k == NULL || uid == NULL || len == NULL)
		return WEDGE_NONE;
	if ((k->scancode >= WEDGE_SC_LCTRL && k->scancode <= WEDGE_SC_RGUI) ||
	    k->scancode == WEDGE_SC_CAPSLOCK || k->scancode == WEDGE_SC_NUMLOCK ||
	    (k->scancode == 0 && k->ch == 0))
		return WEDGE_NONE;   /* Shift etc. pressed on their own */
	/* a pause (or time running backwards) ends the burst: a person typing */
	if (w->active && (k->t_ms < w->last_ms || k->t_ms - w->last_ms > w->cfg.max_gap_ms))
		wedge_reset(w);
	c = key_char(&w->cfg, k);
	/* inside a pass burst every key is the scanner's, not a person's */
	held = w->active && w->n > 0 && w->buf[0] == 'k';
	if (c == '\n') {
		if (!w->active)
			return WEDGE_NONE;   /* a lone Enter */
		r = decode(w, uid, len, pass);
		wedge_reset(w);
		return r;
	}
	w->active = 1;
	w->last_ms = k->t_ms;
	if (c == 0 || w->n >= WEDGE_BUF_MAX) {
		w->bad = 1;
		return held ? WEDGE_HELD : WEDGE_NONE;
	}
	w->buf[w->n++] = c;
	return held ? WEDGE_HELD : WEDGE_NONE;
}
