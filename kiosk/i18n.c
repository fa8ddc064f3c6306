/* i18n.c — a strict reader for the PO files and the per-language lookup.
 * See i18n.h for why the kiosk does not use libintl.
 * Must not: accept input it cannot bound (every string <= I18N_STR_MAX,
 * every file <= I18N_FILE_MAX) or crash on malformed PO text. */
#include "i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"

const struct i18n_lang i18n_langs[I18N_LANGS] = {
	{ "nl", "Nederlands", 0 },
	{ "en", "English", 0 },
	{ "ar", "\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A\xD8\xA9", 1 },
	{ "tr", "T\xC3\xBCrk\xC3\xA7" "e", 0 },
	{ "uk", "\xD0\xA3\xD0\xBA\xD1\x80\xD0\xB0\xD1\x97\xD0\xBD\xD1\x81\xD1\x8C\xD0\xBA\xD0\xB0", 0 },
};

struct entry {
	char *id, *str;
};

struct i18n_catalog {
	struct entry *e;
	size_t n;
};

struct i18n {
	struct i18n_catalog *cat[I18N_LANGS];
};

/* --- UTF-8 ---------------------------------------------------------------- */

static int utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k, need;
		unsigned long cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + need >= n)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* --- parser ----------------------------------------------------------------- */

struct parse {
	struct entry *e;
	size_t n, cap;
	char id[I18N_STR_MAX], str[I18N_STR_MAX];
	size_t id_len, str_len;
	int have_id, have_str, fuzzy, in;   /* in: 1 msgid, 2 msgstr */
	long line;
	char *err;
	size_t errlen;
};

static int fail(struct parse *p, const char *what)
{
	snprintf(p->err, p->errlen, "line %ld: %s", p->line, what);
	return -1;
}

/* Append the quoted string at s (starting at '"') to the current field. */
static int add_quoted(struct parse *p, const char *s)
{
	char *dst = p->in == 1 ? p->id : p->str;
	size_t *len = p->in == 1 ? &p->id_len : &p->str_len;

	if (*s != '"')
		return fail(p, "expected a quoted string");
	for (s++; *s && *s != '"'; s++) {
		char c = *s;
		if (c == '\\') {
			switch (*++s) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			default: return fail(p, "unknown escape in string");
			}
		} else if ((unsigned char)c < 0x20) {
			return fail(p, "control character in string");
		}
		if (*len + 1 >= I18N_STR_MAX)
			return fail(p, "string too long");
		dst[(*len)++] = c;
	}
	if (*s != '"')
		return fail(p, "unterminated string");
	for (s++; *s == ' ' || *s == '\t'; s++)
		;
	if (*s)
		return fail(p, "text after the closing quote");
	dst[*len] = '\0';
	return 0;
}

static int commit(struct parse *p)
{
	struct entry *e;

	if (!p->have_id)
		return 0;
	if (!p->have_str)
		return fail(p, "msgid without msgstr");
	if (p->id_len > 0 && !p->fuzzy && p->str_len > 0) {
		if (!utf8_valid((const unsigned char *)p->id, p->id_len) ||
		    !utf8_valid((const unsigned char *)p->str, p->str_len))
			return fail(p, "invalid UTF-8");
		if (p->n == I18N_ENTRIES_MAX)
			return fail(p, "too many messages");
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 64;
			struct entry *ne = realloc(p->e, cap * sizeof(*ne));
			if (!ne)
				return fail(p, "out of memory");
			p->e = ne;
			p->cap = cap;
		}
		e = &p->e[p->n];
		e->id = strdup(p->id);
		e->str = strdup(p->str);
		if (!e->id || !e->str) {
			free(e->id);
			free(e->str);
			return fail(p, "out of memory");
		}
		p->n++;
	}
	p->have_id = p->have_str = p->fuzzy = p->in = 0;
	p->id_len = p->str_len = 0;
	p->id[0] = p->str[0] = '\0';
	return 0;
}

static int parse_line(struct parse *p, char *s, int *pending_fuzzy)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return 0;
	if (*s == '#') {
		if (s[1] == ',' && strstr(s, "fuzzy"))
			*pending_fuzzy = 1;
		return 0;
	}
	if (strncmp(s, "msgctxt", 7) == 0 || strncmp(s, "msgid_plural", 12) == 0 ||
	    strncmp(s, "msgstr[", 7) == 0)
		return fail(p, "plural forms and contexts are not used by the kiosk");
	if (strncmp(s, "msgid", 5) == 0 && (s[5] == ' ' || s[5] == '\t')) {
		if (commit(p) != 0)
			return -1;
		p->have_id = 1;
		p->fuzzy = *pending_fuzzy;
		*pending_fuzzy = 0;
		p->in = 1;
		for (s += 5; *s == ' ' || *s == '\t'; s++)
			;
		return add_quoted(p, s);
	}
	if (strncmp(s, "msgstr", 6) == 0 && (s[6] == ' ' || s[6] == '\t')) {
		if (!p->have_id || p->have_str)
			return fail(p, "msgstr without a msgid before it");
		p->have_str = 1;
		p->in = 2;
		for (s += 6; *s == ' ' || *s == '\t'; s++)
			;
		return add_quoted(p, s);
	}
	if (*s == '"') {
		if (!p->in)
			return fail(p, "string outside msgid/msgstr");
		return add_quoted(p, s);
	}
	return fail(p, "not a PO keyword");
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->id, ((const struct entry *)b)->id);
}

static void free_entries(struct entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(e[i].id);
		free(e[i].str);
	}
	free(e);
}

int i18n_po_parse(const char *buf, size_t len, struct i18n_catalog **out,
    char *err, size_t errlen)
{
	struct parse *p;
	struct i18n_catalog *c = NULL;
	char line[I18N_STR_MAX + 64];
	size_t pos = 0, i;
	int pending_fuzzy = 0, rc = -1;

	*out = NULL;
	if (len > I18N_FILE_MAX) {
		snprintf(err, errlen, "file larger than %d bytes", I18N_FILE_MAX);
		return -1;
	}
	if (memchr(buf, '\0', len)) {
		snprintf(err, errlen, "NUL byte in PO text");
		return -1;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->err = err;
	p->errlen = errlen;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		p->line++;
		if (l >= sizeof(line)) {
			fail(p, "line too long");
			goto out;
		}
		memcpy(line, buf + pos, l);
		line[l] = '\0';
		if (l > 0 && line[l - 1] == '\r')
			line[l - 1] = '\0';
		if (parse_line(p, line, &pending_fuzzy) != 0)
			goto out;
		pos += l + (nl ? 1 : 0);
	}
	if (commit(p) != 0)
		goto out;
	if (p->in == 0 && p->have_id) {
		fail(p, "incomplete entry at end of file");
		goto out;
	}
	if (p->n > 1)
		qsort(p->e, p->n, sizeof(p->e[0]), cmp_entry);
	for (i = 1; i < p->n; i++) {
		if (strcmp(p->e[i - 1].id, p->e[i].id) == 0) {
			snprintf(err, errlen, "duplicate msgid \"%.60s\"", p->e[i].id);
			goto out;
		}
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	c->e = p->e;
	c->n = p->n;
	p->e = NULL;
	p->n = 0;
	*out = c;
	rc = 0;
out:
	free_entries(p->e, p->n);
	free(p);
	return rc;
}

int i18n_po_load(const char *path, struct i18n_catalog **out, char *err,
    size_t errlen)
{
	FILE *fp;
	char *buf;
	size_t n;
	char sub[256];
	int rc = -1;

	*out = NULL;
	buf = malloc(I18N_FILE_MAX + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	fp = fopen(path, "rb");
	if (!fp) {
		snprintf(err, errlen, "%s: cannot open", path);
		goto out;
	}
	n = fread(buf, 1, I18N_FILE_MAX + 1, fp);
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	if (n > I18N_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path, I18N_FILE_MAX);
		goto out;
	}
	if (i18n_po_parse(buf, n, out, sub, sizeof(sub)) != 0) {
		snprintf(err, errlen, "%s: %s", path, sub);
		goto out;
	}
	rc = 0;
out:
	if (fp)
		fclose(fp);
	free(buf);
	return rc;
}

void i18n_catalog_free(struct i18n_catalog *c)
{
	if (!c)
		return;
	free_entries(c->e, c->n);
	free(c);
}

size_t i18n_catalog_count(const struct i18n_catalog *c)
{
	return c ? c->n : 0;
}

const char *i18n_catalog_msgid(const struct i18n_catalog *c, size_t i)
{
	return c && i < c->n ? c->e[i].id : NULL;
}

const char *i18n_catalog_msgstr(const struct i18n_catalog *c, size_t i)
{
	return c && i < c->n ? c->e[i].str : NULL;
}

const char *i18n_catalog_find(const struct i18n_catalog *c, const char *msgid)
{
	struct entry key, *e;

	if (!c || !msgid || c->n == 0)
		return NULL;
	key.id = (char *)(uintptr_t)msgid;
	key.str = NULL;
	e = bsearch(&key, c->e, c->n, sizeof(c->e[0]), cmp_entry);
	return e ? e->str : NULL;
}

/* --- languages ------------------------------------------------------------ */

int i18n_load(const char *dir, struct i18n **out, char *err, size_t errlen)
{
	struct i18n *t;
	char path[PR_PATH_MAX];
	int i, n;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < I18N_LANGS; i++) {
		n = snprintf(path, sizeof(path), "%s/%s.po", dir, i18n_langs[i].code);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			snprintf(err, errlen, "translation folder path too long");
			i18n_free(t);
			return -1;
		}
		if (i18n_po_load(path, &t->cat[i], err, errlen) != 0) {
			i18n_free(t);
			return -1;
		}
	}
	*out = t;
	return 0;
}

void i18n_free(struct i18n *t)
{
	int i;

	if (!t)
		return;
	for (i = 0; i < I18N_LANGS; i++)
		i18n_catalog_free(t->cat[i]);
	free(t);
}

int i18n_lang_index(const char *lang)
{
	int i;

	if (!lang)
		return -1;
	for (i = 0; i < I18N_LANGS; i++)
		if (strcmp(lang, i18n_langs[i].code) == 0)
			return i;
	return -1;
}

int i18n_is_rtl(const char *lang)
{
	int i = i18n_lang_index(lang);

	return i >= 0 && i18n_langs[i].rtl;
}

/* Misses reported so far (main thread only; pointers to msgid literals). */
#define I18N_MISSES_MAX 64
static const char *misses[I18N_MISSES_MAX];
static size_t n_misses;

static void report_miss(const char *lang, const char *msgid)
{
	size_t i;

	for (i = 0; i < n_misses; i++)
		if (misses[i] == msgid)
			return;
	if (n_misses < I18N_MISSES_MAX)
		misses[n_misses++] = msgid;
	fprintf(stderr, "i18n: missing [%s] \"%.80s\"\n", lang, msgid);
}

const char *i18n_get(const struct i18n *t, const char *lang, const char *msgid)
{
	const char *s;
	int i = i18n_lang_index(lang);

	if (!t || !msgid)
		return msgid ? msgid : "";
	if (i < 0)
		i = 0;
	s = i18n_catalog_find(t->cat[i], msgid);
	if (s)
		return s;
	report_miss(i18n_langs[i].code, msgid);
	s = i18n_catalog_find(t->cat[0], msgid);
	return s ? s : msgid;
}

int i18n_placeholders(const char *fmt, char *out, size_t len)
{
	size_t n = 0;

	if (!fmt || !out || len == 0)
		return -1;
	for (; *fmt; fmt++) {
		if (*fmt != '%')
			continue;
		fmt++;
		if (*fmt == '%')
			continue;
		if (*fmt != 's' || n + 1 >= len)
			return -1;
		out[n++] = 's';
	}
	out[n] = '\0';
	return 0;
}

/* Append src[0..n) to out at *pos; on overflow cut at a UTF-8 boundary. */
static int put(char *out, size_t len, size_t *pos, const char *src, size_t n)
{
	if (*pos + n < len) {
		memcpy(out + *pos, src, n);
		*pos += n;
		out[*pos] = '\0';
		return 0;
	}
	n = len - 1 - *pos;
	while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
		n--;
	memcpy(out + *pos, src, n);
	*pos += n;
	out[*pos] = '\0';
	return 1;
}

int i18n_format(char *out, size_t len, const char *fmt,
    const char *const *args, size_t n)
{
	size_t pos = 0, used = 0;

	if (!out || len == 0)
		return 1;
	out[0] = '\0';
	if (!fmt)
		return 0;
	while (*fmt) {
		const char *pct = strchr(fmt, '%');
		size_t lit = pct ? (size_t)(pct - fmt) : strlen(fmt);
		if (put(out, len, &pos, fmt, lit))
			return 1;
		fmt += lit;
		if (!pct)
			break;
		if (fmt[1] == 's') {
			const char *a = used < n && args[used] ? args[used] : "";
			used++;
			if (put(out, len, &pos, a, strlen(a)))
				return 1;
			fmt += 2;
		} else if (fmt[1] == '%') {
			if (put(out, len, &pos, "%", 1))
				return 1;
			fmt += 2;
		} else {
			if (put(out, len, &pos, "%", 1))
				return 1;
			fmt += 1;
		}
	}
	return 0;
}
