/* cli.c — option parsing for presentie-hub (long options, strict numbers). */
#include "hub/cli/cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct opt {
	const char *name;
	size_t off;       /* offset of a const char * field, or of a long */
	int is_num;       /* 0 text, 1 number, 2 flag (no value; the long becomes 1) */
	long min, max;
};

#define S(f) { "--" #f, offsetof(struct hub_cli, f), 0, 0, 0 }
static const struct opt opts[] = {
	S(db), S(listen), S(name), S(id), S(org), S(location), S(timezone), S(email),
	{ "--password-file", offsetof(struct hub_cli, password_file), 0, 0, 0 },
	S(from), S(to), S(format), S(key), S(session), S(programme),
	{ "--trusted-proxy", offsetof(struct hub_cli, trusted_proxy), 0, 0, 0 },
	{ "--forgotten-checkout", offsetof(struct hub_cli, forgotten_checkout), 0, 0, 0 },
	{ "--threads", offsetof(struct hub_cli, threads), 1, 1, 64 },
	{ "--enrol-rate", offsetof(struct hub_cli, enrol_rate), 1, 1, 100000 },
	{ "--code-ttl", offsetof(struct hub_cli, code_ttl_s), 1, 0, 86400 },
	{ "--db-read", offsetof(struct hub_cli, db_read), 0, 0, 0 },
	{ "--count", offsetof(struct hub_cli, count), 1, 1, HUB_CLI_COUNT_MAX },
	{ "--retention-days", offsetof(struct hub_cli, retention_days), 1, 0, 36500 },
	{ "--dry-run", offsetof(struct hub_cli, dry_run), 2, 0, 0 },
	{ "--smtp-url", offsetof(struct hub_cli, smtp_url), 0, 0, 0 },
	{ "--smtp-from", offsetof(struct hub_cli, smtp_from), 0, 0, 0 },
	{ "--smtp-credentials", offsetof(struct hub_cli, smtp_credentials), 0, 0, 0 },
	{ "--smtp-ca", offsetof(struct hub_cli, smtp_ca), 0, 0, 0 },
};

int hub_cli_parse(int argc, char **argv, int first, struct hub_cli *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->code_ttl_s = -1;
	c->retention_days = -1;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		size_t k;

		if (strncmp(a, "--", 2) != 0) {
			if (c->npos >= HUB_CLI_POS_MAX) {
				snprintf(err, errlen, "unexpected argument '%s'", a);
				return -1;
			}
			c->pos[c->npos++] = a;
			continue;
		}
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
			if (strcmp(opts[k].name, a) == 0)
				break;
		if (k == sizeof(opts) / sizeof(opts[0])) {
			snprintf(err, errlen, "unknown option '%s'", a);
			return -1;
		}
		if (opts[k].is_num == 2) {
			*(long *)(void *)((char *)c + opts[k].off) = 1;
			continue;
		}
		if (i + 1 >= argc) {
			snprintf(err, errlen, "%s needs a value", a);
			return -1;
		}
		if (opts[k].is_num) {
			char *end = NULL;
			long v;

			errno = 0;
			v = strtol(argv[i + 1], &end, 10);
			if (errno != 0 || end == argv[i + 1] || *end != '\0' || v < opts[k].min ||
			    v > opts[k].max) {
				snprintf(err, errlen, "%s: a number %ld..%ld", a, opts[k].min, opts[k].max);
				return -1;
			}
			*(long *)(void *)((char *)c + opts[k].off) = v;
		} else {
			*(const char **)(void *)((char *)c + opts[k].off) = argv[i + 1];
		}
		i++;
	}
	return 0;
}
