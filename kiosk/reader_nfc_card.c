/* reader_nfc_card.c — what identifies a card in a libnfc target, and the
 * presence check for type A cards libnfc cannot ping itself.
 * Must not: log or print a UID; keep one beyond the caller's buffer. */
#include <string.h>

#include "reader_nfc_int.h"

int
reader_nfc_card_from_target(const nfc_target *nt, struct reader_nfc_card *out)
{
	const uint8_t *id = NULL;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	switch (nt->nm.nmt) {
	case NMT_ISO14443A:
		n = nt->nti.nai.szUidLen;
		if (n != 4 && n != 7 && n != 10)
			return -1;
		id = nt->nti.nai.abtUid;
		break;
	case NMT_FELICA:
		n = sizeof(nt->nti.nfi.abtId);          /* IDm, 8 bytes */
		id = nt->nti.nfi.abtId;
		break;
	case NMT_ISO14443B:
		n = sizeof(nt->nti.nbi.abtPupi);        /* PUPI, 4 bytes */
		id = nt->nti.nbi.abtPupi;
		break;
	default:
		return -1;
	}
	if (n < PR_UID_MIN_BYTES || n > PR_UID_MAX_BYTES)
		return -1;
	memcpy(out->uid, id, n);
	out->len = (uint8_t)n;
	return 0;
}

int
reader_nfc_card_same(const struct reader_nfc_card *a,
    const struct reader_nfc_card *b)
{
	unsigned diff = (unsigned)(a->len ^ b->len);

	for (size_t i = 0; i < sizeof(a->uid); i++)
		diff |= (unsigned)(a->uid[i] ^ b->uid[i]);
	return diff == 0;
}

int
reader_nfc_reselect(nfc_device *dev, const nfc_target *nt, nfc_target *out)
{
	uint8_t cas[12];
	size_t n, len;
	const uint8_t *uid;
	int res;

	if (nt->nm.nmt != NMT_ISO14443A)
		return 0;       /* no cheap ping: treat as gone, the next poll sees it */
	uid = nt->nti.nai.abtUid;
	len = nt->nti.nai.szUidLen;
	/* Cascade tags as ISO 14443-3 selects double and triple size UIDs. */
	if (len == 7) {
		cas[0] = 0x88;
		memcpy(cas + 1, uid, 7);
		n = 8;
	} else if (len == 10) {
		cas[0] = 0x88;
		memcpy(cas + 1, uid, 3);
		cas[4] = 0x88;
		memcpy(cas + 5, uid + 3, 7);
		n = 12;
	} else if (len == 4) {
		memcpy(cas, uid, 4);
		n = 4;
	} else {
		return 0;
	}
	res = nfc_initiator_select_passive_target(dev, nt->nm, cas, n, out);
	memset(cas, 0, sizeof(cas));
	if (res > 0)
		return 1;
	if (res == 0 || res == NFC_ETIMEOUT || res == NFC_ERFTRANS)
		return 0;
	return res;
}
