/* The libsrtp 3 calls the worker makes (see include/srtp.h), implemented over libsrtp 2. */
#define MS_SRTP3_IMPLEMENTATION
#include "srtp.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct ms_srtp3_policy {
	srtp_policy_t p;                     /* the libsrtp 2 policy being filled in */
	size_t key_len, salt_len;            /* the profile's master key/salt lengths; 0 until it is set */
	unsigned char key[SRTP_MAX_KEY_LEN]; /* key || salt: libsrtp 2 takes them concatenated */
};

srtp_err_status_t ms_srtp3_policy_create(ms_srtp3_policy_t *policy)
{
	if (policy == NULL)
		return srtp_err_status_bad_param;
	/* Zeroed: ssrc_undefined, default replay window, no key yet. */
	*policy = calloc(1, sizeof(**policy));
	return *policy == NULL ? srtp_err_status_alloc_fail : srtp_err_status_ok;
}

void ms_srtp3_policy_destroy(ms_srtp3_policy_t policy)
{
	if (policy == NULL)
		return;
	memset(policy->key, 0, sizeof(policy->key));
	free(policy);
}

srtp_err_status_t ms_srtp3_policy_set_ssrc(ms_srtp3_policy_t policy, srtp_ssrc_t ssrc)
{
	if (policy == NULL || ssrc.type == ssrc_undefined)
		return srtp_err_status_bad_param;
	policy->p.ssrc = ssrc;
	return srtp_err_status_ok;
}

srtp_err_status_t ms_srtp3_policy_set_profile(ms_srtp3_policy_t policy, srtp_profile_t profile)
{
	srtp_err_status_t err;

	if (policy == NULL || policy->p.key != NULL)
		return srtp_err_status_bad_param;
	/* For aes128_cm_sha1_32 both versions keep an 80-bit tag on RTCP (RFC 5764 4.1.2). */
	err = srtp_crypto_policy_set_from_profile_for_rtp(&policy->p.rtp, profile);
	if (err == srtp_err_status_ok)
		err = srtp_crypto_policy_set_from_profile_for_rtcp(&policy->p.rtcp, profile);
	if (err != srtp_err_status_ok)
		return err;
	policy->key_len = srtp_profile_get_master_key_length(profile);
	policy->salt_len = srtp_profile_get_master_salt_length(profile);
	return srtp_err_status_ok;
}

srtp_err_status_t ms_srtp3_policy_add_key(ms_srtp3_policy_t policy, const uint8_t *key, size_t key_len,
                                          const uint8_t *salt, size_t salt_len, const uint8_t *mki,
                                          size_t mki_len)
{
	(void)mki;
	/* One key per policy and no MKI: all the worker asks for. */
	if (policy == NULL || key == NULL || salt == NULL || mki_len != 0 || policy->p.key != NULL ||
	    policy->key_len == 0 || key_len != policy->key_len || salt_len != policy->salt_len ||
	    key_len + salt_len > sizeof(policy->key))
		return srtp_err_status_bad_param;
	memcpy(policy->key, key, key_len);
	memcpy(policy->key + key_len, salt, salt_len);
	policy->p.key = policy->key;
	return srtp_err_status_ok;
}

srtp_err_status_t ms_srtp3_policy_set_allow_repeat_tx(ms_srtp3_policy_t policy, bool allow)
{
	if (policy == NULL)
		return srtp_err_status_bad_param;
	policy->p.allow_repeat_tx = allow;
	return srtp_err_status_ok;
}

srtp_err_status_t ms_srtp3_policy_set_window_size(ms_srtp3_policy_t policy, size_t window_size)
{
	/* libsrtp's range (0 means its default of 128). */
	if (policy == NULL || (window_size != 0 && (window_size < 64 || window_size >= 0x8000)))
		return srtp_err_status_bad_param;
	policy->p.window_size = window_size;
	return srtp_err_status_ok;
}

srtp_err_status_t ms_srtp3_create(srtp_t *session, const ms_srtp3_policy_t policy)
{
	if (session == NULL)
		return srtp_err_status_bad_param;
	if (policy == NULL)
		return srtp_create(session, NULL); /* an empty session, as in libsrtp 3 */
	if (policy->p.key == NULL || policy->p.ssrc.type == ssrc_undefined)
		return srtp_err_status_bad_param;
	/* libsrtp 2 copies the key material, so the caller may destroy the policy right after. */
	return srtp_create(session, &policy->p);
}

typedef srtp_err_status_t (*in_place_fn)(srtp_t ctx, void *packet, int *len);

/* libsrtp 3 reads `in` and writes `out` (capacity *out_len; may be `in` itself). libsrtp 2 works in place
 * on an int length and writes up to `trailer` bytes past the packet without a capacity check, so copy the
 * packet to `out` and refuse to run unless that room exists. */
static srtp_err_status_t in_place(in_place_fn fn, srtp_t ctx, const uint8_t *in, size_t in_len,
                                  uint8_t *out, size_t *out_len, size_t trailer)
{
	srtp_err_status_t err;
	int len;

	if (in == NULL || out == NULL || out_len == NULL || in_len > (size_t)INT_MAX - trailer)
		return srtp_err_status_bad_param;
	if (*out_len < in_len + trailer)
		return MS_SRTP3_ERR_BUFFER_SMALL;
	if (out != in)
		memmove(out, in, in_len);
	len = (int)in_len;
	err = fn(ctx, out, &len);
	if (err == srtp_err_status_ok)
		*out_len = (size_t)len;
	return err;
}

/* mki_index is ignored: policies never carry an MKI (libsrtp 3 ignores it then too). */
srtp_err_status_t ms_srtp3_protect(srtp_t ctx, const uint8_t *rtp, size_t rtp_len, uint8_t *srtp,
                                   size_t *srtp_len, size_t mki_index)
{
	(void)mki_index;
	return in_place(srtp_protect, ctx, rtp, rtp_len, srtp, srtp_len, SRTP_MAX_TRAILER_LEN);
}

srtp_err_status_t ms_srtp3_unprotect(srtp_t ctx, const uint8_t *srtp, size_t srtp_len, uint8_t *rtp,
                                     size_t *rtp_len)
{
	return in_place(srtp_unprotect, ctx, srtp, srtp_len, rtp, rtp_len, 0);
}

srtp_err_status_t ms_srtp3_protect_rtcp(srtp_t ctx, const uint8_t *rtcp, size_t rtcp_len, uint8_t *srtcp,
                                        size_t *srtcp_len, size_t mki_index)
{
	(void)mki_index;
	/* SRTCP also appends the 4-byte E flag + index word. */
	return in_place(srtp_protect_rtcp, ctx, rtcp, rtcp_len, srtcp, srtcp_len, SRTP_MAX_TRAILER_LEN + 4);
}

srtp_err_status_t ms_srtp3_unprotect_rtcp(srtp_t ctx, const uint8_t *srtcp, size_t srtcp_len, uint8_t *rtcp,
                                          size_t *rtcp_len)
{
	return in_place(srtp_unprotect_rtcp, ctx, srtcp, srtcp_len, rtcp, rtcp_len, 0);
}
