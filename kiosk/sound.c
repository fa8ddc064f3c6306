/* sound.c — the success chime through alsa-lib (see sound.h): one PCM kept
 * prepared, one thread asleep on a condition variable until a chime is asked.
 * Must not: fail the check-in when audio fails, wake while nothing plays,
 * or block the main loop. */
#include <stddef.h>

#include "sound.h"

#include <alsa/asoundlib.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHIME_SAMPLES (SOUND_RATE * SOUND_CHIME_MS / 1000)
#define SOUND_CHUNK_MAX 2048      /* frames a write at most (when no period) */

struct sound {
	snd_pcm_t *pcm;               /* NULL: not open (opened at the next chime) */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int asked, quit, bench;
	int64_t asked_ns;             /* the confirmation of the asked chime */
	snd_pcm_uframes_t chunk;      /* frames a write: one period */
	int failed;                   /* the last failure was reported */
	char device[SOUND_DEVICE_MAX];
	size_t n;
	int16_t data[CHIME_SAMPLES];
};

size_t sound_render_chime(int16_t *buf, size_t n)
{
	/* E5 then A5: short, bright, rising (a "yes" sound) */
	const double f1 = 659.25, f2 = 880.0, split = 0.12;
	size_t i, total = CHIME_SAMPLES < n ? CHIME_SAMPLES : n;

	for (i = 0; i < total; i++) {
		double t = (double)i / SOUND_RATE, v, env, tt;
		double f = t < split ? f1 : f2;
		tt = t < split ? t : t - split;
		env = exp(-tt * (t < split ? 18.0 : 9.0));
		env *= fmin(1.0, tt * 400.0);          /* 2.5 ms attack: no click */
		v = sin(2 * M_PI * f * tt) * 0.8 + sin(4 * M_PI * f * tt) * 0.2;
		buf[i] = (int16_t)(v * env * 0.35 * 32767.0);
	}
	return total;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* alsa-lib prints its configuration lookups (no card 0, ...) on stderr; the
 * kiosk says once, in its own words, that it is silent. */
static void alsa_quiet(const char *file, int line, const char *fn, int err,
    const char *fmt, ...)
{
	(void)file; (void)line; (void)fn; (void)err; (void)fmt;
}

/* Say once why the chime is silent (again after a chime played). */
static void report(struct sound *s, const char *what, const char *why)
{
	if (s->failed)
		return;
	s->failed = 1;
	fprintf(stderr, "presentie-kiosk: sound: %s: %s\n", what, why);
}

/* Open s->device, set the chime's format and prepare it. Returns 0, or -1
 * with the reason in err (s->pcm NULL). */
static int pcm_open(struct sound *s, char *err, size_t errlen)
{
	snd_pcm_uframes_t buffer = 0, period = 0;
	int e;

	e = snd_pcm_open(&s->pcm, s->device, SND_PCM_STREAM_PLAYBACK, 0);
	if (e == 0)
		e = snd_pcm_set_params(s->pcm, SND_PCM_FORMAT_S16,
		    SND_PCM_ACCESS_RW_INTERLEAVED, 1, SOUND_RATE, 1,
		    SOUND_LATENCY_US);
	if (e == 0)
		e = snd_pcm_prepare(s->pcm);
	if (e < 0) {
		snprintf(err, errlen, "ALSA %s: %s", s->device, snd_strerror(e));
		if (s->pcm)
			snd_pcm_close(s->pcm);
		s->pcm = NULL;
		return -1;
	}
	if (snd_pcm_get_params(s->pcm, &buffer, &period) == 0 && period > 0)
		s->chunk = period;
	else
		s->chunk = SOUND_CHUNK_MAX;
	return 0;
}

/* A device that failed (unplugged, ...) is closed: the next chime opens it
 * again. */
static void pcm_fail(struct sound *s, const char *what, int err)
{
	report(s, what, snd_strerror(err));
	snd_pcm_close(s->pcm);
	s->pcm = NULL;
}

/* Under s->mu: take a pending request (1, and its time in *asked_ns). */
static int take_locked(struct sound *s, int64_t *asked_ns)
{
	if (!s->asked)
		return 0;
	s->asked = 0;
	*asked_ns = s->asked_ns;
	return 1;
}

/* -1 if the chime must stop (quit), 1 if it must start over (a new request,
 * its time in *t), 0 to go on. */
static int interrupted(struct sound *s, int64_t *t)
{
	int r;

	pthread_mutex_lock(&s->mu);
	r = s->quit ? -1 : take_locked(s, t);
	pthread_mutex_unlock(&s->mu);
	return r;
}

/* Play the chime from the start; returns when it was played (drained), cut
 * by a new request (then again from the start) or by quit. The PCM is left
 * prepared, or closed after an error. */
static void play(struct sound *s, int64_t asked_ns)
{
	char why[SOUND_DEVICE_MAX + 64];
	size_t off;
	int first, err, stop;
	snd_pcm_sframes_t r;

	if (!s->pcm && pcm_open(s, why, sizeof(why)) != 0) {
		report(s, "no device", why);
		return;
	}
again:
	if (snd_pcm_state(s->pcm) != SND_PCM_STATE_PREPARED &&
	    (err = snd_pcm_prepare(s->pcm)) < 0) {
		pcm_fail(s, "prepare", err);
		return;
	}
	for (off = 0, first = 1; off < s->n; ) {
		size_t left = s->n - off;
		r = snd_pcm_writei(s->pcm, s->data + off,
		    left < s->chunk ? left : s->chunk);
		if (r < 0) {
			err = snd_pcm_recover(s->pcm, (int)r, 1);
			if (err < 0) {
				pcm_fail(s, "write", err);
				return;
			}
			continue;
		}
		if (first && s->bench)
			fprintf(stderr, "bench chime_us=%lld\n",
			    (long long)((now_ns() - asked_ns) / 1000));
		first = 0;
		off += (size_t)r;
		stop = interrupted(s, &asked_ns);
		if (stop) {
			snd_pcm_drop(s->pcm);
			if (stop < 0)
				return;
			goto again;
		}
	}
	snd_pcm_drain(s->pcm);      /* blocks until the last sample is out */
	if ((err = snd_pcm_prepare(s->pcm)) < 0) {
		pcm_fail(s, "prepare", err);
		return;
	}
	s->failed = 0;              /* played: a later failure is news */
}

static void *sound_main(void *arg)
{
	struct sound *s = arg;
	int64_t t = 0;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (!s->quit && !take_locked(s, &t))
			pthread_cond_wait(&s->cv, &s->mu);   /* idle: no wakeups */
		if (s->quit)
			break;
		pthread_mutex_unlock(&s->mu);
		play(s, t);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

int sound_open(const char *device, int bench, struct sound **out,
    char *err, size_t errlen)
{
	struct sound *s;

	*out = NULL;
	err[0] = '\0';
	if (!device || !device[0] || !strcmp(device, "off")) {
		snprintf(err, errlen, "sound is off");
		return -1;
	}
	if (strlen(device) >= SOUND_DEVICE_MAX) {
		snprintf(err, errlen, "ALSA device name too long");
		return -1;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->bench = bench;
	s->n = sound_render_chime(s->data, CHIME_SAMPLES);
	memcpy(s->device, device, strlen(device) + 1);
	snd_lib_error_set_handler(alsa_quiet);
	if (pcm_open(s, err, errlen) != 0)
		s->failed = 1;          /* said by the caller, from err */
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pthread_create(&s->th, NULL, sound_main, s) != 0) {
		snprintf(err, errlen, "no sound thread");
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mu);
		if (s->pcm)
			snd_pcm_close(s->pcm);
		snd_config_update_free_global();
		free(s);
		return -1;
	}
	pthread_setname_np(s->th, "sound");
	*out = s;
	return 0;
}

void sound_close(struct sound *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->quit = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->th, NULL);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	if (s->pcm)
		snd_pcm_close(s->pcm);
	snd_config_update_free_global();
	free(s);
}

int sound_chime(struct sound *s, int64_t asked_ns)
{
	if (!s)
		return 0;
	pthread_mutex_lock(&s->mu);
	s->asked = 1;
	s->asked_ns = asked_ns;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return 1;
}
