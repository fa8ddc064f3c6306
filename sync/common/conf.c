/* conf.c — the `key = value` config reader of conf.h. Lines are read with a
 * bounded buffer (PR_CONF_LINE_MAX); a longer line is an error, never split.
 * Must not: print anything (errors go to the caller's buffer) or allocate. */
#include "conf.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "errf.h"

int conf_parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	const char *p = s;
	char *end = NULL;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == NULL || *end != '\0')
		return -1;
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int conf_parse_bool(const char *s, int *out)
{
	static const char *yes[] = { "true", "yes", "on", "1" };
	static const char *no[] = { "false", "no", "off", "0" };
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

static char *conf_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	*e = '\0';
	return s;
}

static int conf_set(struct conf_item *it, const char *val, const char *name,
    long line, char *err, size_t errlen)
{
	int64_t v;
	int b;
	size_t len;

	switch (it->type) {
	case CONF_INT:
		if (conf_parse_int(val, it->min, it->max, &v) != 0) {
			pr_errf_at(err, errlen, name, line,
			    "'%s' must be a whole number from %lld to %lld",
			    it->key, (long long)it->min, (long long)it->max);
			return -1;
		}
		*(int64_t *)it->ptr = v;
		return 0;
	case CONF_BOOL:
		if (conf_parse_bool(val, &b) != 0) {
			pr_errf_at(err, errlen, name, line,
			    "'%s' must be yes or no (true/false, on/off, 1/0)", it->key);
			return -1;
		}
		*(int *)it->ptr = b;
		return 0;
	case CONF_STR:
		len = strlen(val);
		if (!csv_utf8_ok(val)) {
			pr_errf_at(err, errlen, name, line,
			    "'%s' is not valid UTF-8 text", it->key);
			return -1;
		}
		if (len + 1 > it->size) {
			pr_errf_at(err, errlen, name, line,
			    "'%s' is longer than %zu bytes", it->key, it->size - 1);
			return -1;
		}
		memcpy(it->ptr, val, len + 1);
		return 0;
	}
	pr_errf_at(err, errlen, name, line, "'%s' has an unknown type", it->key);
	return -1;
}

int conf_load_fp(FILE *fp, const char *name, struct conf_item *items, size_t n,
    char *err, size_t errlen)
{
	char buf[PR_CONF_LINE_MAX + 2];
	long line = 0;
	size_t i;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	for (i = 0; i < n; i++)
		items[i].seen = 0;
	for (;;) {
		size_t len = 0;
		int ch, nul = 0;
		char *p, *eq, *key, *val;
		struct conf_item *it = NULL;

		while ((ch = getc(fp)) != EOF && ch != '\n') {
			if (ch == '\0')
				nul = 1;
			if (len < sizeof buf - 1)
				buf[len] = (char)ch;
			len++;
		}
		if (ch == EOF && len == 0)
			break;
		line++;
		if (len > PR_CONF_LINE_MAX) {
			pr_errf_at(err, errlen, name, line, "line longer than %d bytes",
			    PR_CONF_LINE_MAX);
			return -1;
		}
		buf[len] = '\0';
		if (nul) {
			pr_errf_at(err, errlen, name, line, "contains a NUL byte");
			return -1;
		}
		p = conf_trim(buf);
		if (line == 1 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
			p = conf_trim(p + 3);
		if (*p == '\0' || *p == '#')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL) {
			pr_errf_at(err, errlen, name, line, "expected 'key = value'");
			return -1;
		}
		*eq = '\0';
		key = conf_trim(p);
		val = conf_trim(eq + 1);
		if (*key == '\0') {
			pr_errf_at(err, errlen, name, line, "missing key before '='");
			return -1;
		}
		len = strlen(val);
		if (len > 0 && val[0] == '"') {
			if (len < 2 || val[len - 1] != '"') {
				pr_errf_at(err, errlen, name, line, "unterminated quote");
				return -1;
			}
			val[len - 1] = '\0';
			val++;
			if (strchr(val, '"') != NULL) {
				pr_errf_at(err, errlen, name, line, "a quote inside a quoted value");
				return -1;
			}
		}
		for (i = 0; i < n; i++) {
			if (strcmp(items[i].key, key) == 0) {
				it = &items[i];
				break;
			}
		}
		if (it == NULL) {
			if (csv_utf8_ok(key))
				pr_errf_at(err, errlen, name, line, "unknown key '%.64s'", key);
			else
				pr_errf_at(err, errlen, name, line, "unknown key");
			return -1;
		}
		if (it->seen) {
			pr_errf_at(err, errlen, name, line, "'%s' is set twice", it->key);
			return -1;
		}
		if (conf_set(it, val, name, line, err, errlen) != 0)
			return -1;
		it->seen = 1;
	}
	if (ferror(fp)) {
		pr_errf_at(err, errlen, name, line + 1, "read error");
		return -1;
	}
	return 0;
}

int conf_load(const char *path, struct conf_item *items, size_t n,
    char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	int rc;

	if (fp == NULL) {
		int e = errno;

		pr_errf_at(err, errlen, path, 0, "cannot open: %s", strerror(e));
		return e == ENOENT ? 1 : -1;
	}
	rc = conf_load_fp(fp, path, items, n, err, errlen);
	fclose(fp);
	return rc;
}
