/* termreader.h — the terminal as a demo card reader (`make run` without a
 * display or NFC reader): reads stdin in its own thread with the terminal
 * in non-canonical, no-echo mode (Ctrl-C still works), restored on stop,
 * and posts every key to the main loop, which decides (app.c): keys 1-9 tap
 * demo card 0400000000000N (on the PIN pad they type digits, Enter submits),
 * u taps a card nobody has (the unknown and guest screens), p opens the PIN pad, h or Esc goes home, q quits.
 * Must not: print the UIDs it taps. */
#ifndef PRESENTIE_TERMREADER_H
#define PRESENTIE_TERMREADER_H

#include <stdint.h>

#include "limits.h"

#define TERMREADER_DEMO_CARDS 9
#define TERMREADER_UNKNOWN_KEY 'u'  /* taps a card no demo person has */

/* SDL event type of a terminal key: code = the byte typed. */
extern uint32_t termreader_ev;

struct termreader;

/* The demo UID for key n (1..9): 04 00 00 00 00 00 0n. Returns 0 or -1. */
int termreader_demo_uid(int n, uint8_t uid[7]);

/* The UID of key TERMREADER_UNKNOWN_KEY: 04 55 4E 4B 4E 4F 57, on no demo
 * card (assets/demo/cards.csv). */
void termreader_unknown_uid(uint8_t uid[7]);

/* Start the thread. Requires SDL_Init. Returns 0 and *out, or -1
 * (terminal left as it was). */
int termreader_start(struct termreader **out);
/* Stop, restore the terminal, free. NULL is a no-op. */
void termreader_stop(struct termreader *t);

#endif
