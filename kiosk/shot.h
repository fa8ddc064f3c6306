/* shot.h — PNG screenshots of what the renderer holds (tests, the demo's
 * "PNG after every screen change"). Written to a temporary name and renamed,
 * so a reader never sees half a file. Must not: change what is on screen. */
#ifndef PRESENTIE_SHOT_H
#define PRESENTIE_SHOT_H

#include <SDL.h>
#include <stddef.h>

/* Read back the frame just drawn (call before SDL_RenderPresent) and save
 * it as PNG at path. Returns 0, or -1 with err (no file left behind). */
int shot_save(SDL_Renderer *ren, const char *path, char *err, size_t errlen);

#endif
