/* layout.c — scale and mirroring: the screens lay out for 800x480 in design
 * pixels and these helpers turn that into window pixels at any size up to
 * 1920x1080 and beyond, and flip left and right for Arabic.
 * Must not: draw or keep state beyond struct ui's size fields. */
#include "ui.h"

void ui_layout_resize(struct ui *u, int w, int h)
{
	float sx, sy;

	u->w = w > 0 ? w : UI_DESIGN_W;
	u->h = h > 0 ? h : UI_DESIGN_H;
	sx = (float)u->w / UI_DESIGN_W;
	sy = (float)u->h / UI_DESIGN_H;
	u->s = sx < sy ? sx : sy;
	if (u->s < 0.5f)
		u->s = 0.5f;
}

int ui_px(const struct ui *u, int design)
{
	float v = (float)design * u->s;

	return (int)(v + (v >= 0 ? 0.5f : -0.5f));
}

SDL_Rect ui_mirror(const struct ui *u, SDL_Rect r)
{
	if (u->rtl)
		r.x = u->w - r.x - r.w;
	return r;
}

SDL_Rect ui_inset(SDL_Rect r, int d)
{
	r.x += d;
	r.y += d;
	r.w -= 2 * d;
	r.h -= 2 * d;
	if (r.w < 0)
		r.w = 0;
	if (r.h < 0)
		r.h = 0;
	return r;
}

SDL_Rect ui_col(SDL_Rect r, int n, int i, int g)
{
	SDL_Rect c = r;
	int x0, x1;

	if (n < 1)
		return r;
	/* Integer edges computed per column so the gaps stay even. */
	x0 = r.x + (int)((long)(r.w + g) * i / n);
	x1 = r.x + (int)((long)(r.w + g) * (i + 1) / n) - g;
	c.x = x0;
	c.w = x1 > x0 ? x1 - x0 : 0;
	return c;
}

SDL_Rect ui_row(SDL_Rect r, int n, int i, int g)
{
	SDL_Rect c = r;
	int y0, y1;

	if (n < 1)
		return r;
	y0 = r.y + (int)((long)(r.h + g) * i / n);
	y1 = r.y + (int)((long)(r.h + g) * (i + 1) / n) - g;
	c.y = y0;
	c.h = y1 > y0 ? y1 - y0 : 0;
	return c;
}
