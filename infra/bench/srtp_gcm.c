/* See srtp_gcm.h. */
#include "srtp_gcm.h"

#include <string.h>

static const srtp_gcm_suite SUITES[] = {
	{"AEAD_AES_128_GCM", 16, 12},
	{"AEAD_AES_256_GCM", 32, 12},
};

const srtp_gcm_suite *srtp_gcm_suite_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(SUITES) / sizeof(SUITES[0]); i++)
		if (strcmp(SUITES[i].name, name) == 0)
			return &SUITES[i];
	return NULL;
}

/* RFC 3711 4.3.3 AES-CM PRF with key derivation rate 0; the GCM suites zero-pad the 12-byte salt to 14
 * (RFC 7714 11). The output is AES-CTR over zeros, IV = salt XOR (label << 48), counter 0. */
static int derive(const srtp_gcm_suite *suite, const uint8_t *master, uint8_t label, uint8_t *out, size_t n)
{
	uint8_t iv[16] = {0};
	uint8_t zeros[32] = {0};
	int len = 0;
	int ok;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (ctx == NULL || n > sizeof(zeros))
		return -1;
	memcpy(iv, master + suite->key_len, suite->salt_len);
	iv[7] ^= label;
	ok = EVP_EncryptInit_ex(ctx, suite->key_len == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr(), NULL, master, iv) &&
	     EVP_EncryptUpdate(ctx, out, &len, zeros, (int)n);
	EVP_CIPHER_CTX_free(ctx);
	return ok && (size_t)len == n ? 0 : -1;
}

int srtp_gcm_init(srtp_gcm_ctx *ctx, const srtp_gcm_suite *suite, const uint8_t *master, int encrypt)
{
	uint8_t key[32];
	const EVP_CIPHER *cipher = suite->key_len == 32 ? EVP_aes_256_gcm() : EVP_aes_128_gcm();
	int ok;

	memset(ctx, 0, sizeof(*ctx));
	if (derive(suite, master, 0, key, suite->key_len) != 0 || derive(suite, master, 2, ctx->salt, 12) != 0)
		return -1;
	ctx->encrypt = encrypt;
	ctx->ctx = EVP_CIPHER_CTX_new();
	if (ctx->ctx == NULL)
		return -1;
	/* Keyed once here; per packet only the IV changes (the key schedule is not redone). */
	ok = encrypt ? EVP_EncryptInit_ex(ctx->ctx, cipher, NULL, key, NULL)
	             : EVP_DecryptInit_ex(ctx->ctx, cipher, NULL, key, NULL);
	memset(key, 0, sizeof(key));
	return ok ? 0 : -1;
}

void srtp_gcm_free(srtp_gcm_ctx *ctx)
{
	EVP_CIPHER_CTX_free(ctx->ctx);
	ctx->ctx = NULL;
}

/* RFC 7714 8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt. */
static void make_iv(const srtp_gcm_ctx *ctx, const uint8_t *packet, uint32_t roc, uint8_t iv[12])
{
	iv[0] = 0;
	iv[1] = 0;
	memcpy(iv + 2, packet + 8, 4);
	iv[6] = (uint8_t)(roc >> 24);
	iv[7] = (uint8_t)(roc >> 16);
	iv[8] = (uint8_t)(roc >> 8);
	iv[9] = (uint8_t)roc;
	memcpy(iv + 10, packet + 2, 2);
	for (int i = 0; i < 12; i++)
		iv[i] ^= ctx->salt[i];
}

int srtp_gcm_protect(srtp_gcm_ctx *ctx, const uint8_t *in, size_t len, size_t header_len, uint32_t roc,
                     uint8_t *out)
{
	uint8_t iv[12];
	int n = 0;
	int tail = 0;

	make_iv(ctx, in, roc, iv);
	if (out != in)
		memcpy(out, in, header_len);
	if (!EVP_EncryptInit_ex(ctx->ctx, NULL, NULL, NULL, iv) ||
	    !EVP_EncryptUpdate(ctx->ctx, NULL, &n, in, (int)header_len) ||
	    !EVP_EncryptUpdate(ctx->ctx, out + header_len, &n, in + header_len, (int)(len - header_len)) ||
	    !EVP_EncryptFinal_ex(ctx->ctx, out + header_len + n, &tail) ||
	    !EVP_CIPHER_CTX_ctrl(ctx->ctx, EVP_CTRL_GCM_GET_TAG, SRTP_GCM_TAG_LEN, out + len))
		return -1;
	return (int)len + SRTP_GCM_TAG_LEN;
}

int srtp_gcm_unprotect(srtp_gcm_ctx *ctx, uint8_t *packet, size_t len, size_t header_len, uint32_t roc)
{
	uint8_t iv[12];
	int n = 0;
	int tail = 0;
	size_t end;

	if (len < header_len + SRTP_GCM_TAG_LEN)
		return -1;
	end = len - SRTP_GCM_TAG_LEN;
	make_iv(ctx, packet, roc, iv);
	if (!EVP_DecryptInit_ex(ctx->ctx, NULL, NULL, NULL, iv) ||
	    !EVP_DecryptUpdate(ctx->ctx, NULL, &n, packet, (int)header_len) ||
	    !EVP_DecryptUpdate(ctx->ctx, packet + header_len, &n, packet + header_len, (int)(end - header_len)) ||
	    !EVP_CIPHER_CTX_ctrl(ctx->ctx, EVP_CTRL_GCM_SET_TAG, SRTP_GCM_TAG_LEN, packet + end) ||
	    EVP_DecryptFinal_ex(ctx->ctx, packet + header_len + n, &tail) <= 0)
		return -1;
	return (int)end;
}

int rtp_header_len(const uint8_t *packet, size_t len)
{
	size_t n;

	if (len < 12 || (packet[0] >> 6) != 2)
		return -1;
	n = 12 + (size_t)(packet[0] & 0x0f) * 4;
	if (packet[0] & 0x10) {
		if (len < n + 4)
			return -1;
		n += 4 + (((size_t)packet[n + 2] << 8) | packet[n + 3]) * 4;
	}
	return n <= len ? (int)n : -1;
}

int base64_decode(const char *text, uint8_t *out, size_t cap)
{
	uint8_t buf[4 * ((SRTP_GCM_MAX_MASTER_LEN + 2) / 3) + 8];
	size_t len = strlen(text);
	int n;

	if (len == 0 || len % 4 != 0 || len > sizeof(buf) * 4 / 3)
		return -1;
	n = EVP_DecodeBlock(buf, (const unsigned char *)text, (int)len);
	if (n < 0)
		return -1;
	/* EVP_DecodeBlock counts the '=' padding as zero bytes. */
	while (len > 0 && text[--len] == '=')
		n--;
	if ((size_t)n > cap)
		return -1;
	memcpy(out, buf, (size_t)n);
	return n;
}

void listener_master(const uint8_t *base, const srtp_gcm_suite *suite, uint32_t index, uint8_t *out)
{
	size_t k = suite->key_len;

	memcpy(out, base, suite->key_len + suite->salt_len);
	out[k - 4] ^= (uint8_t)(index >> 24);
	out[k - 3] ^= (uint8_t)(index >> 16);
	out[k - 2] ^= (uint8_t)(index >> 8);
	out[k - 1] ^= (uint8_t)index;
}
