/* jfigure.h — figures people read, as JSON numbers: a value rounded to the
 * decimals a person reads (hours 2, percentages 0), and the precision the
 * hub's JSON writer (http.c) prints reals with, so that a rounded 1.32 goes
 * out as 1.32 and not as 1.3200000000000001 (jansson's default is 17
 * significant digits, which shows the binary noise).
 * Must not: touch counts (they stay json_integer) or CSV cells (formatted by
 * their writer). */
#ifndef PRESENTIE_HUB_JFIGURE_H
#define PRESENTIE_HUB_JFIGURE_H

#include <jansson.h>

/* Significant digits of a real in a JSON answer: DBL_DIG, the most that
 * every decimal of that many digits survives (so 1.32 prints as 1.32). Use
 * as json_dumps(j, JSON_REAL_PRECISION(HUB_JSON_REAL_DIGITS) | ...). */
#define HUB_JSON_REAL_DIGITS   15
#define HUB_FIGURE_DECIMALS_MAX 6
#define HUB_HOURS_DECIMALS     2   /* volunteer hours: 1.32 */
#define HUB_PERCENT_DECIMALS   0   /* attendance: 33 (%), as on the page and in CSV */

/* v rounded half away from zero to decimals places (clamped to
 * 0..HUB_FIGURE_DECIMALS_MAX), as a new JSON real; json_null() when v is not
 * finite. Returns a new reference, NULL only when out of memory. */
json_t *hub_json_figure(double v, int decimals);

#endif
