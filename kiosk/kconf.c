/* kconf.c — defaults, config file and command line (see kconf.h).
 * Must not: exit(), or accept an unbounded or malformed value. */
#include "kconf.h"
#include "reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#ifndef PRESENTIE_DATADIR
#define PRESENTIE_DATADIR "/usr/local/share/presentie"
#endif

void kconf_defaults(struct kconf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->db, sizeof(c->db), "%s", KCONF_DEFAULT_DB);
	snprintf(c->assets, sizeof(c->assets), "%s",
	    access("assets/i18n/nl.po", R_OK) == 0 ? "assets" : PRESENTIE_DATADIR);
	snprintf(c->fonts, sizeof(c->fonts), "%s", KCONF_FONT_DIR);
	snprintf(c->lang, sizeof(c->lang), "nl");
	snprintf(c->renderer, sizeof(c->renderer), "software");
	snprintf(c->sound, sizeof(c->sound), "default");
	c->nfc_poll_period = 1;
	c->nfc_poll_mode = READER_NFC_POLL_WAIT;
	c->nfc_poll_gap_ms = READER_NFC_GAP_DEFAULT_MS;
	c->nfc_modulations = 1;     /* ISO 14443A: MIFARE, NTAG, DESFire */
	c->early_min = 30;
	c->repeat_s = 120;
	c->welcome_s = 4;
	c->coord_idle_s = 60;
	c->lang_idle_s = 30;
}

static int copy(char *dst, size_t len, const char *v, const char *key,
    char *err, size_t errlen)
{
	size_t n = strlen(v);

	if (n >= len) {
		snprintf(err, errlen, "%s: value too long (max %zu bytes)", key,
		    len - 1);
		return -1;
	}
	memcpy(dst, v, n + 1);
	return 0;
}

static int boolean(const char *v, int *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") ||
	    !strcmp(v, "on")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0") ||
	    !strcmp(v, "off")) {
		*out = 0;
		return 0;
	}
	return -1;
}

/* "a", "a,b", "a, b, felica" -> bit set (1 ISO 14443A, 2 ISO 14443B,
 * 4 FeliCa). Returns 0, or -1 for an empty list or an unknown name. */
static int modulations(const char *v, int *out)
{
	int bits = 0;
	const char *p = v;

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, " ,");
		if (n == 0)
			break;
		if (n == 1 && (p[0] == 'a' || p[0] == 'A'))
			bits |= 1;
		else if (n == 1 && (p[0] == 'b' || p[0] == 'B'))
			bits |= 2;
		else if (n == 6 && !strncasecmp(p, "felica", 6))
			bits |= 4;
		else
			return -1;
		p += n;
	}
	if (bits == 0)
		return -1;
	*out = bits;
	return 0;
}

static int number(const char *v, long lo, long hi, int *out)
{
	char *end;
	long n;

	if (!*v || ((*v < '0' || *v > '9') && *v != '-'))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < lo || n > hi)
		return -1;
	*out = (int)n;
	return 0;
}

static int size_wxh(struct kconf *c, const char *v)
{
	char w[16], *x = strchr(v, 'x');
	size_t n;

	if (!x || (n = (size_t)(x - v)) == 0 || n >= sizeof(w))
		return -1;
	memcpy(w, v, n);
	w[n] = '\0';
	if (number(w, 200, KCONF_WIN_MAX, &c->win_w) != 0 ||
	    number(x + 1, 200, KCONF_WIN_MAX, &c->win_h) != 0) {
		c->win_w = c->win_h = 0;
		return -1;
	}
	return 0;
}

int kconf_set(struct kconf *c, const char *k, const char *v, char *err,
    size_t errlen)
{
	int b;

#define BAD(msg) do { snprintf(err, errlen, "%s: %s", k, msg); return -1; } while (0)
	if (!strcmp(k, "db"))
		return copy(c->db, sizeof(c->db), v, k, err, errlen);
	if (!strcmp(k, "assets"))
		return copy(c->assets, sizeof(c->assets), v, k, err, errlen);
	if (!strcmp(k, "fonts"))
		return copy(c->fonts, sizeof(c->fonts), v, k, err, errlen);
	if (!strcmp(k, "feed"))
		return copy(c->feed, sizeof(c->feed), v, k, err, errlen);
	if (!strcmp(k, "shots"))
		return copy(c->shots, sizeof(c->shots), v, k, err, errlen);
	if (!strcmp(k, "lang")) {
		if (strcmp(v, "nl") != 0 && strcmp(v, "en") != 0 &&
		    strcmp(v, "ar") != 0 && strcmp(v, "tr") != 0 && strcmp(v, "uk") != 0)
			BAD("one of nl, en, ar, tr, uk");
		return copy(c->lang, sizeof(c->lang), v, k, err, errlen);
	}
	if (!strcmp(k, "renderer")) {
		if (strcmp(v, "auto") != 0 && strcmp(v, "software") != 0)
			BAD("auto or software");
		return copy(c->renderer, sizeof(c->renderer), v, k, err, errlen);
	}
	if (!strcmp(k, "sound")) {         /* an ALSA PCM name, or off */
		if (!v[0])
			BAD("an ALSA device such as default, or off");
		return copy(c->sound, sizeof(c->sound), v, k, err, errlen);
	}
	if (!strcmp(k, "windowed")) {
		if (!strcmp(v, "no") || !strcmp(v, "off")) {
			c->win_w = c->win_h = 0;
			return 0;
		}
		if (size_wxh(c, v) != 0)
			BAD("WIDTHxHEIGHT, e.g. 800x480");
		return 0;
	}
	if (!strcmp(k, "nfc")) {
		if (!strcmp(v, "off") || !strcmp(v, "no")) {
			c->nfc_enabled = 0;
			return 0;
		}
		c->nfc_enabled = 1;
		return copy(c->nfc, sizeof(c->nfc), strcmp(v, "default") ? v : "",
		    k, err, errlen);
	}
	if (!strcmp(k, "nfc_modulations")) {
		if (modulations(v, &c->nfc_modulations) != 0)
			BAD("a comma-separated list of a, b, felica");
		return 0;
	}
	if (!strcmp(k, "nfc_poll_period")) {
		if (number(v, 1, 15, &c->nfc_poll_period) != 0)
			BAD("1 to 15");
		return 0;
	}
	if (!strcmp(k, "nfc_poll")) {
		if (!strcmp(v, "wait"))
			c->nfc_poll_mode = READER_NFC_POLL_WAIT;
		else if (!strcmp(v, "list"))
			c->nfc_poll_mode = READER_NFC_POLL_LIST;
		else if (!strcmp(v, "autopoll"))
			c->nfc_poll_mode = READER_NFC_POLL_AUTO;
		else
			BAD("wait, list or autopoll");
		return 0;
	}
	if (!strcmp(k, "nfc_poll_idle_s")) {
		if (number(v, 0, READER_NFC_IDLE_MAX_S, &c->nfc_poll_idle_s) != 0)
			BAD("0 (never) to 86400");
		return 0;
	}
	if (!strcmp(k, "nfc_poll_gap_ms")) {
		if (number(v, READER_NFC_GAP_MIN_MS, READER_NFC_GAP_MAX_MS,
		    &c->nfc_poll_gap_ms) != 0)
			BAD("5 to 1000");
		return 0;
	}
	if (!strcmp(k, "wedge_gap_ms")) {   /* a slow reader (wedge.h WEDGE_GAP_MAX_MS) */
		if (number(v, 1, 1000, &c->wedge_gap_ms) != 0)
			BAD("1 to 1000");
		return 0;
	}
	if (!strcmp(k, "wedge")) {
		if (!strcmp(v, "off") || !strcmp(v, "no"))
			c->wedge = KCONF_WEDGE_OFF;
		else if (!strcmp(v, "qwerty") || !strcmp(v, "yes"))
			c->wedge = KCONF_WEDGE_QWERTY;
		else if (!strcmp(v, "azerty"))
			c->wedge = KCONF_WEDGE_AZERTY;
		else
			BAD("off, qwerty or azerty");
		return 0;
	}
	if (!strcmp(k, "newcomers")) {
		if (!strcmp(v, "auto"))
			c->newcomers = KCONF_NEWCOMERS_AUTO;
		else if (boolean(v, &b) == 0)
			c->newcomers = b ? KCONF_NEWCOMERS_YES : KCONF_NEWCOMERS_NO;
		else
			BAD("auto, yes or no");
		return 0;
	}
	if (!strcmp(k, "allow_leave") || !strcmp(k, "checkout_all") ||
	    !strcmp(k, "demo") || !strcmp(k, "term_reader")) {
		if (boolean(v, &b) != 0)
			BAD("yes or no");
		if (!strcmp(k, "allow_leave"))
			c->allow_leave = b;
		else if (!strcmp(k, "checkout_all"))
			c->checkout_all = b;
		else if (!strcmp(k, "demo"))
			c->demo = b;
		else
			c->term_reader = b;
		return 0;
	}
	if (!strcmp(k, "early_minutes")) {
		if (number(v, 0, 240, &c->early_min) != 0)
			BAD("0 to 240");
		return 0;
	}
	if (!strcmp(k, "repeat_seconds")) {
		if (number(v, 0, 3600, &c->repeat_s) != 0)
			BAD("0 to 3600");
		return 0;
	}
	if (!strcmp(k, "welcome_seconds")) {
		if (number(v, 1, 60, &c->welcome_s) != 0)
			BAD("1 to 60");
		return 0;
	}
	if (!strcmp(k, "language_idle_seconds")) {
		if (number(v, 5, 600, &c->lang_idle_s) != 0)
			BAD("5 to 600");
		return 0;
	}
	if (!strcmp(k, "coordinator_idle_seconds")) {
		if (number(v, 10, 600, &c->coord_idle_s) != 0)
			BAD("10 to 600");
		return 0;
	}
	snprintf(err, errlen, "unknown setting '%.40s'", k);
	return -1;
#undef BAD
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int kconf_load(struct kconf *c, const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	char line[PR_CONF_LINE_MAX + 2], sub[256];
	long no = 0;
	int rc = 0;

	if (!fp) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *k, *v, *eq;
		no++;
		if (!strchr(line, '\n') && !feof(fp)) {
			snprintf(err, errlen, "%s line %ld: line too long", path, no);
			rc = -1;
			break;
		}
		k = trim(line);
		if (*k == '\0' || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			snprintf(err, errlen, "%s line %ld: expected key = value", path, no);
			rc = -1;
			break;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		if (kconf_set(c, k, v, sub, sizeof(sub)) != 0) {
			snprintf(err, errlen, "%s line %ld: %s", path, no, sub);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(fp)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	}
	fclose(fp);
	if (rc == 0)
		snprintf(c->config, sizeof(c->config), "%s", path);
	return rc;
}

static void usage(const char *prog)
{
	printf("usage: %s [options]\n"
	    "  --db PATH          the local store (default %s)\n"
	    "  --config PATH      config file (default %s)\n"
	    "  --windowed WxH     a window instead of fullscreen\n"
	    "  --feed PATH        read test/automation commands from a file or FIFO\n"
	    "  --demo             seed the demo organisation before starting\n"
	    "  --init-only        create or migrate the store (and seed with --demo), then exit\n"
	    "  --lang nl|en|ar|tr home screen language\n"
	    "  --term-reader      the terminal as demo card reader (1-9, p, q)\n"
	    "  --shots DIR        write DIR/kiosk.png after every screen change\n"
	    "  --assets DIR       translations, icons and demo data\n"
	    "  --set KEY=VALUE    any config file setting\n",
	    prog, KCONF_DEFAULT_DB, KCONF_DEFAULT_PATH);
}

static const char *const with_value[][2] = {
	{ "--db", "db" }, { "--windowed", "windowed" }, { "--feed", "feed" },
	{ "--lang", "lang" }, { "--shots", "shots" }, { "--assets", "assets" },
	{ "--fonts", "fonts" },
};

int kconf_from_args(struct kconf *c, int argc, char **argv, char *err,
    size_t errlen)
{
	const char *conf = KCONF_DEFAULT_PATH;
	char sub[256];
	int i, explicit = 0, rc;
	size_t k;

	kconf_defaults(c);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(argv[0]);
			return 1;
		}
		if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			conf = argv[++i];
			explicit = 1;
		}
	}
	rc = kconf_load(c, conf, err, errlen);
	if (rc < 0)
		return -1;
	if (rc == 1 && explicit) {
		snprintf(err, errlen, "%s: no such file", conf);
		return -1;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--config")) {
			i++;
			continue;
		}
		if (!strcmp(a, "--demo")) {
			c->demo = 1;
			continue;
		}
		if (!strcmp(a, "--term-reader")) {
			c->term_reader = 1;
			continue;
		}
		if (!strcmp(a, "--init-only")) {
			c->init_only = 1;
			continue;
		}
		if (!strcmp(a, "--set") && i + 1 < argc) {
			char kv[PR_CONF_LINE_MAX], *eq;
			if (strlen(argv[++i]) >= sizeof(kv)) {
				snprintf(err, errlen, "--set: too long");
				return -1;
			}
			snprintf(kv, sizeof(kv), "%s", argv[i]);
			eq = strchr(kv, '=');
			if (!eq) {
				snprintf(err, errlen, "--set: expected KEY=VALUE");
				return -1;
			}
			*eq = '\0';
			if (kconf_set(c, trim(kv), trim(eq + 1), sub, sizeof(sub)) != 0) {
				snprintf(err, errlen, "--set %s", sub);
				return -1;
			}
			continue;
		}
		for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
			if (!strcmp(a, with_value[k][0]))
				break;
		if (k == sizeof(with_value) / sizeof(with_value[0])) {
			snprintf(err, errlen, "unknown option '%.40s' (see --help)", a);
			return -1;
		}
		if (i + 1 >= argc) {
			snprintf(err, errlen, "%s needs a value", a);
			return -1;
		}
		if (kconf_set(c, with_value[k][1], argv[++i], sub, sizeof(sub)) != 0) {
			snprintf(err, errlen, "%s: %s", a, sub);
			return -1;
		}
	}
	return 0;
}
