/* icons.c — SVG pictograms rasterised at their drawn size, cached.
 * Must not: fail the frame when an icon is missing (it is simply not drawn). */
#include "icons.h"

#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"

struct icon {
	char name[UI_ICON_NAME];
	int px;
	SDL_Texture *tex;      /* NULL with failed=1: do not try again */
	int failed;
	unsigned last;
};

struct ui_icons {
	char dir[PR_PATH_MAX];
	struct icon slot[UI_ICONS_MAX];
	unsigned tick;
};

int ui_icons_open(const char *dir, struct ui_icons **out)
{
	struct ui_icons *ic = calloc(1, sizeof(*ic));

	*out = NULL;
	if (!ic)
		return -1;
	snprintf(ic->dir, sizeof(ic->dir), "%s", dir);
	*out = ic;
	return 0;
}

void ui_icons_close(struct ui_icons *ic)
{
	size_t i;

	if (!ic)
		return;
	for (i = 0; i < UI_ICONS_MAX; i++)
		if (ic->slot[i].tex)
			SDL_DestroyTexture(ic->slot[i].tex);
	free(ic);
}

static SDL_Texture *load(struct ui_icons *ic, SDL_Renderer *ren,
    const char *name, int px)
{
	char path[PR_PATH_MAX];
	SDL_RWops *rw;
	SDL_Surface *s;
	SDL_Texture *t;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s.svg", ic->dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	rw = SDL_RWFromFile(path, "rb");
	if (!rw) {
		fprintf(stderr, "icons: cannot open %s\n", path);
		return NULL;
	}
	s = IMG_LoadSizedSVG_RW(rw, px, px);
	SDL_RWclose(rw);
	if (!s) {
		fprintf(stderr, "icons: cannot read %s: %s\n", path, IMG_GetError());
		return NULL;
	}
	t = SDL_CreateTextureFromSurface(ren, s);
	SDL_FreeSurface(s);
	if (t)
		SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
	return t;
}

SDL_Texture *ui_icons_get(struct ui_icons *ic, SDL_Renderer *ren,
    const char *name, int px)
{
	struct icon *slot = NULL;
	size_t i;

	if (!name || strlen(name) >= UI_ICON_NAME || px <= 0 || px > 2048)
		return NULL;
	ic->tick++;
	for (i = 0; i < UI_ICONS_MAX; i++) {
		struct icon *c = &ic->slot[i];
		if ((c->tex || c->failed) && c->px == px && strcmp(c->name, name) == 0) {
			c->last = ic->tick;
			return c->tex;
		}
	}
	for (i = 0; i < UI_ICONS_MAX; i++) {
		struct icon *c = &ic->slot[i];
		if (!c->tex && !c->failed) {
			slot = c;
			break;
		}
		if (!slot || c->last < slot->last)
			slot = c;
	}
	if (slot->tex)
		SDL_DestroyTexture(slot->tex);
	memset(slot, 0, sizeof(*slot));
	snprintf(slot->name, sizeof(slot->name), "%s", name);
	slot->px = px;
	slot->last = ic->tick;
	slot->tex = load(ic, ren, name, px);
	slot->failed = slot->tex == NULL;
	return slot->tex;
}
