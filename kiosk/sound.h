/* sound.h — the short success chime, generated in code (two rising sine
 * notes with a soft envelope), played through SDL audio. Optional: without
 * an audio device the kiosk is silent, nothing else changes.
 * Must not: keep the audio device open when nothing plays: SDL2's audio
 * thread keeps feeding silence to a paused device, which would cost idle
 * CPU; the device is opened for the chime and closed after it. */
#ifndef PRESENTIE_SOUND_H
#define PRESENTIE_SOUND_H

#include <stdint.h>

#define SOUND_RATE        44100
#define SOUND_CHIME_MS    420

struct sound;

/* Prepare the chime if SDL audio is initialised. Returns 0 and *out, or -1
 * if there is no audio (then *out is NULL and sound_* calls are no-ops). */
int sound_open(struct sound **out);
void sound_close(struct sound *s);

/* Open the output device and start the chime; returns the monotonic ms
 * when it is done (for the main loop to call sound_idle then), or 0 if
 * nothing plays (no device: silently). */
int64_t sound_chime(struct sound *s, int64_t now_ms);
/* Close the device once the chime is over. Returns 1 if it still plays
 * (call again later), 0 when closed or nothing was open. */
int sound_idle(struct sound *s);

/* Fill buf with the chime at SOUND_RATE (mono, signed 16-bit). Returns the
 * number of samples written (<= n). For tests and sound_open. */
size_t sound_render_chime(int16_t *buf, size_t n);

#endif
