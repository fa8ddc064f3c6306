/* presence.c — see presence.h: the hours rule of a presence. Pure: the
 * SQL that forms presences is the macro in presence.h. */
#include "hub/reports/presence.h"

#include <stddef.h>
#include <string.h>

static const char *const rule_names[] = { "session_end", "no_hours" };

int hub_checkout_rule_parse(const char *name, enum hub_checkout_rule *rule)
{
	for (size_t i = 0; name != NULL && i < sizeof(rule_names) / sizeof(rule_names[0]); i++)
		if (strcmp(name, rule_names[i]) == 0) {
			*rule = (enum hub_checkout_rule)i;
			return 0;
		}
	return -1;
}

const char *hub_checkout_rule_name(enum hub_checkout_rule rule)
{
	return rule == HUB_CHECKOUT_NO_HOURS ? rule_names[1] : rule_names[0];
}

enum hub_checkout_state hub_presence_worked(const struct hub_presence_t *p, int64_t *ms)
{
	int64_t end;

	*ms = -1;
	if (p->t_out >= 0 && p->t_out >= p->t_in) {
		*ms = p->t_out - p->t_in;
		return HUB_OUT_DONE;
	}
	if (!p->volunteer)
		return HUB_OUT_NOT_EXPECTED;
	end = p->s_end >= 0 ? p->s_end : p->t_in + HUB_PRESENCE_OPEN_MS;
	if (p->now < end)
		return HUB_OUT_OPEN;
	if (p->rule == HUB_CHECKOUT_SESSION_END && p->s_end >= 0)
		*ms = p->s_end > p->t_in ? p->s_end - p->t_in : 0;
	else
		*ms = 0;
	return HUB_OUT_FORGOTTEN;
}

enum hub_checkout_state hub_presence_centi(const struct hub_presence_t *p, int64_t *centi)
{
	int64_t ms;
	enum hub_checkout_state st = hub_presence_worked(p, &ms);

	*centi = ms >= 0 ? (ms + HUB_CENTIHOUR_MS / 2) / HUB_CENTIHOUR_MS : -1;
	return st;
}

const char *hub_checkout_state_word(enum hub_checkout_state s)
{
	switch (s) {
	case HUB_OUT_DONE: return "yes";
	case HUB_OUT_OPEN: return "open";
	case HUB_OUT_FORGOTTEN: return "no";
	default: return "";
	}
}

const char *hub_manual_word(int64_t bits)
{
	static const char *const words[] = { "", "check_in", "check_out", "check_in+check_out" };

	return bits >= 0 && bits <= 3 ? words[bits] : "";
}
