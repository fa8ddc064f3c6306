/* civil.h — calendar arithmetic on proleptic Gregorian dates, shared by the
 * demo placement and the agent's HTTP/ISO 8601 time parsers.
 * Owns: day counts only. Must not: look at time zones or the clock. */
#ifndef PRESENTIE_CIVIL_H
#define PRESENTIE_CIVIL_H

#include <stdint.h>

/* Days since 1970-01-01 of year y, month m (1..12), day d (1..31; a larger
 * or smaller d counts on into the next or previous months). Negative
 * before 1970. Pure; does not validate (H. Hinnant's days_from_civil). */
int64_t pr_days_from_civil(int64_t y, int m, int d);

#endif
