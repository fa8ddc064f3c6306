/* demo.c — the demo loader's lifecycle (demo.h demo_load, demo_free):
 * demo.conf (the demo key and the current session) and organisation.csv,
 * then every other file of assets/demo in reference order through the
 * loaders of demo_schedule.c and demo_people.c.
 * Must not: touch a database or print; keep the key after demo_free. */
#include "demo_int.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "conf.h"
#include "cred.h"
#include "errf.h"

static int load_organisation(struct demo_org *o, const char *dir, char *err, size_t el)
{
	static const char *const cols[] = { "organisation_id", "organisation",
		"location_id", "location", "city", "timezone", NULL };
	struct demo_rd r;
	size_t rows = 0;
	int rc = -1, k;

	if (demo_rd_open(&r, dir, "organisation.csv", cols, err, el) != 0)
		return -1;
	k = demo_rd_next(&r, &rows);
	if (k == 0)
		pr_errf(err, el, "organisation.csv: no organisation row");
	if (k != 1)
		goto out;
	if (demo_rd_id(&r, "organisation_id", o->org_id, sizeof o->org_id) ||
	    demo_rd_text(&r, "organisation", o->org_name, sizeof o->org_name, 1) ||
	    demo_rd_id(&r, "location_id", o->location_id, sizeof o->location_id) ||
	    demo_rd_text(&r, "location", o->location_name, sizeof o->location_name, 1) ||
	    demo_rd_text(&r, "city", o->city, sizeof o->city, 0) ||
	    demo_rd_text(&r, "timezone", o->tz, sizeof o->tz, 1))
		goto out;
	if (strstr(o->tz, "..") != NULL || o->tz[0] == '/' ||
	    strspn(o->tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-")
	    != strlen(o->tz)) {
		demo_rd_fail(&r, "'%s' is not a time zone name like Europe/Amsterdam", o->tz);
		goto out;
	}
	k = demo_rd_next(&r, &rows);
	if (k == 1)
		demo_rd_fail(&r, "the demo has exactly one organisation and location");
	if (k != 0)
		goto out;
	rc = 0;
out:
	demo_rd_close(&r);
	return rc;
}

static int load_conf(struct demo_org *o, const char *dir, char *err, size_t el)
{
	char path[PR_PATH_MAX], keyhex[2 * PR_ORG_KEY_BYTES + 1] = "";
	struct conf_item items[] = {
		{ "org_key", CONF_STR, keyhex, sizeof keyhex, 0, 0, 0 },
		{ "current_session", CONF_STR, o->current_session,
		  sizeof o->current_session, 0, 0, 0 },
	};
	int n = snprintf(path, sizeof path, "%s/demo.conf", dir), rc;

	if (n < 0 || (size_t)n >= sizeof path) {
		pr_errf(err, el, "demo.conf: path too long");
		return -1;
	}
	rc = conf_load(path, items, sizeof items / sizeof items[0], err, el);
	if (rc != 0)
		return -1;
	if (!items[0].seen || cred_unhex(keyhex, o->key, sizeof o->key) != 0) {
		pr_errf(err, el, "%s: 'org_key' must be 64 hex digits", path);
		return -1;
	}
	if (!items[1].seen || !demo_id_ok(o->current_session)) {
		pr_errf(err, el, "%s: 'current_session' must name a session", path);
		return -1;
	}
	return 0;
}

int demo_load(const char *dir, struct demo_org **out, char *err, size_t errlen)
{
	struct demo_org *o;
	long cur;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	o = calloc(1, sizeof *o);
	if (o == NULL) {
		pr_errf(err, errlen, "out of memory");
		return -1;
	}
	if (load_conf(o, dir, err, errlen) || load_organisation(o, dir, err, errlen) ||
	    demo_load_roles(o, dir, err, errlen) ||
	    demo_load_programmes(o, dir, err, errlen) ||
	    demo_load_sessions(o, dir, err, errlen) ||
	    demo_load_people(o, dir, err, errlen) ||
	    demo_load_enrolments(o, dir, err, errlen) ||
	    demo_load_assignments(o, dir, err, errlen) ||
	    demo_load_creds(o, dir, DEMO_CRED_CARD, err, errlen) ||
	    demo_load_creds(o, dir, DEMO_CRED_PIN, err, errlen))
		goto fail;
	cur = demo_session_find(o, o->current_session);
	if (cur < 0) {
		pr_errf(err, errlen, "demo.conf: current_session '%s' is not in sessions.csv",
		    o->current_session);
		goto fail;
	}
	*out = o;
	return 0;
fail:
	demo_free(o);
	return -1;
}

void demo_free(struct demo_org *o)
{
	if (o == NULL)
		return;
	sodium_memzero(o->key, sizeof o->key);
	free(o->people);
	free(o->programmes);
	free(o->sessions);
	free(o->enrolments);
	free(o->roles);
	free(o->assignments);
	free(o->credentials);
	free(o);
}
