/* reader_nfc.c — the libnfc card reader: one thread owns libnfc (context,
 * device, every call but nfc_abort_command), looks for a card with one
 * InListPassiveTarget the chip repeats until a card comes (WAIT, the
 * default: reader_nfc_wait.c), short single-shot
 * nfc_initiator_select_passive_target rounds (LIST) or
 * nfc_initiator_poll_target (InAutoPoll), follows it with
 * nfc_initiator_target_is_present and hands each new UID to reader_post_uid()
 * (which MACs it). A watchdog thread bounds InAutoPoll and re-arms WAIT
 * (both run without a host timeout). States and timings: docs/NFC.md.
 * Must not: log, print or keep outside this module a raw UID; touch the
 * store or SDL directly; block the UI thread for longer than a stop. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nfc/nfc.h>

#include "clockinfo.h"
#include "log.h"
#include "reader.h"
#include "reader_nfc_int.h"

/* Timings (ms); why these values: docs/NFC.md "Poll settings". */
#define NFC_POLL_CALL_MS      600   /* aim for one InAutoPoll call to last this */
#define NFC_POLL_UNIT_MS      150   /* PN53x pollPeriod unit */
#define NFC_PRESENCE_MS       100   /* pause between presence checks */
#define NFC_WD_MARGIN_MS      500   /* InAutoPoll overdue by this: abort it */
#define NFC_BACKOFF_MIN_MS    100
#define NFC_BACKOFF_MAX_MS    2000
#define NFC_BACKOFF_NODEV_MS  500   /* device path absent: cheap stat() */
#define NFC_SOFT_ERRORS_MAX   3     /* errors in a row healed by re-init */
#define NFC_STOP_WAIT_MS      3000  /* stop gives up joining after this */
#define NFC_REARM_PING_MS     500   /* a re-arm's GetFirmwareVersion answers
                                     * within this (~5 ms on a live chip) */


static void
set_state(struct reader_nfc *r, enum reader_state st)
{
	int changed;

	pthread_mutex_lock(&r->mtx);
	changed = r->state != st;
	r->state = st;
	pthread_mutex_unlock(&r->mtx);
	if (changed)
		reader_post_state(st);
}

static int
stopping(struct reader_nfc *r)
{
	int s;

	pthread_mutex_lock(&r->mtx);
	s = r->stop;
	pthread_mutex_unlock(&r->mtx);
	return s;
}

/* Sleep ms unless stop is requested first. Returns 1 if stopping. */
static int
pause_ms(struct reader_nfc *r, int ms)
{
	struct timespec ts;
	int s;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&r->mtx);
	while (!r->stop &&
	    pthread_cond_timedwait(&r->cond, &r->mtx, &ts) != ETIMEDOUT)
		;
	s = r->stop;
	pthread_mutex_unlock(&r->mtx);
	return s;
}

/* ---- the card on the reader ------------------------------------------- */

/* Post the card once; the same card seen again after a device hiccup is not
 * a new presentation. */
static void
card_seen(struct reader_nfc *r, const nfc_target *nt)
{
	struct reader_nfc_card k;

	if (reader_nfc_card_from_target(nt, &k) != 0) {
		reader_post_uid(r->key, k.uid, 0);      /* reported as invalid */
		explicit_bzero(&k, sizeof(k));
		return;
	}
	if (r->card.len && reader_nfc_card_same(&r->card, &k)) {
		explicit_bzero(&k, sizeof(k));
		return;
	}
	if (r->card.len)
		reader_post_gone();
	r->card = k;
	explicit_bzero(&k, sizeof(k));
	reader_post_uid(r->key, r->card.uid, r->card.len);
}

static void
card_gone(struct reader_nfc *r)
{
	if (!r->card.len)
		return;
	explicit_bzero(&r->card, sizeof(r->card));
	reader_post_gone();
}

/* ---- the device ---------------------------------------------------------- */

static void
close_device(struct reader_nfc *r)
{
	nfc_device *d;

	pthread_mutex_lock(&r->mtx);
	d = r->dev;
	r->dev = NULL;
	pthread_mutex_unlock(&r->mtx);
	if (d)
		nfc_close(d);
}

/* nfc_initiator_init and our settings. Returns 0 or a libnfc error. */
static int
init_device(nfc_device *d)
{
	int res = nfc_initiator_init(d);

	/* Single-shot selects: the presence fallback must not wait forever. */
	if (res >= 0)
		res = nfc_device_set_property_bool(d, NP_INFINITE_SELECT, false);
	return res < 0 ? res : 0;
}

static int
open_device(struct reader_nfc *r)
{
	struct stat sb;
	nfc_device *d;

	if (!r->ctx) {
		nfc_init(&r->ctx);
		if (!r->ctx)
			return -1;
	}
	/* A missing device node: don't let libnfc log every retry. */
	if (r->node_path[0] && stat(r->node_path, &sb) != 0)
		return -2;
	/* The first time the port is there: a claim left by a killed kiosk. */
	if (r->node == READER_NFC_NODE_UART && !r->unclaim_done) {
		r->unclaim_done = 1;
		if (reader_nfc_unclaim(r->node_path) == 1)
			log_warn("nfc reader: cleared a stale libnfc claim on %s",
			    r->node_path);
	}
	d = nfc_open(r->ctx, r->has_connstring ? r->connstring : NULL);
	if (!d)
		return -1;
	if (init_device(d) != 0) {
		log_warn("nfc reader %s: initiator init failed: %s",
		    nfc_device_get_name(d), nfc_strerror(d));
		nfc_close(d);
		return -1;
	}
	pthread_mutex_lock(&r->mtx);
	r->dev = d;
	pthread_mutex_unlock(&r->mtx);
	r->errors = 0;
	log_info("nfc reader ready: %s", nfc_device_get_name(d));
	return 0;
}

/* A libnfc error on the device. Heal with a re-init a few times, else drop
 * the device (the main loop reopens it). Returns 1 if the device was lost. */
static int
device_error(struct reader_nfc *r, int res)
{
	nfc_device *d = r->dev;

	r->errors++;
	if (r->errors <= NFC_SOFT_ERRORS_MAX && init_device(d) == 0)
		return 0;
	log_warn("nfc reader lost: %s", nfc_strerror(d));
	(void)res;
	card_gone(r);
	set_state(r, READER_DISCONNECTED);
	close_device(r);
	return 1;
}

/* Is the card still there? 1 yes, 0 gone, <0 a device error. */
static int
card_present(struct reader_nfc *r, const nfc_target *nt)
{
	int res = nfc_initiator_target_is_present(r->dev, NULL);

	if (res == NFC_SUCCESS)
		return 1;
	if (res == NFC_ETGRELEASED || res == NFC_ERFTRANS)
		return 0;
	if (res == NFC_EDEVNOTSUPP || res == NFC_EINVARG)
		return reader_nfc_reselect(r->dev, nt, NULL);
	return res;
}

/* Poll once (one bounded InAutoPoll call). Returns 1 card, 0 none, <0 error. */
static int
poll_once(struct reader_nfc *r, nfc_target *nt)
{
	int64_t expect = (int64_t)r->pollnr * r->chip_types * r->period *
	    NFC_POLL_UNIT_MS;
	int res, fired;

	pthread_mutex_lock(&r->mtx);
	r->poll_deadline = clockinfo_mono_ms() + expect + NFC_WD_MARGIN_MS;
	r->wd_fired = 0;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->mtx);

	res = nfc_initiator_poll_target(r->dev, r->mods, r->nmods, r->pollnr,
	    r->period, nt);

	pthread_mutex_lock(&r->mtx);
	r->poll_deadline = 0;
	fired = r->wd_fired;
	pthread_mutex_unlock(&r->mtx);
	if (fired && res >= 0)
		log_warn("nfc reader: poll answered late");
	if (fired && res == NFC_EOPABORTED)
		res = NFC_ETIMEOUT;     /* our abort, not a stop: the chip is silent */
	return res;
}

/* Wait for a card (WAIT): the chip repeats its activation tries, this
 * thread sleeps in libnfc's read. The watchdog aborts it every rearm_ms;
 * then a GetFirmwareVersion proves the chip alive (a silent one: an error,
 * healed by re-init or reopen like any other). Returns 1 card, 0 none (a
 * re-arm, or the card left too soon), <0 error. */
static int
wait_once(struct reader_nfc *r, nfc_target *nt)
{
	int res, fired;

	pthread_mutex_lock(&r->mtx);
	r->poll_deadline = clockinfo_mono_ms() + r->rearm_ms;
	r->wd_fired = 0;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->mtx);

	res = reader_nfc_wait_card(r->dev, nt);

	pthread_mutex_lock(&r->mtx);
	r->poll_deadline = 0;
	fired = r->wd_fired;
	pthread_mutex_unlock(&r->mtx);
	if (fired && res == NFC_EOPABORTED && !stopping(r))
		return reader_nfc_ping(r->dev, NFC_REARM_PING_MS);
	return res;
}

/* One round of single-shot selects, one per modulation: each is one
 * InListPassiveTarget (MaxTg 1) with the MxRtyPassiveActivation libnfc sets
 * for NP_INFINITE_SELECT off (2: three activation tries), bounded by
 * libnfc's 300 ms host timeout. A modulation the chip does not support is
 * skipped. Returns 1 card, 0 none, <0 error. */
static int
list_once(struct reader_nfc *r, nfc_target *nt)
{
	int res;

	for (size_t i = 0; i < r->nmods; i++) {
		res = nfc_initiator_select_passive_target(r->dev, r->mods[i], NULL,
		    0, nt);
		if (res > 0)
			return 1;
		if (res < 0 && res != NFC_EDEVNOTSUPP && res != NFC_ENOTIMPL)
			return res;
	}
	return 0;
}

/* InAutoPoll for this poll? Always in AUTO mode; in LIST mode once no card
 * has been on the reader for idle_ms (a quiet kiosk trades its first tap's
 * latency for ~25x fewer wakeups; the next card brings the rounds back). */
static int
use_autopoll(const struct reader_nfc *r)
{
	if (r->mode == READER_NFC_POLL_AUTO)
		return 1;
	return r->idle_ms > 0 && clockinfo_mono_ms() - r->card_ms >= r->idle_ms;
}

/* Follow the card until it leaves, the device fails or stop. */
static void
follow_card(struct reader_nfc *r, const nfc_target *nt)
{
	int res;

	for (;;) {
		if (pause_ms(r, NFC_PRESENCE_MS))
			return;
		res = card_present(r, nt);
		if (res == 1) {
			r->errors = 0;
			continue;
		}
		if (res == 0) {
			card_gone(r);
			return;
		}
		if (res == NFC_EOPABORTED && stopping(r))
			return;
		device_error(r, res);   /* the card stays "on" until a poll says */
		return;
	}
}

static void *
reader_thread(void *arg)
{
	struct reader_nfc *r = arg;
	int backoff = NFC_BACKOFF_MIN_MS, res, autopoll;
	nfc_target nt;

	set_state(r, READER_CONNECTING);
	r->card_ms = clockinfo_mono_ms();
	while (!stopping(r)) {
		if (!r->dev) {
			res = open_device(r);
			if (res == 0) {
				backoff = NFC_BACKOFF_MIN_MS;
				set_state(r, READER_READY);
				continue;
			}
			set_state(r, READER_DISCONNECTED);
			if (pause_ms(r, res == -2 && backoff > NFC_BACKOFF_NODEV_MS ?
			    NFC_BACKOFF_NODEV_MS : backoff))
				break;
			backoff = backoff * 2 > NFC_BACKOFF_MAX_MS ?
			    NFC_BACKOFF_MAX_MS : backoff * 2;
			continue;
		}
		memset(&nt, 0, sizeof(nt));
		autopoll = use_autopoll(r);
		if (r->mode == READER_NFC_POLL_WAIT && !reader_nfc_wait_supported(r->dev)) {
			log_info("nfc reader: no chip-side wait with this driver; "
			    "polling in rounds");
			r->mode = READER_NFC_POLL_LIST;
		}
		if (r->mode == READER_NFC_POLL_WAIT) {
			res = wait_once(r, &nt);
			autopoll = 1;   /* no host pause after it */
		} else {
			res = autopoll ? poll_once(r, &nt) : list_once(r, &nt);
		}
		if (stopping(r))
			break;
		if (res > 0 && r->mode == READER_NFC_POLL_WAIT) {
			/* the UID goes out first; libnfc adopts the card after */
			nfc_target raw = nt;
			card_seen(r, &raw);
			res = reader_nfc_wait_adopt(r->dev, &raw, &nt);
			explicit_bzero(&raw, sizeof(raw));
		}
		if (res > 0) {
			r->errors = 0;
			set_state(r, READER_READY);
			card_seen(r, &nt);
			follow_card(r, &nt);
			r->card_ms = clockinfo_mono_ms();
		} else if (res == 0) {
			r->errors = 0;
			set_state(r, READER_READY);
			card_gone(r);
			/* the host sleeps between rounds (InAutoPoll waits in
			 * the chip) */
			if (!autopoll && pause_ms(r, r->gap_ms))
				break;
		} else if (device_error(r, res) == 0) {
			set_state(r, READER_READY);
		}
		explicit_bzero(&nt, sizeof(nt));
	}
	card_gone(r);
	close_device(r);
	if (r->ctx) {
		nfc_exit(r->ctx);
		r->ctx = NULL;
	}
	return NULL;
}

/* ---- start / stop -------------------------------------------------------- */

static void
config_apply(struct reader_nfc *r, const struct reader_nfc_config *cfg)
{
	int mods = cfg->modulations ? cfg->modulations : READER_NFC_MOD_A;
	unsigned round_ms;

	r->nmods = 0;
	r->chip_types = 0;
	if (mods & READER_NFC_MOD_A) {
		r->mods[r->nmods++] = (nfc_modulation){ NMT_ISO14443A, NBR_106 };
		r->chip_types += 2;     /* PN532 polls 14443-4A and MIFARE */
	}
	if (mods & READER_NFC_MOD_B) {
		r->mods[r->nmods++] = (nfc_modulation){ NMT_ISO14443B, NBR_106 };
		r->chip_types += 1;
	}
	if (mods & READER_NFC_MOD_FELICA) {
		r->mods[r->nmods++] = (nfc_modulation){ NMT_FELICA, NBR_212 };
		r->mods[r->nmods++] = (nfc_modulation){ NMT_FELICA, NBR_424 };
		r->chip_types += 2;
	}
	if (r->nmods == 0) {
		r->mods[r->nmods++] = (nfc_modulation){ NMT_ISO14443A, NBR_106 };
		r->chip_types = 2;
	}
	r->mode = cfg->poll_mode == READER_NFC_POLL_AUTO ||
	    cfg->poll_mode == READER_NFC_POLL_WAIT ? cfg->poll_mode :
	    READER_NFC_POLL_LIST;
	/* The chip waits for one card type only: type A, the default. */
	if (r->mode == READER_NFC_POLL_WAIT && mods != READER_NFC_MOD_A)
		r->mode = READER_NFC_POLL_LIST;
	r->rearm_ms = cfg->wait_rearm_ms > 0 ? cfg->wait_rearm_ms :
	    (int64_t)READER_NFC_REARM_S * 1000;
	r->gap_ms = cfg->list_gap_ms >= READER_NFC_GAP_MIN_MS &&
	    cfg->list_gap_ms <= READER_NFC_GAP_MAX_MS ? cfg->list_gap_ms :
	    READER_NFC_GAP_DEFAULT_MS;
	r->idle_ms = cfg->list_idle_s > 0 && cfg->list_idle_s <= READER_NFC_IDLE_MAX_S ?
	    (int64_t)cfg->list_idle_s * 1000 : 0;
	r->period = (uint8_t)(cfg->poll_period >= 1 && cfg->poll_period <= 15 ?
	    cfg->poll_period : READER_NFC_PERIOD_DEFAULT);
	round_ms = r->chip_types * r->period * NFC_POLL_UNIT_MS;
	r->pollnr = (uint8_t)(NFC_POLL_CALL_MS / round_ms >= 1 ?
	    NFC_POLL_CALL_MS / round_ms : 1);
	r->has_connstring = cfg->connstring && cfg->connstring[0];
	if (r->has_connstring) {
		snprintf(r->connstring, sizeof(r->connstring), "%s", cfg->connstring);
		r->node = reader_nfc_device_path(r->connstring, r->node_path,
		    sizeof(r->node_path));
	}
}

int
reader_nfc_start(const struct reader_nfc_config *cfg,
    const uint8_t key[PR_ORG_KEY_BYTES], struct reader_nfc **out)
{
	struct reader_nfc *r;
	pthread_condattr_t ca;
	const char *lvl = getenv("LIBNFC_LOG_LEVEL");

	*out = NULL;
	if (!cfg || !key)
		return -1;
	if (cfg->connstring && strlen(cfg->connstring) >= NFC_BUFSIZE_CONNSTRING) {
		log_error("nfc reader: connstring too long");
		return -1;
	}
	if (lvl && strtol(lvl, NULL, 10) >= 3)
		log_warn("LIBNFC_LOG_LEVEL=%.8s makes libnfc print card UIDs; "
		    "use 1 outside a lab", lvl);
	r = calloc(1, sizeof(*r));
	if (!r)
		return -1;
	memcpy(r->key, key, PR_ORG_KEY_BYTES);
	config_apply(r, cfg);
	r->state = READER_NONE;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&r->mtx, NULL);
	if (pthread_create(&r->wd, NULL, reader_nfc_watchdog, r) != 0)
		goto fail;
	r->wd_started = 1;
	if (pthread_create(&r->thread, NULL, reader_thread, r) != 0)
		goto fail;
	r->thread_started = 1;
	pthread_setname_np(r->thread, "reader-nfc");
	pthread_setname_np(r->wd, "reader-nfc-wd");
	*out = r;
	return 0;
fail:
	reader_nfc_stop(r);
	return -1;
}

void
reader_nfc_stop(struct reader_nfc *r)
{
	int64_t end;
	int joined = !r || !r->thread_started;

	if (!r)
		return;
	pthread_mutex_lock(&r->mtx);
	r->stop = 1;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->mtx);

	/* An abort that arrives between two libnfc commands is lost (the
	 * pn532_uart driver only watches it while waiting for an answer), so
	 * repeat it until the thread is out. */
	end = clockinfo_mono_ms() + NFC_STOP_WAIT_MS;
	for (int round = 0; !joined && clockinfo_mono_ms() < end; round++) {
		struct timespec ts;
		pthread_mutex_lock(&r->mtx);
		if (r->dev)
			nfc_abort_command(r->dev);
		pthread_mutex_unlock(&r->mtx);
		if (round == 10 && r->node == READER_NFC_NODE_UART)
			reader_nfc_nudge(r->node_path); /* stuck waiting for an ACK */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		joined = pthread_timedjoin_np(r->thread, NULL, &ts) == 0;
	}
	if (r->wd_started)
		pthread_join(r->wd, NULL);
	if (!joined) {
		/* Stuck in a libnfc read that has no timeout: leave it (and r)
		 * rather than free what it uses. Only happens at shutdown. */
		log_error("nfc reader thread stuck in libnfc; left behind");
		pthread_detach(r->thread);
		return;
	}
	explicit_bzero(r->key, sizeof(r->key));
	explicit_bzero(&r->card, sizeof(r->card));
	pthread_mutex_destroy(&r->mtx);
	pthread_cond_destroy(&r->cond);
	free(r);
}
