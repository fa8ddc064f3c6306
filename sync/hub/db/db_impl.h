/* db_impl.h — what the db front (db.c) and the two backends share and
 * nothing else sees: the common head of a connection and of a result.
 * Backends embed these as their first member. */
#ifndef PRESENTIE_HUB_DB_IMPL_H
#define PRESENTIE_HUB_DB_IMPL_H

#include "hub/db/db.h"

struct hub_db {
	const struct hub_db_ops *ops;
	int in_tx;
	char err[HUB_DB_ERR_MAX];
};

struct hub_res {
	const struct hub_db_ops *ops;
};

#endif
