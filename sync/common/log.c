/* log.c — the stderr logger of log.h. Formats each line into a bounded
 * buffer and writes it with one write(2), so lines of threads never mix.
 * Must not: allocate, block on anything but stderr, or log credentials
 * (see the rule in log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cred.h"

#define LOG_PROG_MAX 32

static char log_prog[LOG_PROG_MAX] = "presentie";
static volatile int log_threshold = LOG_LVL_INFO;

static const char *const log_names[] = { "error", "warn", "info", "debug" };

void log_init(const char *prog, enum log_level level)
{
	if (prog != NULL && snprintf(log_prog, sizeof log_prog, "%s", prog) < 0)
		log_prog[0] = '\0';
	log_threshold = (int)level;
}

int log_level_parse(const char *s, enum log_level *out)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < sizeof log_names / sizeof log_names[0]; i++) {
		if (strcasecmp(s, log_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n, m;
	size_t len;

	if ((int)level > log_threshold || (int)level < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s: ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, ts.tv_nsec / 1000000, log_prog, log_names[level]);
	if (n < 0 || (size_t)n >= sizeof line)
		return;
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	len = (size_t)n + (size_t)m;
	if (len >= sizeof line - 1) {         /* cut: mark it and keep the newline */
		len = sizeof line - 2;
		memcpy(line + len - 3, "...", 3);
	}
	line[len++] = '\n';
	if (write(STDERR_FILENO, line, len) < 0)
		return;
}

void log_mac_tag(const uint8_t mac[PR_MAC_BYTES], char out[LOG_TAG_MAX])
{
	char hex[9];

	cred_hex(mac, 4, hex);
	if (snprintf(out, LOG_TAG_MAX, "mac:%s", hex) < 0)
		out[0] = '\0';
}
