/* main.c — presentie-kiosk: read the configuration, open the store (seed
 * the demo organisation with --demo), run the kiosk, close the store.
 * --init-only stops after the store is ready (provisioning, `make run`).
 * Must not: hold logic of its own; everything it calls reports errors as
 * return codes and only this function turns them into an exit status. */
#include <stdio.h>
#include <time.h>

#include "app.h"
#include "kconf.h"
#include "log.h"
#include "store.h"

int main(int argc, char **argv)
{
	struct kconf cf;
	struct store *st = NULL;
	char err[512], dir[PR_PATH_MAX];
	int rc;

	rc = kconf_from_args(&cf, argc, argv, err, sizeof(err));
	if (rc == 1)
		return 0;
	if (rc != 0) {
		fprintf(stderr, "presentie-kiosk: %s\n", err);
		return 2;
	}
	log_init("presentie-kiosk", LOG_LVL_INFO);
	if (store_open(cf.db, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "presentie-kiosk: %s\n", err);
		return 1;
	}
	if (cf.demo) {
		rc = snprintf(dir, sizeof(dir), "%s/demo", cf.assets);
		if (rc < 0 || (size_t)rc >= sizeof(dir) ||
		    store_seed_demo(st, dir, (int64_t)time(NULL), err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "presentie-kiosk: demo data: %s\n",
			    rc < 0 || (size_t)rc >= sizeof(dir) ? "path too long" : err);
			store_close(st);
			return 1;
		}
		printf("Demo data seeded into %s\n", cf.db);
		fflush(stdout);
	}
	if (cf.init_only) {
		printf("Store ready: %s\n", cf.db);
		store_close(st);
		return 0;
	}
	rc = app_run(&cf, st);
	store_close(st);
	return rc;
}
