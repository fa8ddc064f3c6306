/* reader_nfc_wait.c — WAIT mode's chip commands: one InListPassiveTarget
 * that the PN53x repeats itself (MxRtyPassiveActivation 0xFF) while the
 * reader thread sleeps in libnfc's blocking read, and the GetFirmwareVersion
 * ping of a re-arm. Uses pn53x_transceive, which libnfc 1.8.0 exports (its
 * pn53x-tamashell uses it) but does not declare in nfc/nfc.h: the public
 * nfc_initiator_select_passive_target always gives InListPassiveTarget a
 * 300 ms host timeout (pn53x.c), i.e. >= 3 wakeups/s with no card.
 * Must not: log or keep a UID; be called but from the reader thread. */
#include <string.h>

#include "reader_nfc_int.h"

/* libnfc/chips/pn53x.h (not installed); exported by libnfc.so.6. timeout:
 * ms, 0 none, -1 libnfc's default. Returns the answer's length (the bytes
 * after the D5 <cmd+1> header) or a negative libnfc error. */
int pn53x_transceive(struct nfc_device *pnd, const uint8_t *pbtTx,
    const size_t szTx, uint8_t *pbtRx, const size_t szRxLen, int timeout);

#define WAIT_CMD_LIST     0x4A  /* InListPassiveTarget */
#define WAIT_CMD_FW       0x02  /* GetFirmwareVersion */
#define WAIT_NO_TIMEOUT   0     /* pn53x_transceive: block until answer/abort */
#define WAIT_ANSWER_MAX   64    /* NbTg Tg SENS_RES(2) SEL_RES len UID ATS */
#define WAIT_UID_AT       6     /* NFCID1 after NbTg Tg SENS_RES SEL_RES len */

/* Driver names (connstring prefixes) of PN53x chips behind libnfc's
 * pn53x_transceive. acr122_* and arygon are PN53x too but wrap frames
 * differently: left to LIST rounds. */
static const char *const wait_drivers[] = {
	"pn532_uart:", "pn532_i2c:", "pn532_spi:", "pn53x_usb:",
};

int
reader_nfc_wait_supported(nfc_device *dev)
{
	const char *cs = nfc_device_get_connstring(dev);

	if (!cs)
		return 0;
	for (size_t i = 0; i < sizeof(wait_drivers) / sizeof(wait_drivers[0]); i++)
		if (strncmp(cs, wait_drivers[i], strlen(wait_drivers[i])) == 0)
			return 1;
	return 0;
}

int
reader_nfc_wait_card(nfc_device *dev, nfc_target *nt)
{
	static const uint8_t cmd[] = { WAIT_CMD_LIST, 0x01, 0x00 };
	uint8_t rx[WAIT_ANSWER_MAX];
	int res;

	memset(nt, 0, sizeof(*nt));
	/* RFConfiguration MaxRetries FF FF FF (libnfc's NP_INFINITE_SELECT). */
	res = nfc_device_set_property_bool(dev, NP_INFINITE_SELECT, true);
	if (res < 0)
		return res;
	res = pn53x_transceive(dev, cmd, sizeof(cmd), rx, sizeof(rx),
	    WAIT_NO_TIMEOUT);
	if (res < 0) {
		/* After an abort the chip has had its ACK: single tries again
		 * (a stop or a lost device does not care). */
		(void)nfc_device_set_property_bool(dev, NP_INFINITE_SELECT, false);
		return res;
	}
	if (res < WAIT_UID_AT || rx[0] < 1 || rx[5] > sizeof(nt->nti.nai.abtUid) ||
	    (size_t)res < WAIT_UID_AT + (size_t)rx[5]) {
		explicit_bzero(rx, sizeof(rx));
		return 0;       /* "no target" (not with 0xFF): wait again */
	}
	nt->nm = (nfc_modulation){ NMT_ISO14443A, NBR_106 };
	nt->nti.nai.abtAtqa[0] = rx[2];
	nt->nti.nai.abtAtqa[1] = rx[3];
	nt->nti.nai.btSak = rx[4];
	nt->nti.nai.szUidLen = rx[5];
	memcpy(nt->nti.nai.abtUid, rx + WAIT_UID_AT, rx[5]);
	explicit_bzero(rx, sizeof(rx));
	return 1;
}

int
reader_nfc_wait_adopt(nfc_device *dev, const nfc_target *seen, nfc_target *nt)
{
	int res = nfc_device_set_property_bool(dev, NP_INFINITE_SELECT, false);

	memset(nt, 0, sizeof(*nt));
	if (res < 0)
		return res;
	/* libnfc decodes the target and makes it its current one. */
	return reader_nfc_reselect(dev, seen, nt);
}

int
reader_nfc_ping(nfc_device *dev, int timeout_ms)
{
	static const uint8_t cmd[] = { WAIT_CMD_FW };
	uint8_t rx[8];
	int res = pn53x_transceive(dev, cmd, sizeof(cmd), rx, sizeof(rx),
	    timeout_ms);

	return res < 0 ? res : 0;
}
