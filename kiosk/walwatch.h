/* walwatch.h — wakes the UI when the store file changes on disk (the sync
 * agent wrote its status or delivered events): an inotify watch on the
 * store's folder, filtered to the store and its -wal file; after the first
 * change it sleeps WALWATCH_DEBOUNCE_MS (the rest of the writer's burst is
 * read at once then: two wakeups a commit, not one per event) and posts one
 * SDL event. The UI thread then re-reads the status; it never polls.
 * Must not: read the store itself. */
#ifndef PRESENTIE_WALWATCH_H
#define PRESENTIE_WALWATCH_H

#include <stdint.h>

#define WALWATCH_DEBOUNCE_MS 250   /* first change -> the UI's one wake-up */

extern uint32_t walwatch_ev;

struct walwatch;

/* Watch db_path's folder. Returns 0 and *out, or -1 (no watch: the status
 * line then updates only on the kiosk's own events). */
int walwatch_start(const char *db_path, struct walwatch **out);
void walwatch_stop(struct walwatch *w);

#endif
