/* icons.h — pictograms from assets/icons/<name>.svg, rasterised by
 * SDL2_image at the size they are drawn (sharp at 800x480 and 1920x1080)
 * and cached as textures. Must not: know which screen uses which icon. */
#ifndef PRESENTIE_UI_ICONS_H
#define PRESENTIE_UI_ICONS_H

#include <SDL.h>

#define UI_ICONS_MAX   32     /* cached (name, size) textures */
#define UI_ICON_NAME   32     /* bytes of an icon name */

struct ui_icons;

/* Remember dir (copied). Returns 0 and *out, or -1 on allocation failure. */
int ui_icons_open(const char *dir, struct ui_icons **out);
void ui_icons_close(struct ui_icons *ic);

/* The texture of icon name at size px x px (owned by the cache), or NULL if
 * the file is missing or unreadable (reported once on stderr). */
SDL_Texture *ui_icons_get(struct ui_icons *ic, SDL_Renderer *ren,
    const char *name, int px);

#endif
