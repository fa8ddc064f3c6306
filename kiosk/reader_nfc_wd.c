/* reader_nfc_wd.c — the libnfc reader's watchdog thread: libnfc runs
 * InAutoPoll and WAIT's InListPassiveTarget without a host timeout, so this
 * thread, asleep on the reader's condition variable until a deadline, aborts
 * them (nfc_abort_command): an overdue InAutoPoll, a WAIT due for its
 * re-arm. Must not: call libnfc but nfc_abort_command; log a UID. */
#include <time.h>

#include "clockinfo.h"
#include "log.h"
#include "reader_nfc_int.h"

#define NFC_WD_STUCK_MS 1000    /* abort did not help: report, nudge */

void *
reader_nfc_watchdog(void *arg)
{
	struct reader_nfc *r = arg;
	struct timespec ts;
	int64_t now, due, seen = 0;
	int stage = 0;

	pthread_mutex_lock(&r->mtx);
	while (!r->stop) {
		due = r->poll_deadline;
		if (due != seen) {
			seen = due;     /* a new poll (or none): start over */
			stage = 0;
		}
		if (due == 0) {
			pthread_cond_wait(&r->cond, &r->mtx);
			continue;
		}
		due += (int64_t)stage * NFC_WD_STUCK_MS;
		now = clockinfo_mono_ms();
		if (now < due) {
			ts.tv_sec = due / 1000;
			ts.tv_nsec = (long)(due % 1000) * 1000000L;
			pthread_cond_timedwait(&r->cond, &r->mtx, &ts);
			continue;
		}
		/* InAutoPoll is overdue: the chip went silent. */
		r->wd_fired = 1;
		if (r->dev)
			nfc_abort_command(r->dev);
		if (stage >= 1) {
			/* libnfc waits for an ACK without a timeout and without
			 * watching the abort: say so, and poke the chip. */
			int changed = r->state != READER_DISCONNECTED;
			r->state = READER_DISCONNECTED;
			pthread_mutex_unlock(&r->mtx);
			if (changed) {
				log_warn("nfc reader does not answer");
				reader_post_state(READER_DISCONNECTED);
			}
			if (r->node == READER_NFC_NODE_UART)
				reader_nfc_nudge(r->node_path);
			pthread_mutex_lock(&r->mtx);
		}
		stage++;
	}
	pthread_mutex_unlock(&r->mtx);
	return NULL;
}

