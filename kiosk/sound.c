/* sound.c — the success chime (see sound.h).
 * Must not: fail the check-in when audio fails. */
#include <stddef.h>

#include "sound.h"

#include <SDL.h>
#include <math.h>
#include <stdlib.h>

#define CHIME_SAMPLES (SOUND_RATE * SOUND_CHIME_MS / 1000)

struct sound {
	SDL_AudioDeviceID dev;
	int16_t pcm[CHIME_SAMPLES];
	size_t n;
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

int sound_open(struct sound **out)
{
	struct sound *s;

	*out = NULL;
	if (!SDL_WasInit(SDL_INIT_AUDIO) || SDL_GetNumAudioDevices(0) == 0)
		return -1;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -1;
	s->n = sound_render_chime(s->pcm, CHIME_SAMPLES);
	*out = s;
	return 0;
}

void sound_close(struct sound *s)
{
	if (!s)
		return;
	if (s->dev)
		SDL_CloseAudioDevice(s->dev);
	free(s);
}

int64_t sound_chime(struct sound *s, int64_t now_ms)
{
	SDL_AudioSpec want, have;

	if (!s)
		return 0;
	if (!s->dev) {
		SDL_zero(want);
		want.freq = SOUND_RATE;
		want.format = AUDIO_S16SYS;
		want.channels = 1;
		want.samples = 1024;
		s->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
		if (!s->dev)
			return 0;
	}
	SDL_ClearQueuedAudio(s->dev);
	if (SDL_QueueAudio(s->dev, s->pcm, (Uint32)(s->n * sizeof(int16_t))) != 0)
		return 0;
	SDL_PauseAudioDevice(s->dev, 0);
	return now_ms + SOUND_CHIME_MS + 150;
}

int sound_idle(struct sound *s)
{
	if (!s || !s->dev)
		return 0;
	if (SDL_GetQueuedAudioSize(s->dev) > 0)
		return 1;
	SDL_CloseAudioDevice(s->dev);
	s->dev = 0;
	return 0;
}
