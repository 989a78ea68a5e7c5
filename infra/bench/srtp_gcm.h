/* SRTP with the AEAD_AES_128_GCM / AEAD_AES_256_GCM suites (RFC 7714) over OpenSSL's EVP, for the floor
 * forwarder and the sink: session keys derived once per key (RFC 3711 KDF), one EVP context per key kept
 * keyed, so a packet costs one IV set and one GCM pass, as in libsrtp built against OpenSSL. */
#ifndef MAJLIS_BENCH_SRTP_GCM_H
#define MAJLIS_BENCH_SRTP_GCM_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#define SRTP_GCM_TAG_LEN 16
#define SRTP_GCM_MAX_MASTER_LEN (32 + 12)

/** One SRTP crypto suite: master key and salt lengths. */
typedef struct {
	const char *name;
	size_t key_len;
	size_t salt_len;
} srtp_gcm_suite;

/** One direction's keys, ready to protect or unprotect packets of any SSRC. */
typedef struct {
	EVP_CIPHER_CTX *ctx;
	uint8_t salt[12];
	int encrypt;
} srtp_gcm_ctx;

/** The suite called `name` (mediasoup's spelling), or NULL if it is not a GCM suite. */
const srtp_gcm_suite *srtp_gcm_suite_by_name(const char *name);

/** Derives the session keys from `master` (key then salt, suite->key_len + salt_len bytes); 0 on success. */
int srtp_gcm_init(srtp_gcm_ctx *ctx, const srtp_gcm_suite *suite, const uint8_t *master, int encrypt);

/** Frees the EVP context. */
void srtp_gcm_free(srtp_gcm_ctx *ctx);

/** Protects the RTP packet `in` (header of `header_len` bytes) into `out` (room for len + 16); new length. */
int srtp_gcm_protect(srtp_gcm_ctx *ctx, const uint8_t *in, size_t len, size_t header_len, uint32_t roc,
                     uint8_t *out);

/** Authenticates and decrypts `packet` in place; the plain length, or -1 if it is not authentic. */
int srtp_gcm_unprotect(srtp_gcm_ctx *ctx, uint8_t *packet, size_t len, size_t header_len, uint32_t roc);

/** Length of the RTP header (CSRCs and extensions included), or -1 if `packet` is not RTP. */
int rtp_header_len(const uint8_t *packet, size_t len);

/** Decodes base64 `text` into `out` (capacity `cap`); the byte count, or -1. */
int base64_decode(const char *text, uint8_t *out, size_t cap);

/** Listener `index`'s master key: `base` with its key's last 4 bytes XORed with the index (floor and sink agree). */
void listener_master(const uint8_t *base, const srtp_gcm_suite *suite, uint32_t index, uint8_t *out);

#endif
