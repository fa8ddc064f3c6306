/* app.c — the main loop: SDL set-up, one window and renderer, and a loop
 * that sleeps in SDL_WaitEventTimeout until an input, a thread's event
 * (reader, feed, terminal, store watcher) or the next deadline (the minute
 * changing, a screen timeout, the PIN lock countdown), and redraws only when
 * something changed. What events mean is in flow.c; the data in model.c.
 * Must not: poll with a delay, block on I/O other than the store, or draw
 * outside render(). */
#include "app.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app_int.h"
#include "sdnotify.h"
#include "feed.h"
#include "i18n.h"
#include "reader.h"
#include "shot.h"
#include "sound.h"
#include "termreader.h"
#include "ui/ui.h"
#include "walwatch.h"
#include "wedge.h"

#define APP_WAIT_MAX_MS  60000

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Milliseconds since the process started (for "start to first frame"). */
static double since_start_ms(void)
{
	char buf[1024], *p, *end;
	unsigned long long start;
	struct timespec now;
	FILE *fp = fopen("/proc/self/stat", "r");
	int field;

	if (!fp)
		return -1;
	p = fgets(buf, sizeof(buf), fp);
	fclose(fp);
	if (!p || !(p = strrchr(buf, ')')))
		return -1;
	/* field 22 (starttime) counted from the state field (3) after ')' */
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -1;
	errno = 0;
	start = strtoull(p + 1, &end, 10);
	if (errno || end == p + 1 || (*end != ' ' && *end != '\0'))
		return -1;
	clock_gettime(CLOCK_BOOTTIME, &now);
	return (double)now.tv_sec * 1000 + (double)now.tv_nsec / 1e6 -
	    (double)start * 1000 / (double)sysconf(_SC_CLK_TCK);
}

/* Trace: the touch targets of the frame, "name:arg@x,y" (centres), so
 * tests and automation can touch a button by name. */
static void trace_targets(const struct app *a)
{
	char line[4096];
	size_t i, n = 0;

	n += (size_t)snprintf(line, sizeof(line), "targets");
	for (i = 0; i < a->ui->n_hits && n < sizeof(line) - 48; i++) {
		const struct ui_hit *h = &a->ui->hits[i];
		int k = snprintf(line + n, sizeof(line) - n, " %s:%d@%d,%d",
		    ui_action_name(h->action), h->arg, h->r.x + h->r.w / 2,
		    h->r.y + h->r.h / 2);
		if (k < 0 || (size_t)k >= sizeof(line) - n)
			break;
		n += (size_t)k;
	}
	printf("%s\n", line);
	fflush(stdout);
}

/* Show page p (wrapped) of the home screen's today panel; the next comes
 * by itself after_ms later. */
static void home_page(struct app *a, int p, int64_t after_ms)
{
	int n = a->ui->home_pages;

	a->v->home_page = n > 0 ? (p % n + n) % n : 0;
	a->page_at = app_mono_ms() + after_ms;
	a->dirty = 1;
}

static void render(struct app *a, const char *shot)
{
	char err[256], path[PR_PATH_MAX];

	ui_draw(a->ui, a->v);
	/* an outcome screen stays at least as long as its words take to read
	 * at APP_READ_WPM (a tap still dismisses it at once) */
	if (a->read_from && a->home_at) {
		int64_t need = (int64_t)a->ui->words * 60000 / APP_READ_WPM + APP_READ_MARGIN_MS;
		if (a->read_from + need > a->home_at)
			a->home_at = a->read_from + need;
		if (a->trace) {
			printf("reading words=%d ms=%lld\n", a->ui->words,
			    (long long)(a->home_at - a->read_from));
			fflush(stdout);
		}
	}
	a->read_from = 0;
	/* the today panel turns its pages by itself while it has several;
	 * back on the home screen it starts at the first */
	if (a->v->screen != UI_HOME || a->ui->home_pages < 2) {
		a->page_at = 0;
		if (a->v->screen != UI_HOME)
			a->v->home_page = 0;
	} else if (!a->page_at) {
		a->page_at = app_mono_ms() + APP_PAGE_MS;
	}
	if (shot && shot_save(a->ren, shot, err, sizeof(err)) != 0)
		fprintf(stderr, "presentie-kiosk: screenshot: %s\n", err);
	if (a->cf->shots[0]) {
		int n = snprintf(path, sizeof(path), "%s/kiosk.png", a->cf->shots);
		if (n > 0 && (size_t)n < sizeof(path)) {
			if (shot_save(a->ren, path, err, sizeof(err)) != 0)
				fprintf(stderr, "presentie-kiosk: screenshot: %s\n", err);
			else if (!a->shots_announced) {
				printf("The kiosk screen is saved after every change to %s\n",
				    path);
				fflush(stdout);
				a->shots_announced = 1;
			}
		}
	}
	SDL_RenderPresent(a->ren);
	a->dirty = 0;
	if (a->bench_card) {
		/* card event from the reader -> this frame presented; CLOCK_MONOTONIC
		 * µs, compared with the emulator's card time (nfc_bench.sh) */
		a->bench_card = 0;
		fprintf(stderr, "bench nfc_frame_us=%lld screen=%d\n",
		    (long long)(mono_ns() / 1000), (int)a->v->screen);
	}
	if (a->trace) {
		trace_targets(a);
		ui_trace_print(a->ui, a->v, stdout);   /* if PRESENTIE_TRACE_TEXT */
	}
	if (!a->first_frame) {
		a->first_frame = 1;
		sdnotify_ready();
		if (a->bench)
			fprintf(stderr, "bench first_frame_ms=%.1f\n", since_start_ms());
	}
}

static void touch(struct app *a, int x, int y)
{
	int arg, act = ui_hit(a->ui, x, y, &arg);

	if (a->v->screen == UI_COORD)
		a->coord_idle_at = app_mono_ms() + (int64_t)a->cf->coord_idle_s * 1000;
	if (act == UI_ACT_PAGE)
		home_page(a, arg, APP_PAGE_TOUCH_MS);
	else if (act != UI_ACT_NONE)
		flow_action(a, act, arg);
	/* someone is reading the home screen in the language they chose: it
	 * stays while they touch it */
	if (a->v->screen == UI_HOME && strcmp(a->v->home_lang, a->cf->lang) != 0)
		a->home_at = app_mono_ms() + (int64_t)a->cf->lang_idle_s * 1000;
}

static void key(struct app *a, SDL_Keycode k, SDL_Scancode sc, Uint16 mod,
    Uint32 t_ms)
{
	int arg, act;

	if (a->wedge) {
		struct wedge_key wk;
		uint8_t uid[PR_UID_MAX_BYTES], pass[CRED_PASS_BYTES];
		size_t len = 0;
		enum wedge_result r;
		memset(&wk, 0, sizeof(wk));
		wk.ch = (k == SDLK_RETURN || k == SDLK_KP_ENTER) ? '\r'
		    : (k > 0 && k < 0x110000) ? (uint32_t)k : 0;
		wk.scancode = (uint16_t)sc;
		wk.mods = (uint16_t)(((mod & KMOD_SHIFT) ? WEDGE_MOD_SHIFT : 0) |
		    ((mod & KMOD_CTRL) ? WEDGE_MOD_CTRL : 0) |
		    ((mod & (KMOD_ALT | KMOD_MODE)) ? WEDGE_MOD_ALT : 0) |
		    ((mod & KMOD_GUI) ? WEDGE_MOD_GUI : 0) |
		    ((mod & KMOD_CAPS) ? WEDGE_MOD_CAPS : 0));
		wk.t_ms = t_ms;
		r = wedge_feed_pass(a->wedge, &wk, uid, &len, pass);
		if (r == WEDGE_UID) {
			reader_post_uid(a->key, uid, len);
			memset(uid, 0, sizeof(uid));
			return;
		}
		if (r == WEDGE_PASS) {
			reader_post_pass(a->key, pass);
			memset(pass, 0, sizeof(pass));
			return;
		}
		if (r == WEDGE_REJECTED || r == WEDGE_HELD)
			return;
	}
	act = ui_key(a->v, k, &arg);
	if (a->v->screen == UI_COORD)
		a->coord_idle_at = app_mono_ms() + (int64_t)a->cf->coord_idle_s * 1000;
	if (act == UI_ACT_PAGE)
		home_page(a, arg, APP_PAGE_TOUCH_MS);
	else if (act != UI_ACT_NONE)
		flow_action(a, act, arg);
}

static void feed_cmd(struct app *a, struct feed_cmd *c)
{
	SDL_Keycode k;

	switch (c->kind) {
	case FEED_PIN:
		flow_pin_text(a, c->text);
		break;
	case FEED_TOUCH:
		touch(a, c->x, c->y);
		break;
	case FEED_KEY:
		k = SDL_GetKeyFromName(c->text);
		if (k == SDLK_UNKNOWN)
			fprintf(stderr, "feed: line %ld: unknown key name\n", c->line);
		else
			/* a feed key is a character, not a key position: no
			 * scancode, so a wedge decoder reads it by its layout */
			key(a, k, SDL_SCANCODE_UNKNOWN, 0, SDL_GetTicks());
		break;
	case FEED_SHOT:
		render(a, c->text);
		break;
	case FEED_QUIT:
		a->running = 0;
		break;
	default:
		break;
	}
	if (a->dirty)
		render(a, NULL);
	if (c->kind == FEED_CARD && a->bench)
		fprintf(stderr, "bench tap_us=%lld screen=%d\n",
		    (long long)((mono_ns() - c->t_read_ns) / 1000), (int)a->v->screen);
}

/* A key typed on the terminal demo reader (see termreader.h). */
static void term_key(struct app *a, int c)
{
	uint8_t uid[7];

	if (a->v->screen == UI_PIN && c >= '0' && c <= '9') {
		flow_action(a, UI_ACT_DIGIT, c - '0');
	} else if (a->v->screen == UI_PIN && (c == '\n' || c == '\r')) {
		flow_action(a, UI_ACT_PIN_OK, 0);
	} else if (a->v->screen == UI_PIN && (c == 127 || c == 8)) {
		flow_action(a, UI_ACT_BACKSPACE, 0);
	} else if (c >= '1' && c <= '9' && termreader_demo_uid(c - '0', uid) == 0) {
		reader_post_uid(a->key, uid, sizeof(uid));
		reader_post_gone();
		memset(uid, 0, sizeof(uid));
	} else if (c == TERMREADER_UNKNOWN_KEY) {
		termreader_unknown_uid(uid);
		reader_post_uid(a->key, uid, sizeof(uid));
		reader_post_gone();
		memset(uid, 0, sizeof(uid));
	} else if (c == 'p' || c == 'P') {
		flow_action(a, UI_ACT_PIN, 0);
	} else if (c == 'h' || c == 'H' || c == 27) {
		flow_home(a);
	} else if (c == 'q' || c == 'Q') {
		a->running = 0;
	}
}

static void handle(struct app *a, SDL_Event *ev)
{
	if (ev->type == SDL_QUIT) {
		a->running = 0;
	} else if (ev->type == SDL_MOUSEBUTTONDOWN) {
		if (ev->button.button == SDL_BUTTON_LEFT)
			touch(a, ev->button.x, ev->button.y);
	} else if (ev->type == SDL_KEYDOWN) {
		if (!ev->key.repeat)
			key(a, ev->key.keysym.sym, ev->key.keysym.scancode,
			    ev->key.keysym.mod, ev->key.timestamp);
	} else if (ev->type == SDL_WINDOWEVENT) {
		if (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
		    ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
			a->dirty = 1;
	} else if (ev->type == SDL_RENDER_TARGETS_RESET ||
	    ev->type == SDL_RENDER_DEVICE_RESET) {
		a->dirty = 1;
	} else if (ev->type == reader_ev_card) {
		struct reader_card *c = ev->user.data1;
		if (c) {
			a->bench_card = a->bench;
			flow_card(a, c->mac, (int)c->status);
			memset(c, 0, sizeof(*c));
			free(c);
		}
	} else if (ev->type == reader_ev_gone) {
		if (a->v->screen == UI_COORD && a->v->coord_page == UI_CP_CARDNO) {
			a->v->card_hex[0] = '\0';
			a->dirty = 1;
		}
	} else if (ev->type == reader_ev_state) {
		static const char *const names[] = { "none", "connecting", "ready",
			"disconnected" };
		a->v->reader_state = ev->user.code;
		a->dirty = 1;
		if (a->trace && ev->user.code >= 0 && ev->user.code <= 3) {
			printf("reader %s\n", names[ev->user.code]);
			fflush(stdout);
		}
	} else if (ev->type == feed_ev) {
		struct feed_cmd *c = ev->user.data1;
		if (c) {
			feed_cmd(a, c);
			free(c);
		}
		feed_ack(a->feed);
	} else if (ev->type == termreader_ev) {
		term_key(a, ev->user.code);
	} else if (ev->type == walwatch_ev) {
		if (model_status(a) | model_card_link(a))
			a->dirty = 1;
		if (model_newcomers(a) && a->v->screen == UI_HOME) {
			newcomer_offer(a);       /* the coordinator switched it */
			a->dirty = 1;
		}
	}
}

/* Milliseconds until the next thing that needs a redraw without input. */
static int next_wait(struct app *a, int64_t now_ms)
{
	int64_t wall_ms, wait, t;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	wait = 60000 - wall_ms % 60000 + 5;          /* the clock's minute */
	if (a->v->screen == UI_PIN && a->v->lock_left > 0) {
		t = 1000 - wall_ms % 1000 + 5;        /* countdown */
		if (t < wait)
			wait = t;
	}
	if (a->home_at && a->home_at - now_ms < wait)
		wait = a->home_at - now_ms;
	if (a->coord_idle_at && a->coord_idle_at - now_ms < wait)
		wait = a->coord_idle_at - now_ms;
	if (a->page_at && a->page_at - now_ms < wait)
		wait = a->page_at - now_ms;
	if (a->card_link_until && a->card_link_until * 1000 - wall_ms + 5 < wait)
		wait = a->card_link_until * 1000 - wall_ms + 5;   /* the prompt goes */
	t = sdnotify_wait_max_ms();                  /* feed systemd's watchdog */
	if (t > 0 && t < wait)
		wait = t;
	if (wait < 0)
		wait = 0;
	return wait > APP_WAIT_MAX_MS ? APP_WAIT_MAX_MS : (int)wait;
}

static void minute(struct app *a)
{
	int64_t m = app_now_s() / 60;

	if (m == a->minute_key)
		return;
	a->minute_key = m;
	model_clock(a);
	if (a->v->screen == UI_HOME) {
		model_today(a);
		newcomer_offer(a);
	}
	a->dirty = 1;
}

static int setup(struct app *a, char *err, size_t errlen)
{
	const struct kconf *cf = a->cf;
	char dir[PR_PATH_MAX];
	Uint32 wflags = SDL_WINDOW_SHOWN, rflags = 0;
	int w = cf->win_w, h = cf->win_h;

	SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "1");
	/* The kiosk redraws a few times a minute: the software renderer with a
	 * plain X11/Wayland shared-memory framebuffer is fast enough (a frame
	 * at 800x480 in a few ms) and keeps the GL stack (on a PC Mesa's
	 * llvmpipe: ~40 MB of LLVM) out of the process. "auto" lets SDL pick. */
	if (!strcmp(cf->renderer, "software")) {
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
		SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
	}
	/* no SDL_INIT_AUDIO: SDL2's ALSA driver wakes its hotplug thread 10
	 * times a second while the audio subsystem is up; the chime goes
	 * through alsa-lib (sound.h) */
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		snprintf(err, errlen, "SDL: %s", SDL_GetError());
		return -1;
	}
	if (TTF_Init() != 0) {
		snprintf(err, errlen, "SDL_ttf: %s", TTF_GetError());
		return -1;
	}
	if (w == 0) {
		wflags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
		SDL_ShowCursor(SDL_DISABLE);
	}
	a->win = SDL_CreateWindow("Presentie", SDL_WINDOWPOS_CENTERED,
	    SDL_WINDOWPOS_CENTERED, w ? w : UI_DESIGN_W, h ? h : UI_DESIGN_H, wflags);
	if (!a->win) {
		snprintf(err, errlen, "window: %s", SDL_GetError());
		return -1;
	}
	if (!strcmp(cf->renderer, "software"))
		rflags = SDL_RENDERER_SOFTWARE;
	a->ren = SDL_CreateRenderer(a->win, -1, rflags);
	if (!a->ren)
		a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
	if (!a->ren) {
		snprintf(err, errlen, "renderer: %s", SDL_GetError());
		return -1;
	}
	if (snprintf(dir, sizeof(dir), "%.4000s/i18n", cf->assets) < 0 ||
	    i18n_load(dir, &a->tr, err, errlen) != 0)
		return -1;
	if (snprintf(dir, sizeof(dir), "%.4000s/icons", cf->assets) < 0 ||
	    ui_create(a->ren, a->tr, cf->fonts, dir, &a->ui, err, errlen) != 0)
		return -1;
	/* every text of every frame, for layout tests (tests/integration) */
	if (a->trace && getenv("PRESENTIE_TRACE_TEXT") &&
	    ui_trace_enable(a->ui) != 0)
		fprintf(stderr, "presentie-kiosk: no text trace (out of memory)\n");
	if (reader_events_init() != 0) {
		snprintf(err, errlen, "SDL events: %s", SDL_GetError());
		return -1;
	}
	if (walwatch_start(cf->db, &a->ww) != 0)
		fprintf(stderr, "presentie-kiosk: not watching the store for sync "
		    "updates\n");
	if (sound_open(cf->sound, a->bench, &a->snd, err, errlen) != 0) {
		if (strcmp(cf->sound, "off") != 0)
			fprintf(stderr, "presentie-kiosk: no sound (%s)\n", err);
		a->snd = NULL;
	} else if (err[0]) {
		fprintf(stderr, "presentie-kiosk: no sound yet (%s); trying "
		    "again at each chime\n", err);
	}
	err[0] = '\0';
	return 0;
}

static int start_inputs(struct app *a)
{
	const struct kconf *cf = a->cf;

	if (cf->wedge != KCONF_WEDGE_OFF) {
		struct wedge_config wc;
		wedge_config_default(&wc);
		wc.layout = cf->wedge == KCONF_WEDGE_AZERTY ? WEDGE_LAYOUT_AZERTY
		    : WEDGE_LAYOUT_QWERTY;
		if (cf->wedge_gap_ms > 0)
			wc.max_gap_ms = cf->wedge_gap_ms;
		a->wedge = wedge_new(&wc);
		if (!a->wedge)
			return -1;
	}
	if (cf->nfc_enabled) {
		struct reader_nfc_config nc;
		memset(&nc, 0, sizeof(nc));
		nc.connstring = cf->nfc[0] ? cf->nfc : NULL;
		nc.modulations = cf->nfc_modulations;
		nc.poll_period = cf->nfc_poll_period;
		nc.poll_mode = cf->nfc_poll_mode;
		nc.list_gap_ms = cf->nfc_poll_gap_ms;
		nc.list_idle_s = cf->nfc_poll_idle_s;
		a->v->reader_state = READER_CONNECTING;
		if (reader_nfc_start(&nc, a->key, &a->nfc) != 0)
			return -1;
	}
	if (cf->feed[0] && feed_start(cf->feed, a->key, &a->feed) != 0)
		return -1;
	if (cf->term_reader && termreader_start(&a->term) != 0)
		return -1;
	return 0;
}

static void teardown(struct app *a)
{
	reader_nfc_stop(a->nfc);
	feed_stop(a->feed);
	termreader_stop(a->term);
	walwatch_stop(a->ww);
	wedge_free(a->wedge);
	sound_close(a->snd);
	ui_destroy(a->ui);
	i18n_free(a->tr);
	if (a->ren)
		SDL_DestroyRenderer(a->ren);
	if (a->win)
		SDL_DestroyWindow(a->win);
	if (TTF_WasInit())
		TTF_Quit();
	SDL_Quit();
	memset(a->key, 0, sizeof(a->key));
	memset(a->pin, 0, sizeof(a->pin));
}

int app_run(const struct kconf *cf, struct store *st)
{
	struct app *a = calloc(1, sizeof(*a));
	const char *bench;
	char err[512];
	int rc = 1;

	if (!a)
		return 1;
	a->cf = cf;
	a->st = st;
	a->v = calloc(1, sizeof(*a->v));
	bench = getenv("PRESENTIE_BENCH");
	a->bench = bench && strcmp(bench, "1") == 0;
	a->trace = cf->feed[0] || getenv("PRESENTIE_TRACE");
	if (!a->v)
		goto out;
	if (setup(a, err, sizeof(err)) != 0) {
		fprintf(stderr, "presentie-kiosk: %s\n", err);
		goto out;
	}
	model_init(a);
	rules_config_default(&a->rc);
	a->rc.early_s = (int64_t)cf->early_min * 60;
	a->rc.repeat_s = cf->repeat_s;
	a->rc.checkout_all = cf->checkout_all;
	snprintf(a->v->home_lang, sizeof(a->v->home_lang), "%s", cf->lang);
	a->v->pending = -1;
	a->v->reader_state = READER_NONE;
	a->v->card_source = a->wedge != NULL || cf->term_reader || cf->feed[0];
	model_status(a);
	model_card_link(a);
	a->org_newcomers = -1;
	model_newcomers(a);
	model_clock(a);
	a->minute_key = app_now_s() / 60;
	flow_home(a);
	if (start_inputs(a) != 0) {
		fprintf(stderr, "presentie-kiosk: could not start an input source\n");
		goto out;
	}
	sdnotify_init();
	a->running = 1;
	while (a->running) {
		SDL_Event ev;
		int64_t now;
		if (a->dirty)
			render(a, NULL);
		now = app_mono_ms();
		if (SDL_WaitEventTimeout(&ev, next_wait(a, now)))
			handle(a, &ev);
		sdnotify_watchdog(app_mono_ms());
		flow_deadlines(a, app_mono_ms());
		if (a->page_at && app_mono_ms() >= a->page_at)
			home_page(a, a->v->home_page + 1, APP_PAGE_MS);
		minute(a);
	}
	rc = a->exit_code;
out:
	teardown(a);
	free(a->v);
	free(a);
	return rc;
}
