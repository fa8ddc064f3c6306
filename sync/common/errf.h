/* errf.h — the one printf-style formatter of error sentences into a caller's
 * (err, errlen) buffer, used by every module that reports errors that way.
 * Owns: the NULL/zero-length guard, truncation, and the "NAME line N: ..."
 * prefix of file readers. Must not: allocate, print, or log. */
#ifndef PRESENTIE_ERRF_H
#define PRESENTIE_ERRF_H

#include <stdarg.h>
#include <stddef.h>

#define PR_ERR_MSG_MAX 256   /* the message part of pr_errf_at, incl. NUL */

/* Format into err (errlen bytes, always NUL-terminated when errlen > 0).
 * Does nothing if err is NULL or errlen is 0; a longer sentence is cut; a
 * formatting error leaves err "". */
void pr_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As pr_errf, prefixed with where the error is: "NAME line N: message", or
 * "NAME: message" when line <= 0. The message is cut at PR_ERR_MSG_MAX - 1
 * bytes before the prefix is added. */
void pr_errf_at(char *err, size_t errlen, const char *name, long line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* pr_errf_at with a va_list, for a module's own variadic error helper. */
void pr_verrf_at(char *err, size_t errlen, const char *name, long line,
    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

#endif
