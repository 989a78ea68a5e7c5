/* The worker's <srtp.h>: libsrtp 2 (see ../meson.build) plus the libsrtp 3 API that
 * worker/src/RTC/SrtpSession.cpp calls (policy handles, separate in/out buffers, size_t lengths), renamed
 * onto the ms_srtp3_* functions of srtp3.c. Single master key, no MKI, no cryptex: the worker uses none
 * of them. */
#ifndef MS_SRTP3_SHIM_SRTP_H
#define MS_SRTP3_SHIM_SRTP_H

#include <srtp2/srtp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes new in libsrtp 3 (same values; libsrtp 2.5 stops at 27). */
#define MS_SRTP3_ERR_BUFFER_SMALL ((srtp_err_status_t)28)
#define MS_SRTP3_ERR_CRYPTEX ((srtp_err_status_t)29)

typedef struct ms_srtp3_policy *ms_srtp3_policy_t;

srtp_err_status_t ms_srtp3_policy_create(ms_srtp3_policy_t *policy);
void ms_srtp3_policy_destroy(ms_srtp3_policy_t policy);
srtp_err_status_t ms_srtp3_policy_set_ssrc(ms_srtp3_policy_t policy, srtp_ssrc_t ssrc);
srtp_err_status_t ms_srtp3_policy_set_profile(ms_srtp3_policy_t policy, srtp_profile_t profile);
srtp_err_status_t ms_srtp3_policy_add_key(ms_srtp3_policy_t policy, const uint8_t *key, size_t key_len,
                                          const uint8_t *salt, size_t salt_len, const uint8_t *mki,
                                          size_t mki_len);
srtp_err_status_t ms_srtp3_policy_set_allow_repeat_tx(ms_srtp3_policy_t policy, bool allow);
srtp_err_status_t ms_srtp3_policy_set_window_size(ms_srtp3_policy_t policy, size_t window_size);
srtp_err_status_t ms_srtp3_create(srtp_t *session, const ms_srtp3_policy_t policy);
srtp_err_status_t ms_srtp3_protect(srtp_t ctx, const uint8_t *rtp, size_t rtp_len, uint8_t *srtp,
                                   size_t *srtp_len, size_t mki_index);
srtp_err_status_t ms_srtp3_unprotect(srtp_t ctx, const uint8_t *srtp, size_t srtp_len, uint8_t *rtp,
                                     size_t *rtp_len);
srtp_err_status_t ms_srtp3_protect_rtcp(srtp_t ctx, const uint8_t *rtcp, size_t rtcp_len, uint8_t *srtcp,
                                        size_t *srtcp_len, size_t mki_index);
srtp_err_status_t ms_srtp3_unprotect_rtcp(srtp_t ctx, const uint8_t *srtcp, size_t srtcp_len, uint8_t *rtcp,
                                          size_t *rtcp_len);

#ifdef __cplusplus
}
#endif

/* srtp3.c needs the libsrtp 2 names; everyone else gets the libsrtp 3 ones. */
#ifndef MS_SRTP3_IMPLEMENTATION
#define srtp_err_status_buffer_small MS_SRTP3_ERR_BUFFER_SMALL
#define srtp_err_status_cryptex_err MS_SRTP3_ERR_CRYPTEX
#define srtp_policy_t ms_srtp3_policy_t
#define srtp_policy_create ms_srtp3_policy_create
#define srtp_policy_destroy ms_srtp3_policy_destroy
#define srtp_policy_set_ssrc ms_srtp3_policy_set_ssrc
#define srtp_policy_set_profile ms_srtp3_policy_set_profile
#define srtp_policy_add_key ms_srtp3_policy_add_key
#define srtp_policy_set_allow_repeat_tx ms_srtp3_policy_set_allow_repeat_tx
#define srtp_policy_set_window_size ms_srtp3_policy_set_window_size
#define srtp_create ms_srtp3_create
#define srtp_protect ms_srtp3_protect
#define srtp_unprotect ms_srtp3_unprotect
#define srtp_protect_rtcp ms_srtp3_protect_rtcp
#define srtp_unprotect_rtcp ms_srtp3_unprotect_rtcp
/* Same contract in both versions: the SSRC in network byte order (the worker passes htonl(ssrc)). */
#define srtp_stream_remove srtp_remove_stream
#endif

#endif
