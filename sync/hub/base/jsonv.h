/* jsonv.h — field-by-field validation of JSON bodies (jansson): each getter
 * checks type and bounds and writes a message naming the field, e.g.
 * "events[3].seq: must be a positive integer". Also the one body parser.
 * Must not: accept what it cannot bound (strings with control characters,
 * over-long ids, numbers outside the stated range). */
#ifndef PRESENTIE_HUB_JSONV_H
#define PRESENTIE_HUB_JSONV_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define HUB_ERRMSG_MAX 256

/* Parse a request body: UTF-8 JSON, duplicate keys rejected, top level an
 * object. Returns a new reference, or NULL with err ("body: ..."). */
json_t *hub_jv_parse(const char *body, size_t len, char *err, size_t errlen);

/* A string field. required=0 also accepts absent and null (then *out=NULL).
 * max is the buffer size incl. NUL; the string must be non-empty, without
 * control characters. Returns 0 or -1 with err. */
int hub_jv_str(json_t *obj, const char *prefix, const char *field, int required,
    size_t max, const char **out, char *err, size_t errlen);
/* An integer field in [min, max]. Returns 0 or -1 with err. */
int hub_jv_int(json_t *obj, const char *prefix, const char *field,
    int64_t min, int64_t max, int64_t *out, char *err, size_t errlen);
/* A boolean field. Returns 0 or -1 with err. */
int hub_jv_bool(json_t *obj, const char *prefix, const char *field, int *out,
    char *err, size_t errlen);
/* 1 if s is non-empty printable text (no C0 controls, no DEL). */
int hub_jv_text_ok(const char *s);

#endif
