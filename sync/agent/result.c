/* result.c — classify the end of one exchange with the hub.
 * Owns: the HTTP status -> agent_status table and its messages.
 * Must not: decide how long to wait (backoff.c and run.c do). */
#include "result.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wire.h"

void agent_result_init(struct agent_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = AGENT_DONE;
	r->retry_after_s = -1;
}

void agent_result_set(struct agent_result *r, enum agent_status st, const char *fmt, ...)
{
	va_list ap;

	r->status = st;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
}

void agent_result_from_http(struct agent_result *r, int call_rc,
    const struct agent_http_resp *resp, const char *what)
{
	char text[AGENT_ERR_MAX];
	int64_t ra;

	r->retry_after_s = -1;
	if (call_rc != 0) {
		agent_result_set(r, AGENT_TRANSIENT, "%s: the hub could not be reached: %s",
		    what, resp->err);
		return;
	}
	agent_wire_error_text(resp->status, resp->body, resp->len, text, sizeof(text));
	if (resp->has_retry_after &&
	    agent_retry_after_parse(resp->retry_after, (int64_t)time(NULL), &ra) == 0)
		r->retry_after_s = ra;
	switch (resp->status) {
	case 400: case 403: case 404: case 409: case 413: case 422:
		agent_result_set(r, AGENT_REFUSED, "%s: the hub refused it: %s", what, text);
		break;
	case 401:
		agent_result_set(r, AGENT_AUTH, "%s: the hub does not accept this device's "
		    "token (revoked?); enrol again: %s", what, text);
		break;
	default:
		agent_result_set(r, AGENT_TRANSIENT, "%s: the hub answered %s", what, text);
		break;
	}
}

const char *agent_status_name(enum agent_status st)
{
	switch (st) {
	case AGENT_DONE: return "done";
	case AGENT_TRANSIENT: return "retry";
	case AGENT_REFUSED: return "refused";
	case AGENT_AUTH: return "unauthorised";
	case AGENT_LOCAL: return "store";
	case AGENT_STOPPED: return "stopped";
	}
	return "?";
}
