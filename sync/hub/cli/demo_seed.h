/* demo_seed.h — `presentie-hub demo`: the demo organisation of assets/demo
 * (via sync/common/demo.h, the same loader and time shift the kiosk demo
 * uses, so people, MACs and sessions match), a demo coordinator account and
 * a fresh enrolment code for a demo kiosk.
 * Must not: be used for a real organisation (its key is public). */
#ifndef PRESENTIE_HUB_DEMO_SEED_H
#define PRESENTIE_HUB_DEMO_SEED_H

#include <stddef.h>
#include <stdio.h>

#define HUB_DEMO_COORD_EMAIL    "coordinator@demo.presentie.nl"
#define HUB_DEMO_COORD_PASSWORD "demo-only-password"   /* public, DEMO ONLY */
#define HUB_DEMO_DIR_ENV        "PRESENTIE_DEMO_DIR"

struct hub_db;

/* Seed (or refresh) the demo organisation in db; report on out; the
 * enrolment code for one new demo kiosk goes to code (16 bytes).
 * The data folder: $PRESENTIE_DEMO_DIR, else ./assets/demo, else the
 * installed PRESENTIE_DATADIR/demo. Returns 0 or -1 with err. */
int hub_demo_seed(struct hub_db *db, FILE *out, char code[16], char *err, size_t errlen);

#endif
