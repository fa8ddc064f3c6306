/* notify.h — how the agent tells the kiosk "my state changed".
 * Owns: the notify file next to the store (PATH.notify). Must not: carry
 * data the kiosk needs (the state itself is in the store's meta table). */
#ifndef PRESENTIE_AGENT_NOTIFY_H
#define PRESENTIE_AGENT_NOTIFY_H

#include <stddef.h>

#define AGENT_NOTIFY_SUFFIX ".notify"

/* out = db_path + ".notify". Returns 0, or -1 if it does not fit. */
int agent_notify_path(const char *db_path, char *out, size_t outlen);

/* Rewrite the notify file with one short line (e.g. "ok 1763819527 waiting 0"),
 * which a watcher sees as IN_CLOSE_WRITE. Never follows a symlink. Returns 0
 * or -1 (errno set); a failure must not stop the agent. */
int agent_notify_touch(const char *notify_path, const char *line);

#endif
