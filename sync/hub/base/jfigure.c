/* jfigure.c — see jfigure.h: round a figure to the decimals a person reads
 * and wrap it as a JSON real.
 * Must not: format text; the digits printed are the JSON writer's
 * (JSON_REAL_PRECISION(HUB_JSON_REAL_DIGITS)). */
#include "hub/base/jfigure.h"

#include <float.h>
#include <math.h>

#define HALF_NUDGE_ULPS 4   /* relative nudge, in DBL_EPSILONs, before rounding */

json_t *hub_json_figure(double v, int decimals)
{
	static const double scale[HUB_FIGURE_DECIMALS_MAX + 1] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	double x, r;

	if (!isfinite(v))
		return json_null();
	if (decimals < 0)
		decimals = 0;
	if (decimals > HUB_FIGURE_DECIMALS_MAX)
		decimals = HUB_FIGURE_DECIMALS_MAX;
	/* v is usually a quotient (ms / 3600000) carrying binary noise: 2.425 h
	 * arrives as 2.42499999999999982. A nudge of a few ulps away from zero
	 * lets such a half round up, as the exact figure (and the export) does. */
	x = v * scale[decimals];
	r = round(x + copysign(fabs(x) * HALF_NUDGE_ULPS * DBL_EPSILON, x)) / scale[decimals];
	if (!isfinite(r))                 /* v * scale overflowed: v has no decimals to round */
		r = v;
	return json_real(r == 0.0 ? 0.0 : r);   /* never "-0.0" */
}
