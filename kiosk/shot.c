/* shot.c — PNG screenshots via SDL_RenderReadPixels and IMG_SavePNG.
 * Must not: leave a partial file (temporary name, then rename). */
#include "shot.h"

#include <SDL_image.h>
#include <stdio.h>

#include "limits.h"

int shot_save(SDL_Renderer *ren, const char *path, char *err, size_t errlen)
{
	SDL_Surface *s = NULL;
	char tmp[PR_PATH_MAX];
	int w, h, n, rc = -1;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		snprintf(err, errlen, "screenshot path too long");
		return -1;
	}
	if (SDL_GetRendererOutputSize(ren, &w, &h) != 0) {
		snprintf(err, errlen, "no output size: %s", SDL_GetError());
		return -1;
	}
	s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (SDL_RenderReadPixels(ren, NULL, SDL_PIXELFORMAT_RGB24, s->pixels,
	    s->pitch) != 0) {
		snprintf(err, errlen, "cannot read pixels: %s", SDL_GetError());
		goto out;
	}
	if (IMG_SavePNG(s, tmp) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, IMG_GetError());
		remove(tmp);
		goto out;
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot rename %s to %s", tmp, path);
		remove(tmp);
		goto out;
	}
	rc = 0;
out:
	SDL_FreeSurface(s);
	return rc;
}
