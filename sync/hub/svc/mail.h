/* mail.h — the hub's outgoing e-mail: one plain-text UTF-8 message to one
 * address through the operator's SMTP server (libcurl: STARTTLS when the
 * server offers it, required when a password is sent; smtps:// for TLS
 * from the start), with timeouts. The operator configures it with
 * `serve --smtp-url --smtp-from [--smtp-credentials FILE] [--smtp-ca FILE]`
 * (the server's certificate is always verified: against the system's CAs,
 * or against FILE for a server with a private CA or a self-signed one).
 * Must not: log or return the credentials, or send without a configured
 * server (hub_mail_configured says whether there is one). */
#ifndef PRESENTIE_HUB_MAIL_H
#define PRESENTIE_HUB_MAIL_H

#include <stddef.h>

#include "hub/svc/login.h"

#define HUB_MAIL_URL_MAX        512
#define HUB_MAIL_SECRET_MAX     256   /* user name or password */
#define HUB_MAIL_CONNECT_S      10
#define HUB_MAIL_TIMEOUT_S      30    /* one whole send */
#define HUB_MAIL_SUBJECT_MAX    400
#define HUB_MAIL_BODY_MAX       4096
#define HUB_MAIL_ERR_MAX        256
#define HUB_MAIL_CA_MAX         1024  /* path of a CA file */

struct hub_mail_conf {
	char url[HUB_MAIL_URL_MAX];       /* smtp://host:port or smtps://host:port; "" = none */
	char from[HUB_EMAIL_MAX];
	char user[HUB_MAIL_SECRET_MAX];   /* "" = no authentication */
	char pass[HUB_MAIL_SECRET_MAX];
	char ca[HUB_MAIL_CA_MAX];         /* PEM file to verify the server with; "" = system CAs */
};

/* Fill m from the options: url (smtp:// or smtps://, or NULL for none),
 * from (an address; required with url), cred_file (NULL, or a file whose
 * first line is the user name and second the password). Returns 0, or -1
 * with err (which never holds a secret). m is zeroed on failure. */
int hub_mail_conf_load(struct hub_mail_conf *m, const char *url, const char *from,
    const char *cred_file, char *err, size_t errlen);

/* Verify the mail server's certificate against the PEM file ca_file (NULL:
 * the system's CAs, m unchanged) instead of the system's CAs. Needs a
 * loaded m with a server. Returns 0, or -1 with err (m unchanged) if there
 * is no server or the file cannot be read. */
int hub_mail_conf_ca(struct hub_mail_conf *m, const char *ca_file, char *err, size_t errlen);

/* 1 if m names a server, else 0 (m may be NULL). */
int hub_mail_configured(const struct hub_mail_conf *m);

/* 1 if s is a plausible single e-mail address (local@domain, no spaces,
 * control characters, or angle brackets; under HUB_EMAIL_MAX), else 0. */
int hub_mail_addr_ok(const char *s);

/* Send subject and body (UTF-8 text; lines end in \n) from m->from to to.
 * Blocks up to HUB_MAIL_TIMEOUT_S. curl_global_init must have been called.
 * Returns 0 when the server accepted the message, -1 with err otherwise. */
int hub_mail_send(const struct hub_mail_conf *m, const char *to, const char *subject,
    const char *body, char *err, size_t errlen);

#endif
