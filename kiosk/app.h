/* app.h — the kiosk's main loop: one SDL window, the screens, and every
 * input source (touch, keys, card readers, --feed, terminal) turned into
 * SDL events it sleeps on (SDL_WaitEventTimeout only up to the next minute
 * or screen deadline; it redraws only when something changed).
 * Must not: be entered twice in one process; wait on the network. */
#ifndef PRESENTIE_APP_H
#define PRESENTIE_APP_H

struct kconf;
struct store;

/* Run the kiosk on store st (opened by the caller, not closed here) until
 * quit, `quit` in the feed, q on the terminal reader, or a coordinator
 * leaves kiosk mode. Returns the process exit code (0, or 1 if SDL, the
 * fonts or the translations could not be set up; the reason is on stderr). */
int app_run(const struct kconf *cf, struct store *st);

#endif
