/* test_xlsx.c — the .xlsx reader (xlsx.h): shared and inline strings,
 * numbers, booleans, left-out rows and cells, quoting of the CSV it writes,
 * the sheet found through workbook.xml and its rels, and every refusal:
 * not a zip, a missing part, malformed XML, a DOCTYPE, a text index out of
 * range, rows out of order or too many, too many columns, a line break in
 * a cell, an entry larger than PR_XLSX_ENTRY_MAX unpacked (a zip bomb),
 * and every truncation of a good file (never a crash). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "xlsx.h"

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define WB "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook " NS \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" \
	"<sheets><sheet name=\"Blad1\" sheetId=\"1\" r:id=\"rId7\"/><sheet name=\"b\" sheetId=\"2\" r:id=\"rId8\"/>" \
	"</sheets></workbook>"
#define RELS "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
	"<Relationship Id=\"rId8\" Type=\"ws\" Target=\"worksheets/sheet1.xml\"/>" \
	"<Relationship Id=\"rId7\" Type=\"ws\" Target=\"/xl/worksheets/first.xml\"/></Relationships>"
#define SST "<sst " NS " count=\"4\" uniqueCount=\"4\"><si><t>person_id</t></si><si><t>display_name</t></si>" \
	"<si><r><t>Ay</t></r><r><t xml:space=\"preserve\">şe \"Y\"</t></r><rPh><t>PHONETIC</t></rPh></si>" \
	"<si><t>a,b;c</t></si></sst>"

struct part {
	const char *name, *body;
	size_t len;   /* 0: strlen(body) */
};

/* A zip of parts in memory; *len its size. Free with free(). */
static char *mkzip(const struct part *p, int n, size_t *len)
{
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_t *za;
	zip_int64_t end;
	char *buf;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (int i = 0; i < n; i++) {
		s = zip_source_buffer(za, p[i].body, p[i].len ? p[i].len : strlen(p[i].body), 0);
		assert_non_null(s);
		assert_true(zip_file_add(za, p[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
	end = zip_source_tell(src);
	assert_true(end > 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
	buf = malloc((size_t)end);
	assert_non_null(buf);
	assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)end), end);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len = (size_t)end;
	return buf;
}

/* Run the reader over a workbook with sheet (and shared strings sst, may be
 * NULL); *csv gets the output (free it). Returns xlsx_to_csv's result. */
static long run(const char *sheet, const char *sst, char **csv, char *err, size_t errlen)
{
	struct part p[4] = {
		{ "xl/workbook.xml", WB, 0 }, { "xl/_rels/workbook.xml.rels", RELS, 0 },
		{ "xl/worksheets/first.xml", sheet, 0 }, { "xl/sharedStrings.xml", sst, 0 },
	};
	size_t zlen, clen = 0;
	char *z = mkzip(p, sst ? 4 : 3, &zlen);
	FILE *out = open_memstream(csv, &clen);
	long rc;

	assert_non_null(out);
	assert_true(xlsx_sniff(z, zlen));
	rc = xlsx_to_csv(z, zlen, out, err, errlen);
	fclose(out);
	free(z);
	return rc;
}

#define SHEET(rows) "<?xml version=\"1.0\"?><worksheet " NS "><sheetData>" rows "</sheetData></worksheet>"

static void test_good(void **state)
{
	char err[256], *csv = NULL;
	long rc = run(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
	    "<c r=\"D1\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
	    "<row r=\"2\"><c r=\"A2\"><v>42</v></c><c r=\"B2\" t=\"s\"><v>2</v></c><c r=\"C2\" t=\"b\"><v>1</v></c></row>"
	    "<row r=\"4\"><c r=\"B4\" t=\"s\"><v>3</v></c><c r=\"C4\" t=\"str\"><v>f</v></c></row>"
	    "<row r=\"5\"><c r=\"A5\" s=\"1\"/></row>"),
	    SST, &csv, err, sizeof err);

	(void)state;
	assert_int_equal(rc, 5);
	assert_string_equal(csv, "\"person_id\",\"display_name\",\"\",\"x\"\n"
	    "\"42\",\"Ay\xc5\x9f" "e \"\"Y\"\"\",\"1\"\n"
	    "\n"
	    "\"\",\"a,b;c\",\"f\"\n"
	    "\n");
	free(csv);
}

static void test_no_refs(void **state)
{
	char err[256], *csv = NULL;
	long rc = run(SHEET("<row><c t=\"inlineStr\"><is><t>a</t></is></c><c t=\"inlineStr\"><is><t>b</t></is></c></row>"
	    "<row><c><v>1</v></c></row>"), NULL, &csv, err, sizeof err);

	(void)state;
	assert_int_equal(rc, 2);
	assert_string_equal(csv, "\"a\",\"b\"\n\"1\"\n");
	free(csv);
}

/* sheet must be refused with a message containing want. */
static void refused(const char *sheet, const char *sst, const char *want)
{
	char err[256], *csv = NULL;

	err[0] = '\0';
	assert_int_equal(run(sheet, sst, &csv, err, sizeof err), -1);
	if (strstr(err, want) == NULL)
		fail_msg("expected '%s' in '%s'", want, err);
	free(csv);
}

static void test_refusals(void **state)
{
	(void)state;
	refused(SHEET("<row r=\"1\"><c t=\"s\"><v>9</v></c></row>"), SST, "not there");
	refused(SHEET("<row r=\"1\"><c t=\"s\"><v>-1</v></c></row>"), SST, "not there");
	refused(SHEET("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>"), NULL, "not there");
	refused(SHEET("<row r=\"1\"><c><v>1</v></c></row><row r=\"1\"><c><v>1</v></c></row>"), NULL, "out of order");
	refused(SHEET("<row r=\"3\"><c><v>1</v></c></row>"), NULL, "row 1");
	refused(SHEET("<row r=\"1\"><c><v>1</v></c></row><row r=\"99999999999\"><c><v>1</v></c></row>"), NULL,
	    "more than");
	refused(SHEET("<row r=\"1\"><c r=\"AH1\"><v>1</v></c></row>"), NULL, "columns");
	refused(SHEET("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>"), NULL, "cell reference");
	refused(SHEET("<row r=\"1\"><c t=\"inlineStr\"><is><t>a\nb</t></is></c></row>"), NULL, "line break");
	refused(SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"A1\"><v>2</v></c></row>"), NULL, "twice");
	refused("<worksheet><sheetData><row r=\"1\"><c><v>1</v>", NULL, "not an .xlsx");
	refused("<worksheet><a></b></worksheet>", NULL, "mismatched tag");
	refused("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet>&a;</worksheet>", NULL,
	    "DOCTYPE");
}

static void test_not_xlsx(void **state)
{
	char err[256], *csv = NULL;
	size_t zlen, clen = 0;
	FILE *out = open_memstream(&csv, &clen);
	struct part only = { "xl/workbook.xml", WB, 0 };
	struct part norels[2] = { { "xl/workbook.xml", WB, 0 }, { "xl/_rels/workbook.xml.rels",
		"<Relationships><Relationship Id=\"rId9\" Target=\"x.xml\"/></Relationships>", 0 } };
	char *z;

	(void)state;
	assert_false(xlsx_sniff("id;name\n", 8));
	assert_int_equal(xlsx_to_csv("PK\3\4garbage", 11, out, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a zip"));
	assert_int_equal(xlsx_to_csv("", 0, out, err, sizeof err), -1);
	z = mkzip(&only, 1, &zlen);
	assert_int_equal(xlsx_to_csv(z, zlen, out, err, sizeof err), -1);
	assert_non_null(strstr(err, "workbook.xml.rels is missing"));
	free(z);
	z = mkzip(norels, 2, &zlen);
	assert_int_equal(xlsx_to_csv(z, zlen, out, err, sizeof err), -1);
	assert_non_null(strstr(err, "first sheet is not in the file"));
	free(z);
	fclose(out);
	free(csv);
}

static void test_bomb(void **state)
{
	size_t n = (size_t)PR_XLSX_ENTRY_MAX + 4096, zlen, clen = 0;
	char *big = malloc(n + 1), *z, *csv = NULL, err[256];
	struct part p[3] = { { "xl/workbook.xml", WB, 0 }, { "xl/_rels/workbook.xml.rels", RELS, 0 },
		{ "xl/worksheets/first.xml", NULL, 0 } };
	FILE *out = open_memstream(&csv, &clen);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	memcpy(big, "<worksheet>", 11);
	big[n] = '\0';
	p[2].body = big;
	p[2].len = n;
	z = mkzip(p, 3, &zlen);
	assert_true(zlen < n / 100);   /* a real bomb: compresses > 100:1 */
	assert_int_equal(xlsx_to_csv(z, zlen, out, err, sizeof err), -1);
	assert_non_null(strstr(err, "too large"));
	fclose(out);
	free(csv);
	free(z);
	free(big);
}

static void test_truncations(void **state)
{
	struct part p[4] = {
		{ "xl/workbook.xml", WB, 0 }, { "xl/_rels/workbook.xml.rels", RELS, 0 },
		{ "xl/worksheets/first.xml", SHEET("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>"), 0 },
		{ "xl/sharedStrings.xml", SST, 0 },
	};
	size_t zlen;
	char *z = mkzip(p, 4, &zlen), err[256];

	(void)state;
	for (size_t cut = 0; cut < zlen; cut += 3) {
		char *csv = NULL;
		size_t clen = 0;
		FILE *out = open_memstream(&csv, &clen);
		char *copy = malloc(cut + 1);

		assert_non_null(copy);
		memcpy(copy, z, cut);
		assert_int_equal(xlsx_to_csv(copy, cut, out, err, sizeof err), -1);
		fclose(out);
		free(csv);
		free(copy);
	}
	/* flipped bytes: any answer, never a crash */
	for (size_t i = 0; i < zlen; i += 5) {
		char *csv = NULL;
		size_t clen = 0;
		FILE *out = open_memstream(&csv, &clen);

		z[i] ^= 0x5a;
		(void)xlsx_to_csv(z, zlen, out, err, sizeof err);
		z[i] ^= 0x5a;
		fclose(out);
		free(csv);
	}
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_no_refs),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_not_xlsx),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_truncations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
