/* dash_print.h — shared by the pass and print handlers (dash_pass.c,
 * dash_print.c): a growable output buffer for cairo's stream writers and the
 * names a card shows. Must not: be included outside those two files. */
#ifndef PRESENTIE_HUB_DASH_PRINT_H
#define PRESENTIE_HUB_DASH_PRINT_H

#include <cairo.h>
#include <stddef.h>

#include "hub/dash/dash.h"

#define DASH_PRINT_MAX   (16 << 20)  /* bytes of one PDF or PNG answer */
#define DASH_PASS_PNG_W  856         /* the phone image: a card at 10 px/mm */
#define DASH_PASS_PNG_H  540

/* Output of a cairo stream: malloc'd p (owner frees), len, capped at
 * DASH_PRINT_MAX (then failed is set and writes report an error). */
struct dash_out {
	unsigned char *p;
	size_t len, cap;
	int failed;
};

/* cairo_write_func_t appending to a struct dash_out (closure). */
cairo_status_t dash_out_write(void *closure, const unsigned char *data, unsigned int length);

/* The person's display and first name and the organisation's name. Returns
 * 1 (filled), 0 (no such person of the org) or a db error code. */
int dash_card_names(struct dash_call *c, const char *person, char name[PR_NAME_MAX],
    char first[PR_NAME_MAX], char org[PR_NAME_MAX]);

#endif
