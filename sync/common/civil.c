/* civil.c — pr_days_from_civil of civil.h (Howard Hinnant's algorithm,
 * "chrono-Compatible Low-Level Date Algorithms").
 * Must not: call mktime/timegm or depend on TZ. */
#include "civil.h"

int64_t pr_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}
