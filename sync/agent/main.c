/* main.c — presentie-sync: the kiosk-side sync agent's command line.
 *   presentie-sync enrol --hub URL --code CODE --db PATH [--name N] [--pin P] [--ca F] [--force]
 *   presentie-sync run --db PATH [--once] [--pull-interval S] [--fast-pull-interval S]
 *                      [--log-level L]
 *   presentie-sync status --db PATH
 * Owns: argument parsing, process-wide init (libcurl, libsodium, logging),
 * exit codes. Must not: do the work itself (enrol.c, run.c) or print the
 * device token or organisation key. */
#include <curl/curl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"
#include "enrol.h"
#include "http.h"
#include "log.h"
#include "run.h"
#include "store.h"
#include "store_meta.h"
#include "store_outbox.h"

#define PULL_INTERVAL_MAX_S 86400
#define FAST_PULL_MAX_S     3600

static void usage(FILE *f)
{
	fputs("usage: presentie-sync enrol --hub URL --code CODE --db PATH\n"
	      "                            [--name NAME] [--pin sha256//KEY] [--ca FILE] [--force]\n"
	      "       presentie-sync run --db PATH [--once] [--pull-interval SECONDS]\n"
	      "                          [--fast-pull-interval SECONDS (0: off)]\n"
	      "                          [--max-backoff SECONDS] [--log-level error|warn|info|debug]\n"
	      "       presentie-sync status --db PATH\n"
	      "run --once exits 0 when everything is pushed and pulled, 1 for a local\n"
	      "problem (store missing, not enrolled), 2 if the hub could not be reached\n"
	      "or failed, 3 if the hub refused an event or this device's token.\n", f);
}

static int strict_seconds(const char *s, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

static int cmd_status(const char *db_path)
{
	static const char *const keys[] = { AGENT_META_HUB_URL, AGENT_META_DEVICE_ID,
		AGENT_META_LOC_NAME, AGENT_META_LAST_OK, AGENT_META_LAST_TRY,
		AGENT_META_LAST_ERROR, AGENT_META_WAITING, AGENT_META_FAILURES };
	struct store *db = NULL;
	char err[AGENT_ERR_MAX], val[AGENT_META_MAX];
	int64_t pending = 0, first = 0;
	size_t i;

	if (store_attach(db_path, &db, err, sizeof(err)) < 0) {
		fprintf(stderr, "presentie-sync: %s\n", err);
		return AGENT_EXIT_CONFIG;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (store_meta_get(db, keys[i], val, sizeof(val)) < 0)
			val[0] = '\0';
		printf("%s=%s\n", keys[i], val);
	}
	if (store_outbox_pending(db, &pending, &first) == 0)
		printf("pending=%lld\n", (long long)pending);
	store_close(db);
	return AGENT_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "hub", required_argument, NULL, 'H' },
		{ "code", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'n' },
		{ "pin", required_argument, NULL, 'p' },
		{ "ca", required_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "once", no_argument, NULL, 'o' },
		{ "pull-interval", required_argument, NULL, 'i' },
		{ "fast-pull-interval", required_argument, NULL, 'F' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "max-backoff", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct agent_enrol_opts eo;
	struct agent_run_opts ro;
	enum log_level level = LOG_LVL_INFO;
	char msg[AGENT_ERR_MAX * 2];
	const char *cmd;
	int64_t secs;
	int c, rc;

	memset(&eo, 0, sizeof(eo));
	memset(&ro, 0, sizeof(ro));
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? AGENT_EXIT_CONFIG : AGENT_EXIT_OK;
	}
	cmd = argv[1];
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'H': eo.hub_url = optarg; break;
		case 'c': eo.code = optarg; break;
		case 'd': eo.db_path = ro.db_path = optarg; break;
		case 'n': eo.name = optarg; break;
		case 'p': eo.pinned_pubkey = optarg; break;
		case 'a': eo.ca_file = optarg; break;
		case 'f': eo.force = 1; break;
		case 'o': ro.once = 1; break;
		case 'i':
			if (strict_seconds(optarg, PULL_INTERVAL_MAX_S, &secs) < 0) {
				fprintf(stderr, "presentie-sync: --pull-interval wants 1..%d seconds\n",
				    PULL_INTERVAL_MAX_S);
				return AGENT_EXIT_CONFIG;
			}
			ro.pull_interval_ms = secs * 1000;
			break;
		case 'F':   /* while a session is open (pace.h); 0 turns it off */
			if (strcmp(optarg, "0") == 0) {
				ro.fast_pull_ms = -1;
				break;
			}
			if (strict_seconds(optarg, FAST_PULL_MAX_S, &secs) < 0) {
				fprintf(stderr, "presentie-sync: --fast-pull-interval wants 0..%d seconds\n",
				    FAST_PULL_MAX_S);
				return AGENT_EXIT_CONFIG;
			}
			ro.fast_pull_ms = secs * 1000;
			break;
		case 'm':
			if (strict_seconds(optarg, AGENT_BACKOFF_CAP_MS / 1000, &secs) < 0) {
				fprintf(stderr, "presentie-sync: --max-backoff wants 1..%d seconds\n",
				    AGENT_BACKOFF_CAP_MS / 1000);
				return AGENT_EXIT_CONFIG;
			}
			ro.max_backoff_ms = secs * 1000;
			break;
		case 'l':
			if (log_level_parse(optarg, &level) < 0) {
				fprintf(stderr, "presentie-sync: unknown log level '%s'\n", optarg);
				return AGENT_EXIT_CONFIG;
			}
			break;
		case 'h': usage(stdout); return AGENT_EXIT_OK;
		default: usage(stderr); return AGENT_EXIT_CONFIG;
		}
	}
	if (optind < argc - 1) {
		fprintf(stderr, "presentie-sync: unexpected argument '%s'\n", argv[optind + 1]);
		return AGENT_EXIT_CONFIG;
	}
	if (ro.db_path == NULL) {
		fprintf(stderr, "presentie-sync: --db PATH is required\n");
		usage(stderr);
		return AGENT_EXIT_CONFIG;
	}
	log_init("presentie-sync", level);
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "presentie-sync: cannot initialise libsodium or libcurl\n");
		return AGENT_EXIT_CONFIG;
	}
	if (strcmp(cmd, "enrol") == 0) {
		if (eo.hub_url == NULL || eo.code == NULL) {
			fprintf(stderr, "presentie-sync: enrol needs --hub URL and --code CODE\n");
			rc = AGENT_EXIT_CONFIG;
		} else if (agent_enrol(&eo, msg, sizeof(msg)) == 0) {
			printf("presentie-sync: %s\n", msg);
			rc = AGENT_EXIT_OK;
		} else {
			fprintf(stderr, "presentie-sync: %s\n", msg);
			rc = AGENT_EXIT_UNREACHABLE;
		}
	} else if (strcmp(cmd, "run") == 0) {
		rc = agent_run(&ro);
	} else if (strcmp(cmd, "status") == 0) {
		rc = cmd_status(ro.db_path);
	} else {
		fprintf(stderr, "presentie-sync: unknown command '%s'\n", cmd);
		usage(stderr);
		rc = AGENT_EXIT_CONFIG;
	}
	curl_global_cleanup();
	return rc;
}
