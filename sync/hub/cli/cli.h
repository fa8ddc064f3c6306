/* cli.h — the options every presentie-hub subcommand may take, parsed once.
 * Must not: act on them (main.c and the command files do). */
#ifndef PRESENTIE_HUB_CLI_H
#define PRESENTIE_HUB_CLI_H

#include <stddef.h>

#define HUB_CLI_POS_MAX 4
#define HUB_CLI_COUNT_MAX 10000   /* device create --count: codes made in one call */

struct hub_cli {
	const char *db, *listen, *name, *id, *org, *location, *timezone, *email;
	const char *password_file, *from, *to, *format, *key, *session, *programme;
	const char *trusted_proxy, *forgotten_checkout;
	const char *db_read;                /* serve: a read replica's URL for Today */
	const char *smtp_url, *smtp_from, *smtp_credentials;   /* serve: svc/mail.h */
	const char *smtp_ca;                                  /* serve: hub_mail_conf_ca */
	long threads, enrol_rate, code_ttl_s;
	long count;                         /* device create: 0 = one, printed as two lines */
	long retention_days;                /* -1 = not given */
	long dry_run;                       /* a flag: 1 when given */
	int npos;
	const char *pos[HUB_CLI_POS_MAX];   /* words after the command words */
};

/* Parse argv[first..] into c. Returns 0, or -1 with err. */
int hub_cli_parse(int argc, char **argv, int first, struct hub_cli *c, char *err, size_t errlen);

#endif
