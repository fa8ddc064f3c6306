/* api_events.c — POST /v1/events: authenticate the device, validate the
 * batch, honour an optional Idempotency-Key (same key + same body: the
 * stored answer; other body: 422; still in flight: 409), then ingest.
 * Must not: answer before the transaction is committed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/api/api.h"
#include "hub/base/htime.h"
#include "hub/db/db.h"
#include "hub/http/caller.h"
#include "hub/http/http.h"
#include "hub/svc/auth.h"
#include "hub/svc/events_parse.h"
#include "hub/svc/ingest.h"
#include "hub/svc/token.h"

#define HUB_IDEM_KEY_MAX     128      /* Idempotency-Key header length */
#define HUB_IDEM_STALE_MS    60000    /* a pending key older than this was abandoned */

static int key_ok(const char *k)
{
	size_t n = strlen(k);

	if (n == 0 || n >= HUB_IDEM_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)k[i] < 0x21 || (unsigned char)k[i] > 0x7e)
			return 0;
	return 1;
}

/* Claim the key. 0 claimed; 1 rs filled (stored answer, 409, 422); < 0 db. */
static int idem_claim(struct hub_db *db, const char *dev, const char *key,
    const char *body_hash, struct hub_resp *rs)
{
	int64_t now = hub_now_ms(), changes = 0;
	struct hub_res *r = NULL;
	int rc;

	/* Take over keys whose request died without an answer. */
	rc = hub_db_exec(db, "DELETE FROM idem_keys WHERE device_id = $1 AND key = $2"
	    " AND state = 'pending' AND created_ms < $3", 3,
	    (struct hub_param[]){ HP_S(dev), HP_S(key), HP_I(now - HUB_IDEM_STALE_MS) }, NULL);
	if (rc != HUB_DB_OK)
		return rc;
	rc = hub_db_exec(db, "INSERT INTO idem_keys (device_id, key, body_hash, state, created_ms)"
	    " VALUES ($1, $2, $3, 'pending', $4) ON CONFLICT DO NOTHING", 4,
	    (struct hub_param[]){ HP_S(dev), HP_S(key), HP_S(body_hash), HP_I(now) }, &changes);
	if (rc != HUB_DB_OK || changes == 1)
		return rc;
	rc = hub_db_query(db, "SELECT body_hash, state, response FROM idem_keys"
	    " WHERE device_id = $1 AND key = $2", 2,
	    (struct hub_param[]){ HP_S(dev), HP_S(key) }, 0, &r);
	if (rc != HUB_DB_OK)
		return rc;
	if ((rc = hub_res_next(r)) == 1) {
		if (!hub_hash_equal(hub_res_text(r, 0), body_hash)) {
			hub_resp_error(rs, 422, "unprocessable",
			    "Idempotency-Key reused with a different body");
		} else if (strcmp(hub_res_text(r, 1), "done") != 0) {
			hub_resp_error(rs, 409, "conflict",
			    "a request with this Idempotency-Key is still being processed");
		} else {
			free(rs->body);
			rs->body = strdup(hub_res_text(r, 2));
			rs->len = rs->body ? strlen(rs->body) : 0;
			rs->status = rs->body ? 200 : 500;
			rs->ctype = "application/json";
		}
		while ((rc = hub_res_next(r)) == 1)
			;
		hub_res_free(r);
		return rc < 0 ? rc : 1;
	}
	hub_res_free(r);
	return rc < 0 ? rc : HUB_DB_RETRY;   /* vanished in between: try again */
}

void hub_api_events(struct hub_req *rq, struct hub_resp *rs)
{
	struct hub_ingest_result *res = NULL;
	struct hub_device dev;
	struct hub_batch b = { 0 };
	char err[HUB_ERRMSG_MAX], body_hash[HUB_HASH_HEX];
	const char *key;
	struct hub_db *db;
	int rc, claimed = 0;

	if (hub_req_device(rq, rs, &dev) != 0)
		return;
	db = rq->db;
	rc = hub_batch_parse(rq->body, rq->body_len, &b, err, sizeof(err));
	if (rc != 0) {
		if (rc == -2)
			hub_resp_error(rs, 413, "too_large", "%s", err);
		else
			hub_resp_error(rs, 400, "bad_request", "%s", err);
		return;
	}
	key = hub_req_header(rq, "Idempotency-Key");
	if (key != NULL) {
		if (!key_ok(key)) {
			hub_resp_error(rs, 400, "bad_request", "Idempotency-Key: 1..%d printable "
			    "ASCII characters", HUB_IDEM_KEY_MAX - 1);
			goto out;
		}
		hub_hash_hex(rq->body, rq->body_len, body_hash);
		for (int tries = 0; tries < HUB_DB_RETRIES; tries++) {
			rc = idem_claim(db, dev.id, key, body_hash, rs);
			if (rc != HUB_DB_RETRY)
				break;
		}
		if (rc == 1)
			goto out;
		if (rc < 0) {
			hub_resp_dberr(rs, rc);
			goto out;
		}
		claimed = 1;
	}
	res = calloc(1, sizeof(*res));
	if (res == NULL) {
		hub_resp_error(rs, 500, "internal", "out of memory");
		goto out;
	}
	hub_ingest(db, &dev, &b, claimed ? key : NULL, res);
	if (res->status == 200) {
		rs->body = strdup(res->body);
		rs->len = rs->body ? strlen(rs->body) : 0;
		rs->status = rs->body ? 200 : 500;
		rs->ctype = "application/json";
		claimed = 0;   /* completed inside the transaction */
	} else {
		static const char *const codes[] = { [401 - 400] = "unauthorized",
			[403 - 400] = "forbidden", [409 - 400] = "conflict" };
		const char *code = "internal";

		if (res->status >= 400 && res->status < 410 && codes[res->status - 400])
			code = codes[res->status - 400];
		if (res->status == 503)
			code = "unavailable";
		hub_resp_error(rs, res->status, code, "%s", res->err);
		if (res->status == 503)
			rs->retry_after = 5;
	}
out:
	if (claimed)   /* no answer stored: free the key for a retry */
		(void)hub_db_exec(db, "DELETE FROM idem_keys WHERE device_id = $1 AND key = $2"
		    " AND state = 'pending'", 2, (struct hub_param[]){ HP_S(dev.id), HP_S(key) }, NULL);
	free(res);
	hub_batch_free(&b);
}
