/* trace.c — what the last frame drew, for tests and automation: every text
 * with the box it was given, where its pixels landed (ink), and whether it
 * was cut (an ellipsis), spilled out of its box or fell (partly) off the
 * screen. Off
 * unless ui_trace_enable was called; printed with ui_trace_print.
 * Must not: change what is drawn, or keep more than one frame. */
#include "ui.h"

#include <stdlib.h>
#include <string.h>

struct rec {
	SDL_Rect box, ink;       /* window pixels; ink: the pixels drawn */
	int cut;
	size_t off;              /* text at bytes + off, NUL-terminated */
};

struct mark {
	const char *name;        /* a string literal of the caller */
	long value;
};

struct ui_trace {
	struct rec recs[UI_TRACE_TEXTS_MAX];
	struct mark marks[UI_TRACE_MARKS_MAX];
	size_t n, used, dropped, n_marks;
	char bytes[UI_TRACE_BYTES];
};

int ui_trace_enable(struct ui *u)
{
	if (u->trace)
		return 0;
	u->trace = calloc(1, sizeof(*u->trace));
	return u->trace ? 0 : -1;
}

void ui_trace_free(struct ui *u)
{
	free(u->trace);
	u->trace = NULL;
}

void ui_trace_frame(struct ui *u)
{
	if (!u->trace)
		return;
	u->trace->n = u->trace->used = u->trace->dropped = u->trace->n_marks = 0;
}

void ui_trace_mark(struct ui *u, const char *name, long value)
{
	struct ui_trace *t = u->trace;

	if (!t || t->n_marks == UI_TRACE_MARKS_MAX)
		return;
	t->marks[t->n_marks].name = name;
	t->marks[t->n_marks].value = value;
	t->n_marks++;
}

void ui_trace_text(struct ui *u, SDL_Rect box, SDL_Rect ink, int cut,
    const char *s)
{
	struct ui_trace *t = u->trace;
	size_t len;

	if (!t)
		return;
	len = strlen(s);
	if (t->n == UI_TRACE_TEXTS_MAX || len + 1 > UI_TRACE_BYTES - t->used) {
		t->dropped++;
		return;
	}
	t->recs[t->n].box = box;
	t->recs[t->n].ink = ink;
	t->recs[t->n].cut = cut;
	t->recs[t->n].off = t->used;
	memcpy(t->bytes + t->used, s, len + 1);
	t->used += len + 1;
	t->n++;
}

/* 1 if a lies within b. */
static int inside(SDL_Rect a, SDL_Rect b)
{
	return a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w &&
	    a.y + a.h <= b.y + b.h;
}

/* The text on one line: newlines and backslashes escaped. */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\\')
			fputs("\\\\", f);
		else
			fputc(*s, f);
	}
}

void ui_trace_print(const struct ui *u, const struct ui_view *v, FILE *f)
{
	const struct ui_trace *t = u->trace;
	SDL_Rect screen = {0, 0, u->w, u->h};
	size_t i;

	if (!t)
		return;
	fprintf(f, "frame screen=%d size=%dx%d page=%d/%d texts=%zu dropped=%zu\n",
	    (int)v->screen, u->w, u->h, u->home_pages ? v->home_page %
	    u->home_pages + 1 : 1, u->home_pages ? u->home_pages : 1, t->n,
	    t->dropped);
	for (i = 0; i < t->n; i++) {
		const struct rec *r = &t->recs[i];
		fprintf(f, "text at=%d,%d,%d,%d box=%d,%d,%d,%d cut=%d over=%d "
		    "off=%d s=", r->ink.x, r->ink.y, r->ink.w, r->ink.h,
		    r->box.x, r->box.y, r->box.w, r->box.h, r->cut,
		    !inside(r->ink, r->box), !inside(r->ink, screen));
		put_escaped(f, t->bytes + r->off);
		fputc('\n', f);
	}
	for (i = 0; i < t->n_marks; i++)
		fprintf(f, "mark %s=%ld\n", t->marks[i].name, t->marks[i].value);
	fputs("frame end\n", f);
	fflush(f);
}
