/* uuid7.h — UUID version 7 (RFC 9562): 48-bit Unix ms, then randomness from
 * libsodium. Time-ordered, so event ids sort by creation. */
#ifndef PRESENTIE_UUID7_H
#define PRESENTIE_UUID7_H

#include <stdint.h>

#include "limits.h"

/* Write a new UUIDv7 for unix_ms into out (36 chars + NUL). Returns 0 or -1
 * if libsodium could not be initialised. */
int uuid7_make(int64_t unix_ms, char out[PR_UUID_STR]);

/* 1 if s is a well-formed UUID string (any version, lower or upper case). */
int uuid_is_valid(const char *s);

#endif
