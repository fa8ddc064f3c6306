/* i18n.h — the kiosk's translations, read straight from the PO files in
 * assets/i18n (nl, en, ar, tr). The msgid is the English text.
 * Why not libintl/gettext(): the screen switches language per tap, to the
 * language of the person who tapped, independent of the process locale;
 * gettext follows LC_MESSAGES and needs a generated locale for each
 * language, and ar_* / tr_* locales are usually not generated on a kiosk.
 * A small strict PO reader (no plurals or contexts: the kiosk uses none)
 * keeps the PO files the single source of truth; `make locales` runs
 * msgfmt --check on them.
 * Must not: touch SDL or the locale; every input byte is bounded. */
#ifndef PRESENTIE_I18N_H
#define PRESENTIE_I18N_H

#include <stddef.h>

#define I18N_FILE_MAX     (256 * 1024) /* bytes of one PO file */
#define I18N_ENTRIES_MAX  1024         /* messages in one catalog */
#define I18N_STR_MAX      1024         /* bytes of one msgid or msgstr */
#define I18N_LANGS        5

/* One language's messages. */
struct i18n_catalog;
/* All languages. */
struct i18n;

struct i18n_lang {
	const char *code;      /* "nl" */
	const char *name;      /* in its own language: "Nederlands" */
	int rtl;
};
/* The languages the kiosk offers, in the order of the home screen. */
extern const struct i18n_lang i18n_langs[I18N_LANGS];

/* Parse PO text buf[0..len). Entries marked fuzzy and the header (msgid "")
 * are skipped; an empty msgstr counts as missing. Returns 0 and *out, or -1
 * with err naming the line (nothing allocated) for: invalid UTF-8, a NUL
 * byte, a bad escape, an unterminated string, msgid_plural/msgctxt, a
 * duplicate msgid, or a limit above exceeded. */
int i18n_po_parse(const char *buf, size_t len, struct i18n_catalog **out,
    char *err, size_t errlen);
/* Read and parse a PO file (at most I18N_FILE_MAX bytes). Same contract. */
int i18n_po_load(const char *path, struct i18n_catalog **out, char *err,
    size_t errlen);
void i18n_catalog_free(struct i18n_catalog *c);
size_t i18n_catalog_count(const struct i18n_catalog *c);
/* The i-th entry in msgid order; NULL past the end. */
const char *i18n_catalog_msgid(const struct i18n_catalog *c, size_t i);
const char *i18n_catalog_msgstr(const struct i18n_catalog *c, size_t i);
/* The translation of msgid, or NULL if absent. */
const char *i18n_catalog_find(const struct i18n_catalog *c, const char *msgid);

/* Load <dir>/<code>.po for every language of i18n_langs. A missing or bad
 * file is an error (err names it). Returns 0 and *out, or -1. */
int i18n_load(const char *dir, struct i18n **out, char *err, size_t errlen);
void i18n_free(struct i18n *t);

/* msgid in language lang; falls back to Dutch, then to msgid itself (and
 * reports the miss once on stderr). Never NULL; valid while t lives. */
const char *i18n_get(const struct i18n *t, const char *lang, const char *msgid);

/* Index of lang in i18n_langs, or -1. */
int i18n_lang_index(const char *lang);
/* 1 if lang is written right to left. */
int i18n_is_rtl(const char *lang);

/* The placeholders in fmt as a string of conversion letters: "%s" is the
 * only conversion the kiosk's messages use ("%%" is a literal percent).
 * Returns 0, or -1 if fmt holds any other conversion or out is too small. */
int i18n_placeholders(const char *fmt, char *out, size_t len);

/* Expand a translated message without printf: each "%s" in fmt takes the
 * next of args[0..n) ("" when they run out), "%%" becomes "%", anything else
 * is copied as is, so a broken translation can never read stray memory.
 * Returns 0, or 1 if out was too small (then it holds a cut, NUL-ended,
 * valid UTF-8 prefix). */
int i18n_format(char *out, size_t len, const char *fmt,
    const char *const *args, size_t n);

#endif
