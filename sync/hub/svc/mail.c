/* mail.c — outgoing e-mail over SMTP with libcurl (mail.h): the message
 * (RFC 5322 headers, subject as RFC 2047 UTF-8 words, body in base64 so any
 * server takes it), the transfer (STARTTLS, timeouts), the configuration.
 * Must not: print the credentials anywhere, or let a header value break a line. */
#include "hub/svc/mail.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/svc/token.h"

#define MAIL_MSG_MAX      (3 * HUB_MAIL_BODY_MAX + 2048)
#define MAIL_WORD_BYTES   45     /* bytes of subject per encoded word (60 base64 chars) */
#define MAIL_B64_LINE     57     /* bytes per body line (76 base64 chars) */
#define MAIL_HDR_FIXED    256    /* the headers besides the two addresses and the id */
#define MAIL_DATE_MAX     64     /* "Thu, 03 Dec 2026 11:47:01 +0000" */

struct upload {
	const char *p;
	size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t n, void *cls)
{
	struct upload *u = cls;
	size_t k = size * n < u->left ? size * n : u->left;

	memcpy(buf, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

int hub_mail_addr_ok(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	size_t n = s ? strlen(s) : 0;

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL || n >= HUB_EMAIL_MAX)
		return 0;
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || strchr("<>()[]\\,;:\"", *p) != NULL)
			return 0;
	return strchr(at + 1, '.') != NULL || strcmp(at + 1, "localhost") == 0;
}

int hub_mail_configured(const struct hub_mail_conf *m)
{
	return m != NULL && m->url[0] != '\0';
}

int hub_mail_conf_ca(struct hub_mail_conf *m, const char *ca_file, char *err, size_t errlen)
{
	FILE *fp;

	if (ca_file == NULL)
		return 0;
	if (!hub_mail_configured(m)) {
		snprintf(err, errlen, "--smtp-ca needs --smtp-url");
		return -1;
	}
	if (strlen(ca_file) >= sizeof(m->ca) || (fp = fopen(ca_file, "r")) == NULL) {
		snprintf(err, errlen, "--smtp-ca: cannot read %s", ca_file);
		return -1;
	}
	fclose(fp);
	snprintf(m->ca, sizeof(m->ca), "%s", ca_file);
	return 0;
}

static int read_secrets(struct hub_mail_conf *m, const char *file, char *err, size_t errlen)
{
	FILE *fp = fopen(file, "r");
	char *lines[2] = { m->user, m->pass };
	int ok = fp != NULL;

	for (int i = 0; ok && i < 2; i++) {
		if (fgets(lines[i], HUB_MAIL_SECRET_MAX, fp) == NULL)
			ok = 0;
		else
			lines[i][strcspn(lines[i], "\r\n")] = '\0';
	}
	if (fp != NULL)
		fclose(fp);
	if (!ok || m->user[0] == '\0') {
		snprintf(err, errlen, "--smtp-credentials: cannot read a user name (line 1) and password (line 2)");
		return -1;
	}
	return 0;
}

int hub_mail_conf_load(struct hub_mail_conf *m, const char *url, const char *from,
    const char *cred_file, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	if (url == NULL) {
		if (from == NULL && cred_file == NULL)
			return 0;
		snprintf(err, errlen, "--smtp-from and --smtp-credentials need --smtp-url");
		return -1;
	}
	if ((strncmp(url, "smtp://", 7) != 0 && strncmp(url, "smtps://", 8) != 0) ||
	    strlen(url) >= sizeof(m->url) || strpbrk(url, " \r\n") != NULL || strchr(url, '@') != NULL) {
		snprintf(err, errlen, "--smtp-url: smtp://HOST[:PORT] or smtps://HOST[:PORT] (no credentials in it)");
		return -1;
	}
	if (from == NULL || !hub_mail_addr_ok(from)) {
		snprintf(err, errlen, "--smtp-from: the sender's e-mail address is required");
		return -1;
	}
	snprintf(m->url, sizeof(m->url), "%s", url);
	snprintf(m->from, sizeof(m->from), "%s", from);
	if (cred_file != NULL && read_secrets(m, cred_file, err, errlen) != 0) {
		sodium_memzero(m, sizeof(*m));
		return -1;
	}
	return 0;
}

/* Append fmt to buf at *len (bounded). Returns 0 or -1 if it did not fit. */
static int add(char *buf, size_t *len, const char *s, size_t n)
{
	if (*len + n + 1 > MAIL_MSG_MAX)
		return -1;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
	return 0;
}

static int add_b64(char *buf, size_t *len, const char *s, size_t n)
{
	char b[2 * MAIL_B64_LINE + 8];

	sodium_bin2base64(b, sizeof(b), (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
	return add(buf, len, b, strlen(b));
}

/* The subject as encoded words of whole UTF-8 sequences, folded. */
static int add_subject(char *buf, size_t *len, const char *subj)
{
	size_t n = strlen(subj), i = 0;
	int rc = add(buf, len, "Subject:", 8);

	while (rc == 0 && i < n) {
		size_t k = n - i < MAIL_WORD_BYTES ? n - i : MAIL_WORD_BYTES;

		while (i + k < n && k > 1 && ((unsigned char)subj[i + k] & 0xc0) == 0x80)
			k--;
		rc = add(buf, len, i == 0 ? " =?UTF-8?B?" : "\r\n =?UTF-8?B?", i == 0 ? 11 : 13);
		if (rc == 0)
			rc = add_b64(buf, len, subj + i, k);
		if (rc == 0)
			rc = add(buf, len, "?=", 2);
		i += k;
	}
	return rc == 0 ? add(buf, len, "\r\n", 2) : rc;
}

static int compose(const struct hub_mail_conf *m, const char *to, const char *subject,
    const char *body, char *buf)
{
	char hdr[2 * HUB_EMAIL_MAX + HUB_TOKEN_STR + MAIL_HDR_FIXED], date[MAIL_DATE_MAX], id[HUB_TOKEN_STR];
	time_t now = time(NULL);
	struct tm tm;
	size_t len = 0, n = strlen(body);
	int rc;

	buf[0] = '\0';
	if (gmtime_r(&now, &tm) == NULL || strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm) == 0 ||
	    hub_token_new(id) != 0)
		return -1;
	snprintf(hdr, sizeof(hdr), "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nMessage-ID: <%s@presentie>\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n", date, m->from, to, id);
	rc = add(buf, &len, hdr, strlen(hdr));
	if (rc == 0)
		rc = add_subject(buf, &len, subject);
	if (rc == 0)
		rc = add(buf, &len, "\r\n", 2);
	for (size_t i = 0; rc == 0 && i < n; i += MAIL_B64_LINE) {
		rc = add_b64(buf, &len, body + i, n - i < MAIL_B64_LINE ? n - i : MAIL_B64_LINE);
		if (rc == 0)
			rc = add(buf, &len, "\r\n", 2);
	}
	return rc;
}

int hub_mail_send(const struct hub_mail_conf *m, const char *to, const char *subject,
    const char *body, char *err, size_t errlen)
{
	struct curl_slist *rcpt = NULL;
	struct upload up;
	char *msg, addr[HUB_EMAIL_MAX + 2];
	CURL *h;
	CURLcode cc;

	if (!hub_mail_configured(m) || !hub_mail_addr_ok(to) || strlen(subject) > HUB_MAIL_SUBJECT_MAX ||
	    strlen(body) > HUB_MAIL_BODY_MAX) {
		snprintf(err, errlen, "no mail server, or a bad address, subject or body");
		return -1;
	}
	msg = malloc(MAIL_MSG_MAX);
	if (msg == NULL || compose(m, to, subject, body, msg) != 0) {
		free(msg);
		snprintf(err, errlen, "cannot compose the message");
		return -1;
	}
	h = curl_easy_init();
	snprintf(addr, sizeof(addr), "<%s>", to);
	rcpt = curl_slist_append(NULL, addr);
	if (h == NULL || rcpt == NULL) {
		curl_slist_free_all(rcpt);
		curl_easy_cleanup(h);
		free(msg);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	up.p = msg;
	up.left = strlen(msg);
	curl_easy_setopt(h, CURLOPT_URL, m->url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, m->from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.left);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)HUB_MAIL_CONNECT_S);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)HUB_MAIL_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* STARTTLS when offered; a password only ever goes over TLS. */
	curl_easy_setopt(h, CURLOPT_USE_SSL, m->user[0] != '\0' ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (m->user[0] != '\0') {
		curl_easy_setopt(h, CURLOPT_USERNAME, m->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, m->pass);
	}
	if (m->ca[0] != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, m->ca);
	cc = curl_easy_perform(h);
	if (cc == CURLE_USE_SSL_FAILED)
		snprintf(err, errlen, "smtp: the server offers no STARTTLS; with --smtp-credentials the "
		    "hub sends only over TLS (nothing was sent)");
	else if (cc != CURLE_OK)
		snprintf(err, errlen, "smtp: %s", curl_easy_strerror(cc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	free(msg);
	return cc == CURLE_OK ? 0 : -1;
}
