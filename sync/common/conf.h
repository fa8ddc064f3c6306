/* conf.h — reader for `key = value` config files (kiosk.conf, demo.conf):
 * '#' starts a comment line, blank lines are ignored, values may be wrapped
 * in double quotes to keep surrounding spaces. The caller describes the keys
 * it accepts in a table; an unknown key, a repeated key or a bad value is an
 * error naming the file and line. Must not: apply defaults itself (the caller
 * fills its variables before loading) or accept a number with trailing junk. */
#ifndef PRESENTIE_CONF_H
#define PRESENTIE_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "limits.h"

enum conf_type {
	CONF_INT,      /* int64_t *, decimal, within [min, max] */
	CONF_BOOL,     /* int *: true/false, yes/no, on/off, 1/0 */
	CONF_STR       /* char[size]: UTF-8 without control characters, < size bytes */
};

struct conf_item {
	const char *key;
	enum conf_type type;
	void *ptr;            /* where the value goes */
	size_t size;          /* CONF_STR: buffer size incl. NUL */
	int64_t min, max;     /* CONF_INT bounds (inclusive) */
	int seen;             /* set to 1 by conf_load* when the key was present */
};

/* Load path into the table. Returns 0; 1 if the file does not exist (nothing
 * changed, err says so); -1 on any other error (err: "kiosk.conf line 7:
 * ..."). On -1 the variables of keys before the bad line may already be set. */
int conf_load(const char *path, struct conf_item *items, size_t n,
    char *err, size_t errlen);

/* The same over an open stream; name is used in messages. Returns 0 or -1. */
int conf_load_fp(FILE *fp, const char *name, struct conf_item *items, size_t n,
    char *err, size_t errlen);

/* Strict decimal integer: optional '-', digits only, no spaces, within
 * [min, max]. Returns 0 and sets *out, or -1 (out untouched). */
int conf_parse_int(const char *s, int64_t min, int64_t max, int64_t *out);

/* true/false, yes/no, on/off, 1/0 (ASCII case-insensitive). 0 or -1. */
int conf_parse_bool(const char *s, int *out);

#endif
