/* walwatch.h — wakes the UI when the store changed on disk (the sync agent
 * wrote its status or delivered events): an inotify watch on the store's
 * folder for files closed after writing, moved in or created, filtered to
 * the store, its -wal file and the agent's notify file (PATH.notify, which
 * presentie-sync rewrites after each cycle that wrote: sync/agent/notify.h);
 * one SDL event per such change. The UI thread then re-reads the status; it
 * never polls. Not watched: each write into the -wal (IN_MODIFY, one event
 * a page: with the agent pulling every 3 s that woke the kiosk ~2 times a
 * second); a writer that keeps the store open is seen by its notify file.
 * Must not: read the store itself. */
#ifndef PRESENTIE_WALWATCH_H
#define PRESENTIE_WALWATCH_H

#include <stdint.h>

extern uint32_t walwatch_ev;

struct walwatch;

/* Watch db_path's folder. Returns 0 and *out, or -1 (no watch: the status
 * line then updates only on the kiosk's own events). */
int walwatch_start(const char *db_path, struct walwatch **out);
void walwatch_stop(struct walwatch *w);

#endif
