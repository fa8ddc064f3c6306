/* enrol.h — `presentie-sync enrol`: trade a one-time code for the device's
 * token, organisation key and location, and keep them in the store.
 * Owns: POST /v1/enrol and the meta keys it fills. Must not: print, log or
 * return the token or the organisation key. */
#ifndef PRESENTIE_AGENT_ENROL_H
#define PRESENTIE_AGENT_ENROL_H

#include <stddef.h>

#define AGENT_CODE_MAX    64    /* enrolment code, incl. NUL ("K7QF-3MZP-9TXA") */
#define AGENT_DEVNAME_MAX 64    /* the name the kiosk gives itself */

struct agent_enrol_opts {
	const char *db_path;
	const char *hub_url;
	const char *code;
	const char *name;            /* or NULL: keep the name the hub has (the
	                              * host name only for a kiosk without one) */
	const char *pinned_pubkey;   /* or NULL */
	const char *ca_file;         /* or NULL */
	int force;                   /* replace an existing enrolment */
};

/* 1 if code looks like an enrolment code: 4..63 characters of A-Z, a-z,
 * 0-9 and '-'. */
int agent_enrol_code_ok(const char *code);

/* Enrol. Returns 0 and writes a one-line success sentence (without secrets)
 * into msg, or -1 with msg saying what went wrong; on failure the store is
 * unchanged. */
int agent_enrol(const struct agent_enrol_opts *o, char *msg, size_t msglen);

#endif
