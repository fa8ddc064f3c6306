/* dash_plan.h — what the two halves of Plan share (dash_plan.c: setup,
 * programmes, sessions as JSON; dash_sessions.c: sessions, slots,
 * assignments). Must not: be included outside sync/hub/dash_*.c. */
#ifndef PRESENTIE_HUB_DASH_PLAN_H
#define PRESENTIE_HUB_DASH_PLAN_H

#include <jansson.h>

struct dash_call;
struct hub_param;

#define SESSION_COLS "s.id, s.title, s.room, s.kind, s.start_ms, s.end_ms, s.cancelled," \
	" COALESCE(s.programme_id, ''), COALESCE(g.title, ''), l.id, l.name, l.timezone"
#define SESSION_FROM " FROM sessions s JOIN locations l ON l.id = s.location_id AND l.org_id = s.org_id" \
	" LEFT JOIN programmes g ON g.org_id = s.org_id AND g.id = s.programme_id"

/* The organisation's roles as [{role,label_nl,label_en,default_slots}] into
 * out (the defaults if it has none). Returns HUB_DB_OK or a db error code. */
int dash_roles_json(struct dash_call *c, json_t *out);
/* 1 if roles (as above) has role. */
int dash_role_known(json_t *roles, const char *role);
/* Rows of a SESSION_COLS query into arr, each with its slots. Returns
 * HUB_DB_OK or a db error code. */
int dash_sessions_json(struct dash_call *c, const char *sql, int n, const struct hub_param *p,
    json_t *arr);
/* Session sid of the caller's organisation into *out (NULL if none).
 * Returns HUB_DB_OK or a db error code. */
int dash_one_session(struct dash_call *c, const char *sid, json_t **out);

#endif
