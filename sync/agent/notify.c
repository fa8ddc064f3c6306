/* notify.c — wake the kiosk after the agent changes its sync state.
 * run.c rewrites the file only when something the kiosk reads changed (the
 * ok/error state and its words, the waiting and failure counts, the minute
 * of the last success, events sent, or a pull that moved a changes cursor or
 * the meta the kiosk reads), not after every idle pull.
 *
 * The contract for watchers (the kiosk's status line):
 *   - The agent records its state in the store's meta table (sync_last_ok,
 *     sync_last_try, sync_last_error, sync_waiting; see kiosk/store/store_meta.h) in
 *     the same SQLite file the kiosk uses, and then rewrites a small file
 *     next to it, PATH.notify (for store /var/lib/presentie/kiosk.db that is
 *     /var/lib/presentie/kiosk.db.notify), with one line such as
 *     "ok 1763819527 waiting 0" or "error 1763819527 waiting 12".
 *   - A watcher adds an inotify watch on the store's directory for
 *     IN_CLOSE_WRITE | IN_MOVED_TO and re-reads the meta keys when the event
 *     names "<store file name>.notify". The line is a hint for humans and
 *     scripts; the store stays the source of truth.
 *   - The file is rewritten in place (open O_TRUNC, write, close), never
 *     through a symlink (O_NOFOLLOW), mode 0644.
 * Writes to the store alone also reach a watcher of the -wal file, but the
 * kiosk writes that file itself on every tap; the notify file carries only
 * the agent's changes, so the kiosk wakes for exactly those.
 * Must not: block (it is a local file of a few bytes) or fail the agent. */
#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int agent_notify_path(const char *db_path, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%s%s", db_path, AGENT_NOTIFY_SUFFIX);

	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

int agent_notify_touch(const char *notify_path, const char *line)
{
	size_t len = strlen(line), off = 0;
	ssize_t w;
	int fd, rc = 0, saved;

	fd = open(notify_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -1;
	while (off < len) {
		w = write(fd, line + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = -1;
			break;
		}
		off += (size_t)w;
	}
	if (rc == 0 && write(fd, "\n", 1) != 1)
		rc = -1;
	saved = errno;
	if (close(fd) < 0 && rc == 0)
		return -1;
	errno = saved;
	return rc;
}
