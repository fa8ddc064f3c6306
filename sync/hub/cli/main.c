/* main.c — presentie-hub: `serve` runs the HTTP API; the other subcommands
 * are one-shot operator tools (organisations, locations, devices,
 * coordinators, CSV import, erasure, export, demo). Exits non-zero with a
 * clear message on any error.
 * Must not: hold logic a test would want to call (that lives in the modules). */
#include <curl/curl.h>
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hub/base/htime.h"
#include "hub/base/hubtz.h"
#include "hub/cli/cli.h"
#include "hub/cli/demo_seed.h"
#include "hub/svc/import.h"
#include "hub/cli/purge.h"
#include "hub/cli/routes.h"
#include "hub/dash/dash.h"
#include "hub/db/db.h"
#include "hub/db/schema.h"
#include "hub/http/client.h"
#include "hub/http/http.h"
#include "hub/http/slots.h"
#include "hub/reports/export.h"
#include "hub/svc/admin.h"
#include "hub/svc/logout.h"
#include "hub/svc/mail.h"
#include "hub/svc/retention.h"
#include "hub/svc/audit.h"

#define HUB_ENROL_PER_MIN     10
#define HUB_LOGIN_FAIL_MAX    5
#define HUB_LOGIN_WINDOW_MS   (15LL * 60 * 1000)
#define HUB_PASSWORD_LINE_MAX 512
#define HUB_OUT_CHUNK         (64 * 1024)
#define HUB_CLI_ACTOR         "operator"   /* coordinator_id of the CLI's audit rows */

static const char usage[] =
	"usage: presentie-hub COMMAND [options]\n"
	"  serve --db URL --listen ADDR:PORT [--threads N] [--enrol-rate N]"
	" [--trusted-proxy ADDR[,ADDR...]]\n"
	"        [--db-read URL]  (a read replica of --db: the dashboard's Today reads there)\n"
	"        [--smtp-url smtp://HOST:PORT|smtps://HOST:PORT --smtp-from ADDR"
	" [--smtp-credentials FILE (user, password: one a line)] [--smtp-ca FILE (PEM)]]\n"
	"  migrate --db URL\n"
	"  org create --db URL --name NAME [--id ID] [--key HEX64]\n"
	"  org set --db URL --id ID [--retention-days N] (0 = keep forever)\n"
	"          [--forgotten-checkout session_end|no_hours] (a volunteer's missing\n"
	"          check-out: hours until the session's end, or none; always flagged)\n"
	"  location create --db URL --org ID --name NAME [--timezone TZ] [--id ID]\n"
	"  device create --db URL --location ID [--name NAME] [--code-ttl SECONDS]\n"
	"                [--count N]  (N devices at once: one \"ID CODE\" line each)\n"
	"  device revoke --db URL --id DEVICE\n"
	"  coordinator create --db URL --org ID --email ADDR [--password-file FILE]  (else stdin)\n"
	"  coordinator revoke --db URL --email ADDR  (every bearer token and dashboard session)\n"
	"  import people|programmes|sessions|enrolments|assignments|cards|pins FILE --db URL --org ID"
	" [--location ID]\n"
	"  erase person ID --db URL --org ID\n"
	"  export attendance --db URL [--org ID] [--from DATE] [--to DATE] [--format csv|json]\n"
	"  demo --db URL\n"
	"  purge --db URL [--org ID] [--dry-run]   (retention; serve also runs it daily)\n"
	"URL: sqlite:PATH or postgresql://...\n";

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "presentie-hub: MESSAGE" on stderr; returns the exit status 1. */
static int die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "presentie-hub: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return 1;
}

/* Open and migrate the database named by --db. */
static struct hub_db *open_db(const struct hub_cli *c)
{
	char err[HUB_DB_ERR_MAX + 64];
	struct hub_db *db = NULL;

	if (c->db == NULL) {
		die("%s", "--db URL is required (sqlite:PATH or postgresql://...)");
		return NULL;
	}
	if (hub_db_open(c->db, &db, err, sizeof(err)) != HUB_DB_OK) {
		die("%s", err);
		return NULL;
	}
	if (hub_schema_migrate(db, err, sizeof(err)) != 0) {
		die("%s", err);
		hub_db_close(db);
		return NULL;
	}
	return db;
}

static volatile sig_atomic_t stop_flag;

static int cmd_serve(const struct hub_cli *c)
{
	static struct hub_mail_conf mail;   /* read by request threads; lives until exit */
	struct hub_ctx ctx = { 0 };
	struct hub_server *srv = NULL;
	struct hub_retention_daily *purge;
	struct hub_db *db;
	char err[HUB_DB_ERR_MAX + 64];
	sigset_t set;
	int sig = 0, threads = c->threads ? (int)c->threads : HUB_THREADS_DEFAULT;

	if (c->listen == NULL)
		return die("%s", "serve: --listen ADDR:PORT is required");
	if (hub_mail_conf_load(&mail, c->smtp_url, c->smtp_from, c->smtp_credentials, err, sizeof(err)) != 0 ||
	    hub_mail_conf_ca(&mail, c->smtp_ca, err, sizeof(err)) != 0)
		return die("%s", err);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)   /* before any thread (svc/mail.c) */
		return die("%s", "cannot initialise libcurl");
	ctx.mail = &mail;
	db = open_db(c);
	if (db == NULL)
		return 1;
	/* Time zones load before the threads start (hubtz.h: the first load sets TZ). */
	if (hub_export_preload_zones(db) < 0) {
		hub_db_close(db);
		return die("cannot load the locations' time zones (tzdata for %s missing?)",
		    HUB_TZ_ZONE_DEFAULT);
	}
	hub_db_close(db);
	if (c->trusted_proxy != NULL && hub_trusted_parse(c->trusted_proxy, &ctx, err, sizeof(err)) != 0)
		return die("%s", err);
	/* Requests share this pool; exports stream on their own slots. */
	ctx.pool = hub_pool_new(c->db, 2 * threads + 2, err, sizeof(err));
	if (ctx.pool == NULL)
		return die("%s", err);
	ctx.slots = hub_slots_new(c->db, HUB_EXPORT_SLOTS_MAX, HUB_EXPORT_SLOTS_PER_ORG, err, sizeof(err));
	if (ctx.slots == NULL) {
		hub_pool_free(ctx.pool);
		return die("%s", err);
	}
	/* --db-read: not migrated here (a replica follows the primary's schema) */
	if (c->db_read != NULL &&
	    (ctx.read_pool = hub_pool_new(c->db_read, 2 * threads + 2, err, sizeof(err))) == NULL) {
		hub_slots_free(ctx.slots);
		hub_pool_free(ctx.pool);
		return die("--db-read: %s", err);
	}
	ctx.handler = hub_routes;
	ctx.offload = hub_routes_offload;
	ctx.enrol_per_min = c->enrol_rate ? (int)c->enrol_rate : HUB_ENROL_PER_MIN;
	ctx.login_fail_max = HUB_LOGIN_FAIL_MAX;
	ctx.login_window_ms = HUB_LOGIN_WINDOW_MS;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (hub_server_start(c->listen, threads, &ctx, &srv, err, sizeof(err)) != 0) {
		hub_slots_free(ctx.slots);
		hub_pool_free(ctx.pool);
		hub_pool_free(ctx.read_pool);
		return die("%s", err);
	}
	fprintf(stderr, "presentie-hub: listening on %s (%d threads, %u connections, %d per address,"
	    " %d trusted proxies)\n", c->listen, threads, hub_server_conn_limit(srv),
	    HUB_PER_ADDR_CONN_LIMIT, ctx.ntrusted);
	dash_print_url(stderr, c->listen, hub_server_port(srv));
	purge = hub_retention_daily_start(ctx.pool);   /* retention.h: daily, one process of several */
	if (purge == NULL)
		fprintf(stderr, "presentie-hub: the daily purge did not start (run `purge` from cron)\n");
	while (!stop_flag && sigwait(&set, &sig) == 0)
		stop_flag = 1;
	fprintf(stderr, "presentie-hub: stopping (signal %d)\n", sig);
	hub_retention_daily_stop(purge);
	hub_server_stop(srv);
	hub_slots_free(ctx.slots);
	hub_pool_free(ctx.pool);
	hub_pool_free(ctx.read_pool);
	return 0;
}

static int read_password(const struct hub_cli *c, char *pw, size_t n)
{
	FILE *fp = stdin;
	size_t len;

	if (c->password_file != NULL) {
		fp = fopen(c->password_file, "r");
		if (fp == NULL)
			return -1;
	}
	if (fgets(pw, (int)n, fp) == NULL)
		pw[0] = '\0';
	if (fp != stdin)
		fclose(fp);
	len = strlen(pw);
	while (len > 0 && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
		pw[--len] = '\0';
	return len > 0 ? 0 : -1;
}

/* Audit an operator's export: one row in the organisation exported, or in
 * every organisation for an export of all (rows: the whole export's). */
static int audit_export(struct hub_db *db, const struct hub_cli *c, const char *fmt,
    int64_t rows, int whole)
{
	char who[64], detail[256];
	struct hub_actor a = { NULL, HUB_CLI_ACTOR, who };
	struct hub_res *r = NULL;
	int rc;

	snprintf(who, sizeof(who), "operator (presentie-hub export, uid %lu)", (unsigned long)getuid());
	snprintf(detail, sizeof(detail), "%s%s%s%s%s%s%s%s%s", c->org ? "" : "every organisation",
	    c->from ? " from=" : "", c->from ? c->from : "", c->to ? " to=" : "", c->to ? c->to : "",
	    c->programme ? " programme=" : "", c->programme ? c->programme : "",
	    c->location ? " location=" : "", c->location ? c->location : "");
	if (!whole) {
		size_t len = strlen(detail);

		snprintf(detail + len, sizeof(detail) - len, "%scut short after %lld rows",
		    detail[0] ? "; " : "", (long long)rows);
	}
	if (c->org != NULL) {
		a.org_id = c->org;
		return hub_audit_rows(db, &a, "export", fmt, detail[0] == ' ' ? detail + 1 : detail, rows);
	}
	rc = hub_db_query(db, "SELECT id FROM organisations ORDER BY id", 0, NULL, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	{
		char (*ids)[PR_ID_MAX] = NULL;
		size_t n = 0, cap = 0;

		while ((rc = hub_res_next(r)) == 1) {
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 16;
				char (*ni)[PR_ID_MAX] = realloc(ids, nc * sizeof(*ids));

				if (ni == NULL) {
					rc = HUB_DB_ERROR;
					break;
				}
				ids = ni;
				cap = nc;
			}
			snprintf(ids[n++], PR_ID_MAX, "%s", hub_res_text(r, 0));
		}
		hub_res_free(r);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			a.org_id = ids[i];
			rc = hub_audit_rows(db, &a, "export", fmt, detail, rows);
		}
		free(ids);
	}
	return rc < 0 ? rc : HUB_DB_OK;
}

static int cmd_export(const struct hub_cli *c)
{
	struct hub_export_q q = { .kind = HUB_EXPORT_ATTENDANCE, .fmt = HUB_FMT_CSV,
		.to_ms = INT64_MAX, .org_id = c->org, .programme = c->programme,
		.location = c->location };
	struct hub_export *x = NULL;
	struct hub_db *db;
	char *buf;
	ssize_t n;
	int64_t day;
	int rc = 1;

	if (c->npos != 1 || strcmp(c->pos[0], "attendance") != 0)
		return die("%s", "export: only 'export attendance' is known");
	if (c->format != NULL && strcmp(c->format, "json") == 0)
		q.fmt = HUB_FMT_JSON;
	else if (c->format != NULL && strcmp(c->format, "csv") != 0)
		return die("%s", "--format: csv or json");
	/* local dates of each row's location, --to inclusive (export.h) */
	if (c->from != NULL && hub_date_parse(c->from, &day) != 0)
		return die("%s", "--from: a date YYYY-MM-DD");
	if (c->to != NULL && hub_date_parse(c->to, &day) != 0)
		return die("%s", "--to: a date YYYY-MM-DD");
	q.from_date = c->from;
	q.to_date = c->to;
	db = open_db(c);
	if (db == NULL)
		return 1;
	buf = malloc(HUB_OUT_CHUNK);
	if (buf == NULL || hub_export_open(db, &q, &x) != HUB_DB_OK) {
		die("export: %s", hub_db_errmsg(db));
		goto out;
	}
	while ((n = hub_export_read(x, buf, HUB_OUT_CHUNK)) > 0)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
	if (n < 0) {
		die("export: %s", hub_db_errmsg(db));
		goto out;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		die("%s", "export: cannot write to stdout");
		goto out;
	}
	rc = 0;
out:
	if (x != NULL) {
		int64_t rows = hub_export_rows(x);
		int whole = rc == 0 && hub_export_done(x);

		hub_export_close(x);
		x = NULL;
		if (audit_export(db, c, q.fmt == HUB_FMT_JSON ? "attendance.json" : "attendance.csv",
		    rows, whole) != HUB_DB_OK)
			rc = die("export: the audit row could not be written: %s", hub_db_errmsg(db));
	}
	hub_export_close(x);
	free(buf);
	hub_db_close(db);
	return rc;
}

/* `coordinator revoke --email ADDR`: end every login of that coordinator
 * (svc/logout.h), audited as the operator's. Returns 0, or -1 with err. */
static int coordinator_revoke(struct hub_db *db, const struct hub_cli *c, char *err, size_t errlen)
{
	char id[PR_ID_MAX], org[PR_ID_MAX], mail[HUB_EMAIL_MAX];
	int64_t tokens = 0, sessions = 0;
	int rc;

	if (c->email == NULL) {
		snprintf(err, errlen, "coordinator revoke: --email ADDR is required");
		return -1;
	}
	rc = hub_logout_find(db, c->email, id, org, mail);
	if (rc == 1) {
		struct hub_actor op = { org, "", HUB_LOGOUT_OPERATOR };

		rc = hub_logout_all(db, id, org, &op, &tokens, &sessions);
	}
	else if (rc == 0)
		snprintf(err, errlen, "coordinator revoke: no coordinator with that e-mail address");
	if (rc < 0)
		snprintf(err, errlen, "coordinator revoke: %s", hub_db_errmsg(db));
	if (rc != HUB_DB_OK)
		return -1;
	printf("revoked %lld tokens and %lld sessions of %s\n", (long long)tokens,
	    (long long)sessions, mail);
	return 0;
}

static int cmd_admin(const char *what, const char *verb, const struct hub_cli *c)
{
	char err[512], id[PR_ID_MAX], code[16];
	struct hub_db *db = open_db(c);
	int rc = -1;

	if (db == NULL)
		return 1;
	if (strcmp(what, "org") == 0 && strcmp(verb, "create") == 0) {
		rc = hub_admin_org_create(db, c->id, c->name, c->key, id, err, sizeof(err));
		if (rc == 0)
			printf("%s\n", id);
	} else if (strcmp(what, "org") == 0 && strcmp(verb, "set") == 0) {
		rc = hub_cli_org_set(db, c, err, sizeof(err));
	} else if (strcmp(what, "location") == 0 && strcmp(verb, "create") == 0) {
		rc = hub_admin_location_create(db, c->org, c->id, c->name, c->timezone, id, err, sizeof(err));
		if (rc == 0)
			printf("%s\n", id);
	} else if (strcmp(what, "device") == 0 && strcmp(verb, "create") == 0) {
		int64_t ttl = c->code_ttl_s >= 0 ? c->code_ttl_s * 1000LL : HUB_CODE_TTL_MS;

		if (c->count == 0) {
			rc = hub_admin_device_create(db, c->location, c->name, ttl, id, code, err,
			    sizeof(err));
			if (rc == 0)
				printf("%s\n%s\n", id, code);
		}
		for (long i = 0; c->count > 0 && i < c->count; i++) {   /* --count N: "ID CODE" lines */
			rc = hub_admin_device_create(db, c->location, c->name, ttl, id, code, err,
			    sizeof(err));
			if (rc != 0)
				break;
			printf("%s %s\n", id, code);
		}
	} else if (strcmp(what, "device") == 0 && strcmp(verb, "revoke") == 0) {
		rc = hub_admin_device_revoke(db, c->id, err, sizeof(err));
		if (rc == 0)
			printf("revoked %s\n", c->id);
	} else if (strcmp(what, "coordinator") == 0 && strcmp(verb, "create") == 0) {
		char pw[HUB_PASSWORD_LINE_MAX];

		if (read_password(c, pw, sizeof(pw)) != 0) {
			snprintf(err, sizeof(err), "no password (give --password-file FILE or one line on stdin)");
		} else {
			rc = hub_admin_coordinator_create(db, c->org, c->email, pw, id, err, sizeof(err));
			if (rc == 0)
				printf("%s\n", id);
		}
		sodium_memzero(pw, sizeof(pw));
	} else if (strcmp(what, "coordinator") == 0 && strcmp(verb, "revoke") == 0) {
		rc = coordinator_revoke(db, c, err, sizeof(err));
	} else if (strcmp(what, "erase") == 0 && strcmp(verb, "person") == 0) {
		int64_t n = 0;

		if (c->npos != 1)
			snprintf(err, sizeof(err), "erase person ID --org ORG");
		else if ((rc = hub_admin_erase_person(db, c->org, c->pos[0], &n, err, sizeof(err))) == 0)
			printf("erased %s (%lld events anonymised)\n", c->pos[0], (long long)n);
	} else {
		snprintf(err, sizeof(err), "unknown command '%.40s %.40s' (see --help)", what, verb);
	}
	hub_db_close(db);
	if (rc != 0)
		return die("%s", err);
	return 0;
}

static int cmd_import(const struct hub_cli *c)
{
	char err[512], namebuf[PR_PATH_MAX], *mem = NULL;
	struct hub_db *db;
	FILE *fp, *csv;
	long n;

	if (c->npos != 2)
		return die("%s", "import KIND FILE --db URL --org ID");
	if (c->org == NULL)
		return die("%s", "import: --org ID is required");
	fp = fopen(c->pos[1], "rb");
	if (fp == NULL)
		return die("import: cannot open %s", c->pos[1]);
	db = open_db(c);
	if (db == NULL) {
		fclose(fp);
		return 1;
	}
	snprintf(namebuf, sizeof(namebuf), "%s", c->pos[1]);
	csv = hub_import_csv_of(fp, &mem, err, sizeof(err));   /* a .csv, or an .xlsx converted */
	if (csv == NULL) {
		fclose(fp);
		hub_db_close(db);
		return die("%s: %s", basename(namebuf), err);
	}
	n = hub_import(db, c->org, c->pos[0], csv, basename(namebuf), c->location, err, sizeof(err));
	if (csv != fp)
		fclose(csv);
	free(mem);
	fclose(fp);
	hub_db_close(db);
	if (n < 0)
		return die("%s", err);
	printf("imported %ld %s\n", n, c->pos[0]);
	return 0;
}

static int cmd_demo(const struct hub_cli *c)
{
	char err[512], code[16];
	struct hub_db *db = open_db(c);
	int rc;

	if (db == NULL)
		return 1;
	rc = hub_demo_seed(db, stdout, code, err, sizeof(err));
	if (rc == 0) {
		char org[PR_ID_MAX] = "";
		struct hub_res *r = NULL;

		/* The dashboard's demo coordinator, roles and slots (dash_demo.c). */
		rc = hub_db_query(db, "SELECT org_id FROM coordinators WHERE email = $1", 1,
		    (struct hub_param[]){ HP_S(HUB_DEMO_COORD_EMAIL) }, 0, &r);
		while (rc == HUB_DB_OK && (rc = hub_res_next(r)) == 1)
			snprintf(org, sizeof(org), "%s", hub_res_text(r, 0));
		hub_res_free(r);
		rc = rc < 0 ? -1 : dash_demo_seed(db, org, err, sizeof(err));
		if (rc == 0)
			fprintf(stderr, "presentie-hub: dashboard login %s / %s (DEMO ONLY)\n",
			    DASH_DEMO_EMAIL, DASH_DEMO_PASSWORD);
	}
	hub_db_close(db);
	if (rc != 0)
		return die("demo: %s", err);
	printf("%s\n", code);
	return 0;
}

int main(int argc, char **argv)
{
	struct hub_cli c;
	char err[256];
	const char *cmd = argc > 1 ? argv[1] : "";
	int words = 2;

	if (sodium_init() < 0)
		return die("%s", "libsodium could not be initialised");
	if (strcmp(cmd, "org") == 0 || strcmp(cmd, "location") == 0 || strcmp(cmd, "device") == 0 ||
	    strcmp(cmd, "coordinator") == 0 || strcmp(cmd, "erase") == 0)
		words = 3;
	if (argc < words || strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		fputs(usage, argc < words ? stderr : stdout);
		return argc < words ? 2 : 0;
	}
	if (hub_cli_parse(argc, argv, words, &c, err, sizeof(err)) != 0) {
		fprintf(stderr, "presentie-hub: %s\n%s", err, usage);
		return 2;
	}
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(&c);
	if (strcmp(cmd, "migrate") == 0) {
		struct hub_db *db = open_db(&c);

		hub_db_close(db);
		return db ? 0 : 1;
	}
	if (strcmp(cmd, "export") == 0)
		return cmd_export(&c);
	if (strcmp(cmd, "import") == 0)
		return cmd_import(&c);
	if (strcmp(cmd, "demo") == 0)
		return cmd_demo(&c);
	if (strcmp(cmd, "purge") == 0) {
		struct hub_db *db = open_db(&c);
		int rc = db ? hub_cli_purge(db, &c, err, sizeof(err)) : -1;

		hub_db_close(db);
		return db == NULL ? 1 : rc != 0 ? die("%s", err) : 0;
	}
	if (words == 3)
		return cmd_admin(cmd, argv[2], &c);
	fprintf(stderr, "presentie-hub: unknown command '%s'\n%s", cmd, usage);
	return 2;
}
