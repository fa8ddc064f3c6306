/* enrol.c — one POST /v1/enrol, then every credential into meta at once.
 * Owns: the enrolment request body and the meta writes that make a store
 * "enrolled" (all in one transaction, so a crash leaves it enrolled or not).
 * Must not: print the token or the org key; re-enrol silently (an enrolled
 * store needs --force, because the hub will see a new device); rename the
 * device without --name (the host name goes as "hostname", a fallback). */
#include "enrol.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "result.h"
#include "store.h"
#include "store_meta.h"
#include "wire.h"

int agent_enrol_code_ok(const char *code)
{
	size_t n, i;

	if (code == NULL)
		return 0;
	n = strnlen(code, AGENT_CODE_MAX);
	if (n < 4 || n >= AGENT_CODE_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return 1;
}

int agent_enrol(const struct agent_enrol_opts *o, char *msg, size_t msglen)
{
	struct store *db = NULL;
	struct agent_http *http = NULL;
	struct agent_http_opts ho;
	struct agent_http_resp resp = { 0 };
	struct agent_enrol_answer ans;
	struct agent_result res;
	char err[AGENT_ERR_MAX], have[AGENT_META_MAX], host[AGENT_DEVNAME_MAX];
	char ca[PR_PATH_MAX], pin[PR_PATH_MAX];
	const char *name = o->name != NULL ? o->name : host;
	json_t *req = NULL;
	char *body = NULL;
	int rc = -1, call;

	memset(&ans, 0, sizeof(ans));
	if (!agent_enrol_code_ok(o->code)) {
		snprintf(msg, msglen, "the enrolment code must be 4 to 63 letters, digits or '-'");
		return -1;
	}
	if (o->name == NULL) {
		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "kiosk");
		host[sizeof(host) - 1] = '\0';
	}
	if (strnlen(name, AGENT_DEVNAME_MAX) >= AGENT_DEVNAME_MAX) {
		snprintf(msg, msglen, "the device name is longer than %d bytes", AGENT_DEVNAME_MAX - 1);
		return -1;
	}
	if (store_attach(o->db_path, &db, err, sizeof(err)) < 0) {
		snprintf(msg, msglen, "%s", err);
		return -1;
	}
	if (store_meta_get(db, AGENT_META_TOKEN, have, sizeof(have)) == 0 && have[0] != '\0' &&
	    !o->force) {
		store_meta_get(db, AGENT_META_DEVICE_ID, have, sizeof(have));
		snprintf(msg, msglen, "this store is already enrolled (device %s); use --force to "
		    "enrol it again as a new device", have);
		goto out;
	}
	/* Files are kept as absolute paths: `run` starts from another directory. */
	if (o->ca_file != NULL && realpath(o->ca_file, ca) == NULL) {
		snprintf(msg, msglen, "the CA file %s cannot be read", o->ca_file);
		goto out;
	}
	if (o->pinned_pubkey != NULL && strncmp(o->pinned_pubkey, "sha256//", 8) != 0 &&
	    realpath(o->pinned_pubkey, pin) == NULL) {
		snprintf(msg, msglen, "--pin wants sha256//BASE64 or a public key file; %s cannot be read",
		    o->pinned_pubkey);
		goto out;
	}
	if (o->pinned_pubkey != NULL && strncmp(o->pinned_pubkey, "sha256//", 8) == 0 &&
	    (size_t)snprintf(pin, sizeof(pin), "%s", o->pinned_pubkey) >= sizeof(pin)) {
		snprintf(msg, msglen, "--pin is too long");
		goto out;
	}
	memset(&ho, 0, sizeof(ho));
	ho.base_url = o->hub_url;
	ho.pinned_pubkey = o->pinned_pubkey ? pin : NULL;
	ho.ca_file = o->ca_file ? ca : NULL;
	if (agent_http_new(&ho, &http, err, sizeof(err)) < 0) {
		snprintf(msg, msglen, "%s", err);
		goto out;
	}
	/* "name" renames the device at the hub; without --name only "hostname"
	 * goes, which the hub uses for a device that has no name yet. */
	req = json_pack("{s:s, s:s, s:s}", "code", o->code, o->name != NULL ? "name" : "hostname",
	    name, "agent", "presentie-sync/1.0");
	body = req != NULL ? json_dumps(req, JSON_COMPACT) : NULL;
	if (body == NULL) {
		snprintf(msg, msglen, "out of memory (or the device name is not UTF-8)");
		goto out;
	}
	call = agent_http_call(http, "POST", "/v1/enrol", body, strlen(body), &resp);
	if (call != 0 || resp.status != 200) {
		agent_result_init(&res);
		agent_result_from_http(&res, call, &resp, "POST /v1/enrol");
		snprintf(msg, msglen, "enrolment failed: %s", res.msg);
		goto out;
	}
	if (agent_wire_enrol(resp.body, resp.len, &ans, err, sizeof(err)) < 0) {
		snprintf(msg, msglen, "enrolment failed: the hub's answer is malformed: %s", err);
		goto out;
	}
	{
		const char *kv[] = {
			AGENT_META_HUB_URL, o->hub_url,
			AGENT_META_TOKEN, ans.token,
			AGENT_META_PIN, o->pinned_pubkey ? pin : NULL,   /* NULL deletes */
			AGENT_META_CA, o->ca_file ? ca : NULL,
			AGENT_META_DEVICE_ID, ans.device_id,
			AGENT_META_ORG_ID, ans.org_id,
			AGENT_META_ORG_NAME, ans.org_name,
			AGENT_META_ORG_KEY, ans.org_key,
			AGENT_META_LOC_ID, ans.location_id,
			AGENT_META_LOC_NAME, ans.location_name,
			AGENT_META_LOC_TZ, ans.location_tz,
			AGENT_META_CURSOR, "",                     /* pull everything */
			AGENT_META_FAILURES, "0",
			AGENT_META_LAST_ERROR, "",
		};
		if (store_meta_set_many(db, kv, sizeof(kv) / sizeof(kv[0]) / 2) < 0) {
			snprintf(msg, msglen, "the hub enrolled this device but the store could not "
			    "save it (%s); ask for a new code", store_errmsg(db));
			goto out;
		}
	}
	snprintf(msg, msglen, "enrolled as device %s at %s (%s), hub %s",
	    ans.device_id, ans.location_name[0] ? ans.location_name : ans.location_id,
	    ans.org_name[0] ? ans.org_name : ans.org_id, o->hub_url);
	rc = 0;
out:
	sodium_memzero(ans.token, sizeof(ans.token));
	sodium_memzero(ans.org_key, sizeof(ans.org_key));
	if (resp.body != NULL)
		sodium_memzero(resp.body, resp.len);        /* it held the token */
	agent_http_resp_free(&resp);
	free(body);
	json_decref(req);
	agent_http_free(http);
	store_close(db);
	return rc;
}
