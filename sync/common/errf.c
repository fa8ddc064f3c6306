/* errf.c — pr_errf, pr_errf_at and pr_verrf_at of errf.h: vsnprintf into
 * the caller's error buffer, with the guards every copy of this repeated.
 * Must not: allocate, print, or keep any state. */
#include "errf.h"

#include <stdarg.h>
#include <stdio.h>

static void verrf(char *err, size_t errlen, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void verrf(char *err, size_t errlen, const char *fmt, va_list ap)
{
	if (err == NULL || errlen == 0)
		return;
	if (vsnprintf(err, errlen, fmt, ap) < 0)
		err[0] = '\0';
}

void pr_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verrf(err, errlen, fmt, ap);
	va_end(ap);
}

void pr_verrf_at(char *err, size_t errlen, const char *name, long line,
    const char *fmt, va_list ap)
{
	char msg[PR_ERR_MSG_MAX];

	if (err == NULL || errlen == 0)
		return;
	verrf(msg, sizeof msg, fmt, ap);
	if (line > 0)
		pr_errf(err, errlen, "%s line %ld: %s", name, line, msg);
	else
		pr_errf(err, errlen, "%s: %s", name, msg);
}

void pr_errf_at(char *err, size_t errlen, const char *name, long line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pr_verrf_at(err, errlen, name, line, fmt, ap);
	va_end(ap);
}
