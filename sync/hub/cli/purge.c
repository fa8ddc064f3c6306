/* purge.c — see purge.h. */
#include "hub/cli/purge.h"

#include <stdio.h>

#include "hub/base/htime.h"
#include "hub/cli/cli.h"
#include "hub/db/db.h"
#include "hub/reports/presence.h"
#include "hub/svc/admin.h"
#include "hub/svc/retention.h"

static void print_report(void *cls, const char *org, int64_t days, const struct hub_purge_counts *n)
{
	const int *dry_run = cls;

	printf("%s %s: retention_days=%lld events_anonymised=%lld followups=%lld audit_rows=%lld"
	    " tokens=%lld dash_sessions=%lld enrol_codes=%lld card_links=%lld idem_keys=%lld"
	    " people_without_activity=%lld registrations=%lld\n", *dry_run ? "would purge" : "purged", org,
	    (long long)days, (long long)n->events_anonymised, (long long)n->followups,
	    (long long)n->audit_rows, (long long)n->tokens, (long long)n->dash_sessions,
	    (long long)n->enrol_codes, (long long)n->card_links, (long long)n->idem_keys,
	    (long long)n->people_without_activity, (long long)n->registrations);
}

int hub_cli_purge(struct hub_db *db, const struct hub_cli *c, char *err, size_t errlen)
{
	int dry_run = c->dry_run != 0;
	int rc = hub_retention_purge(db, c->org, hub_now_ms(), dry_run, print_report, &dry_run);

	if (rc < 0) {
		snprintf(err, errlen, "purge: %s", hub_db_errmsg(db));
		return -1;
	}
	if (rc == 0 && c->org != NULL) {
		snprintf(err, errlen, "purge: organisation '%s' not found", c->org);
		return -1;
	}
	return 0;
}

int hub_cli_org_set(struct hub_db *db, const struct hub_cli *c, char *err, size_t errlen)
{
	enum hub_checkout_rule rule = HUB_CHECKOUT_SESSION_END;

	if (c->retention_days < 0 && c->forgotten_checkout == NULL) {
		snprintf(err, errlen, "org set: --retention-days N (0 = keep forever) and/or"
		    " --forgotten-checkout session_end|no_hours is required");
		return -1;
	}
	if (c->forgotten_checkout != NULL &&
	    hub_checkout_rule_parse(c->forgotten_checkout, &rule) != 0) {
		snprintf(err, errlen, "org set: --forgotten-checkout is session_end (hours until the"
		    " session's end, flagged) or no_hours (flagged, no hours)");
		return -1;
	}
	if (c->retention_days >= 0 &&
	    hub_retention_set_days(db, c->id, c->retention_days, err, errlen) != 0)
		return -1;
	if (c->forgotten_checkout != NULL &&
	    hub_admin_org_checkout_rule(db, c->id, hub_checkout_rule_name(rule), err, errlen) != 0)
		return -1;
	if (c->retention_days >= 0)
		printf("%s retention_days=%ld\n", c->id, c->retention_days);
	if (c->forgotten_checkout != NULL)
		printf("%s forgotten_checkout=%s\n", c->id, hub_checkout_rule_name(rule));
	return 0;
}
