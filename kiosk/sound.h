/* sound.h — the short success chime, generated in code (two rising sine
 * notes with a soft envelope), played through alsa-lib on a PCM that is
 * opened once and kept prepared, by a thread that sleeps on a condition
 * variable: no wakeups while idle, the first samples reach the device
 * within a millisecond of the request. Optional: without an audio device
 * (or with the setting `sound = off`) the kiosk is silent, nothing else
 * changes; a device that appears later is opened at the next chime.
 * Must not: use SDL audio (SDL2's ALSA driver runs a hotplug thread that
 * wakes 10 times a second for as long as the audio subsystem is up), block
 * the caller of sound_chime, or fail a check-in when audio fails. */
#ifndef PRESENTIE_SOUND_H
#define PRESENTIE_SOUND_H

#include <stddef.h>
#include <stdint.h>

#define SOUND_RATE        44100
#define SOUND_CHIME_MS    420
/* ALSA buffer: long enough not to underrun on a loaded Pi, short enough
 * that a restarted chime (a second tap) is heard at once */
#define SOUND_LATENCY_US  100000
#define SOUND_DEVICE_MAX  256

struct sound;

/* Prepare the chime on the ALSA PCM `device` ("default", "plughw:1,0",
 * "file:FILE=x.raw", ...): open it, prepare it and start the sound thread.
 * A device that is not there now (no card yet, unplugged later) is opened
 * again by the thread at the next chime. With bench set, the thread prints
 * "bench chime_us=N" on stderr for every chime: from the request's
 * timestamp (sound_chime) to the first samples handed to the device.
 * Returns 0 and *out (err "" if the device is open, else why not: say it,
 * the chime retries), or -1 and *out NULL (off, no memory, no thread; the
 * reason in err); sound_* calls on NULL are no-ops. */
int sound_open(const char *device, int bench, struct sound **out,
    char *err, size_t errlen);
/* Stop the thread (a playing chime is cut), close the PCM, free s. */
void sound_close(struct sound *s);

/* Start the chime (or start it again if it plays): wakes the sound thread
 * and returns at once. asked_ns is the CLOCK_MONOTONIC time of the
 * confirmation, for the bench line. Returns 1 if a chime was asked for, 0
 * if there is no sound. */
int sound_chime(struct sound *s, int64_t asked_ns);

/* Fill buf with the chime at SOUND_RATE (mono, signed 16-bit). Returns the
 * number of samples written (<= n). For tests and sound_open. */
size_t sound_render_chime(int16_t *buf, size_t n);

#endif
