/* pace.c — see pace.h. One indexed read of the kiosk store per cycle. */
#include "pace.h"

#include "store.h"

int64_t agent_pace_pull_ms(struct store *db, int64_t now_s, int64_t normal_ms, int64_t fast_ms)
{
	if (fast_ms <= 0 || fast_ms >= normal_ms)
		return normal_ms;
	return store_session_open(db, now_s, AGENT_FAST_EARLY_S) == 1 ? fast_ms : normal_ms;
}
