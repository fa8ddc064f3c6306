/* jsonv.c — see jsonv.h. jansson already rejects invalid UTF-8, NUL in
 * strings (without JSON_ALLOW_NUL) and, with JSON_REJECT_DUPLICATES,
 * repeated keys; this adds the per-field rules of PROTOCOL.md. */
#include "hub/base/jsonv.h"

#include <stdio.h>
#include <string.h>

json_t *hub_jv_parse(const char *body, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *j;

	if (len == 0) {
		snprintf(err, errlen, "body: empty, a JSON object is required");
		return NULL;
	}
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL) {
		snprintf(err, errlen, "body: malformed JSON at line %d column %d: %s",
		    je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		snprintf(err, errlen, "body: must be a JSON object");
		return NULL;
	}
	return j;
}

int hub_jv_text_ok(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

int hub_jv_str(json_t *obj, const char *prefix, const char *field, int required,
    size_t max, const char **out, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, field);
	const char *s;

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		snprintf(err, errlen, "%s%s: required", prefix, field);
		return -1;
	}
	if (!json_is_string(v)) {
		snprintf(err, errlen, "%s%s: must be a string", prefix, field);
		return -1;
	}
	s = json_string_value(v);
	if (json_string_length(v) >= max) {
		snprintf(err, errlen, "%s%s: longer than %zu bytes", prefix, field, max - 1);
		return -1;
	}
	if (strlen(s) != json_string_length(v) || !hub_jv_text_ok(s)) {
		snprintf(err, errlen, "%s%s: must be non-empty text without control characters",
		    prefix, field);
		return -1;
	}
	*out = s;
	return 0;
}

int hub_jv_int(json_t *obj, const char *prefix, const char *field,
    int64_t min, int64_t max, int64_t *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, field);
	json_int_t x;

	if (v == NULL) {
		snprintf(err, errlen, "%s%s: required", prefix, field);
		return -1;
	}
	if (!json_is_integer(v)) {
		snprintf(err, errlen, "%s%s: must be an integer", prefix, field);
		return -1;
	}
	x = json_integer_value(v);
	if (x < min || x > max) {
		snprintf(err, errlen, "%s%s: out of range (%lld..%lld)", prefix, field,
		    (long long)min, (long long)max);
		return -1;
	}
	*out = (int64_t)x;
	return 0;
}

int hub_jv_bool(json_t *obj, const char *prefix, const char *field, int *out,
    char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, field);

	if (v == NULL || !json_is_boolean(v)) {
		snprintf(err, errlen, "%s%s: must be true or false", prefix, field);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}
