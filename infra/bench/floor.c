/* The floor: the least work an SFU can do per forwarded audio packet, to put mediasoup's and Janus's
 * per-packet CPU in proportion. It receives SRTP Opus packets on one UDP socket (recvmmsg), authenticates
 * and decrypts each once, and sends one SRTP copy per listener (own SSRC, own pre-expanded keys, OpenSSL
 * EVP AES-GCM) to the listener's sink address, batched with sendmmsg. No RTCP, no NACK buffer, no
 * congestion control, no signalling: whatever an SFU spends beyond this is its features' cost.
 * --batch 1 sends each copy with a system call of its own, as mediasoup's worker does (one send per
 * copy): the difference between the two is what batching a fan-out could save a forwarder here.
 *
 *   floor --in-key B64 --out-key B64 --listeners N --sink IP:PORTS [--listen IP:PORT]
 *         [--suite AEAD_AES_128_GCM|AEAD_AES_256_GCM] [--warmup S] [--seconds S] [--batch 1..1024]
 *
 * PORTS is one port, FIRST-LAST or a comma list (a sink's sockets); listener i goes to port i mod count.
 * Prints {"listening":"ip:port"} on stderr once bound, and one JSON line of results on stdout when the
 * measured window ends (--seconds after the warm-up, counted from the first packet) or on SIGTERM/SIGINT.
 * Listener i's copies carry SSRC ((i + 1) << 8 | stream) and are keyed with listener_master(out-key, i). */
#define _GNU_SOURCE
#define BENCH_NAME "floor"
#include "bench.h"
#include "srtp_gcm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IN_BATCH 64
#define OUT_BATCH 1024 /* the most copies per sendmmsg (the kernel's UIO_MAXIOV) */
#define DEFAULT_BATCH 256
#define MAX_PACKET 1500
#define MAX_STREAMS 255

typedef struct {
	uint32_t ssrc;
	uint16_t max_seq;
	uint32_t roc;
} stream;

typedef struct {
	struct sockaddr_in addr;
	srtp_gcm_ctx srtp;
} listener;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double cpu_us(int user)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	const struct timeval *tv = user ? &r.ru_utime : &r.ru_stime;
	return (double)tv->tv_sec * 1e6 + (double)tv->tv_usec;
}

#define MAX_SINK_PORTS 1024

/* "ip:port", "ip:first-last" or "ip:p1,p2,…" into an address and its ports (room for MAX_SINK_PORTS). */
static int parse_addr(const char *text, struct sockaddr_in *addr, uint16_t *ports, int *count)
{
	char host[64];
	const char *colon = strrchr(text, ':');
	int first, last, used = 0;

	if (colon == NULL || (size_t)(colon - text) >= sizeof(host))
		return -1;
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &addr->sin_addr) != 1)
		return -1;
	if (sscanf(colon + 1, "%d-%d", &first, &last) == 2) {
		if (first < 1 || last < first || last > 65535 || last - first >= MAX_SINK_PORTS)
			return -1;
		for (int p = first; p <= last; p++)
			ports[used++] = (uint16_t)p;
	} else {
		for (const char *at = colon + 1; *at;) {
			char *end;
			long p = strtol(at, &end, 10);
			if (end == at || p < 0 || p > 65535 || used == MAX_SINK_PORTS || (*end && *end != ','))
				return -1;
			ports[used++] = (uint16_t)p;
			at = *end ? end + 1 : end;
		}
		if (used == 0)
			return -1;
	}
	addr->sin_port = htons(ports[0]);
	*count = used;
	return 0;
}

/* RFC 3711 3.3.1: the index's ROC guessed from the highest sequence number seen. */
static uint32_t estimate_roc(stream *s, uint16_t seq)
{
	uint32_t v = s->roc;
	if (s->max_seq < 0x8000) {
		if (seq > s->max_seq && seq - s->max_seq > 0x8000)
			v = s->roc - 1;
	} else if (s->max_seq - 0x8000 > seq) {
		v = s->roc + 1;
	}
	if (v == s->roc + 1 || (v == s->roc && seq > s->max_seq)) {
		s->roc = v;
		s->max_seq = seq;
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *listen_at = "127.0.0.1:0", *sink = NULL, *in_key = NULL, *out_key = NULL;
	const char *suite_name = "AEAD_AES_128_GCM";
	long n_listeners = 0;
	double warmup = 2, seconds = 10;
	long out_batch = DEFAULT_BATCH;

	for (int i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (!strcmp(k, "--listen")) listen_at = v;
		else if (!strcmp(k, "--sink")) sink = v;
		else if (!strcmp(k, "--in-key")) in_key = v;
		else if (!strcmp(k, "--out-key")) out_key = v;
		else if (!strcmp(k, "--suite")) suite_name = v;
		else if (!strcmp(k, "--listeners")) n_listeners = strtol(v, NULL, 10);
		else if (!strcmp(k, "--warmup")) warmup = strtod(v, NULL);
		else if (!strcmp(k, "--seconds")) seconds = strtod(v, NULL);
		else if (!strcmp(k, "--batch")) out_batch = strtol(v, NULL, 10);
		else die("unknown option (see the comment at the top of floor.c)");
	}
	const srtp_gcm_suite *suite = srtp_gcm_suite_by_name(suite_name);
	if (suite == NULL) die("--suite must be AEAD_AES_128_GCM or AEAD_AES_256_GCM");
	if (!sink || !in_key || !out_key || n_listeners < 1 || n_listeners >= (1 << 24))
		die("--sink, --in-key, --out-key and --listeners (1..2^24-1) are required");
	if (out_batch < 1 || out_batch > OUT_BATCH)
		die("--batch: 1..1024 copies per sendmmsg");

	size_t master_len = suite->key_len + suite->salt_len;
	uint8_t in_master[SRTP_GCM_MAX_MASTER_LEN], out_master[SRTP_GCM_MAX_MASTER_LEN], m[SRTP_GCM_MAX_MASTER_LEN];
	if (base64_decode(in_key, in_master, sizeof(in_master)) != (int)master_len ||
	    base64_decode(out_key, out_master, sizeof(out_master)) != (int)master_len)
		die("--in-key/--out-key: base64 of the suite's master key followed by its salt");

	struct sockaddr_in sink_addr, bind_addr;
	static uint16_t sink_ports[MAX_SINK_PORTS], listen_port[MAX_SINK_PORTS];
	int n_sink_ports = 0, n_listen = 0;
	if (parse_addr(sink, &sink_addr, sink_ports, &n_sink_ports) != 0)
		die("--sink: ip:port, ip:first-last or ip:p1,p2,…");
	if (parse_addr(listen_at, &bind_addr, listen_port, &n_listen) != 0 || n_listen != 1) die("--listen: ip:port");

	/* Every listener keyed up front, as an SFU does when a consumer is created. */
	listener *listeners = calloc((size_t)n_listeners, sizeof(listener));
	if (!listeners) die("out of memory");
	for (long i = 0; i < n_listeners; i++) {
		listeners[i].addr = sink_addr;
		listeners[i].addr.sin_port = htons(sink_ports[i % n_sink_ports]);
		listener_master(out_master, suite, (uint32_t)i, m);
		if (srtp_gcm_init(&listeners[i].srtp, suite, m, 1) != 0) die("OpenSSL: cannot key a listener");
	}
	srtp_gcm_ctx in_srtp;
	if (srtp_gcm_init(&in_srtp, suite, in_master, 0) != 0) die("OpenSSL: cannot key the input");

	int in_fd = socket(AF_INET, SOCK_DGRAM, 0), out_fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (in_fd < 0 || out_fd < 0) die("socket() failed");
	big_buffer(in_fd, SO_RCVBUFFORCE, SO_RCVBUF);
	big_buffer(out_fd, SO_SNDBUFFORCE, SO_SNDBUF);
	if (bind(in_fd, (struct sockaddr *)&bind_addr, sizeof(bind_addr)) != 0) die("bind() failed");
	struct timeval tick = {0, 100000}; /* wake up to check the clock and signals */
	setsockopt(in_fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof(tick));
	socklen_t alen = sizeof(bind_addr);
	getsockname(in_fd, (struct sockaddr *)&bind_addr, &alen);
	char ip[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &bind_addr.sin_addr, ip, sizeof(ip));
	fprintf(stderr, "{\"listening\":\"%s:%u\"}\n", ip, ntohs(bind_addr.sin_port));
	fflush(stderr);

	struct sigaction sa = {0};
	sa.sa_handler = on_signal; /* no SA_RESTART: recvmmsg returns EINTR */
	prctl(PR_SET_PDEATHSIG, SIGTERM); /* a benchmark that dies does not leave us running */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	static uint8_t in_buf[IN_BATCH][MAX_PACKET];
	static struct mmsghdr in_msgs[IN_BATCH];
	static struct iovec in_iov[IN_BATCH];
	static uint8_t out_buf[OUT_BATCH][MAX_PACKET + SRTP_GCM_TAG_LEN];
	static struct mmsghdr out_msgs[OUT_BATCH];
	static struct iovec out_iov[OUT_BATCH];
	for (int i = 0; i < IN_BATCH; i++) {
		in_iov[i] = (struct iovec){in_buf[i], MAX_PACKET};
		in_msgs[i].msg_hdr = (struct msghdr){.msg_iov = &in_iov[i], .msg_iovlen = 1};
	}
	for (int i = 0; i < OUT_BATCH; i++) {
		out_iov[i].iov_base = out_buf[i];
		out_msgs[i].msg_hdr = (struct msghdr){.msg_iov = &out_iov[i], .msg_iovlen = 1,
		                                      .msg_namelen = sizeof(struct sockaddr_in)};
	}

	stream streams[MAX_STREAMS];
	int n_streams = 0;
	/* Counters since the start, and their values when the measured window opened. */
	unsigned long long packets = 0, copies = 0, auth_failures = 0, send_errors = 0, calls = 0;
	unsigned long long packets0 = 0, copies0 = 0, calls0 = 0;
	double first = 0, t0 = 0, user0 = 0, sys0 = 0;
	int measuring = 0;

	while (!stop) {
		double now = mono_s();
		if (first > 0 && !measuring && now - first >= warmup) {
			measuring = 1;
			t0 = now, user0 = cpu_us(1), sys0 = cpu_us(0);
			packets0 = packets, copies0 = copies, calls0 = calls;
		}
		if (measuring && now - t0 >= seconds)
			break;
		for (int i = 0; i < IN_BATCH; i++)
			in_msgs[i].msg_hdr.msg_flags = 0;
		int got = recvmmsg(in_fd, in_msgs, IN_BATCH, MSG_WAITFORONE, NULL);
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			die("recvmmsg() failed");
		}
		if (first == 0)
			first = mono_s();
		for (int p = 0; p < got; p++) {
			uint8_t *pkt = in_buf[p];
			size_t len = in_msgs[p].msg_len;
			int hl = rtp_header_len(pkt, len);
			uint8_t pt = len > 1 ? pkt[1] & 0x7f : 0;
			if (hl < 0 || (pt >= 64 && pt <= 95)) /* not RTP, or RTCP: not forwarded */
				continue;
			uint32_t ssrc = ntohl(*(uint32_t *)(pkt + 8));
			uint16_t seq = ntohs(*(uint16_t *)(pkt + 2));
			int s = 0;
			while (s < n_streams && streams[s].ssrc != ssrc)
				s++;
			if (s == n_streams) {
				if (n_streams == MAX_STREAMS)
					continue;
				streams[n_streams++] = (stream){ssrc, seq, 0};
			}
			uint32_t roc = estimate_roc(&streams[s], seq);
			int plain = srtp_gcm_unprotect(&in_srtp, pkt, len, (size_t)hl, roc);
			if (plain < 0) {
				auth_failures++;
				continue;
			}
			packets++;
			int batch = 0;
			for (long i = 0; i < n_listeners; i++) {
				uint8_t *out = out_buf[batch];
				memcpy(out, pkt, (size_t)plain);
				*(uint32_t *)(out + 8) = htonl((uint32_t)((i + 1) << 8 | s));
				int n = srtp_gcm_protect(&listeners[i].srtp, out, (size_t)plain, (size_t)hl, roc, out);
				if (n < 0) die("OpenSSL: protect failed");
				out_iov[batch].iov_len = (size_t)n;
				out_msgs[batch].msg_hdr.msg_name = &listeners[i].addr;
				/* Flush when the batch is full or this packet's fan-out is done: an SFU does not hold packets. */
				if (++batch == out_batch || i == n_listeners - 1) {
					int sent = 0;
					while (sent < batch) {
						int r = sendmmsg(out_fd, out_msgs + sent, (unsigned)(batch - sent), 0);
						calls++;
						if (r > 0) {
							sent += r;
							copies += (unsigned long long)r;
						} else if (errno != EINTR) {
							send_errors++;
							sent++; /* skip the message that failed */
						}
					}
					batch = 0;
				}
			}
		}
	}

	if (!measuring) /* stopped before the warm-up ended: report everything since the first packet */
		t0 = first > 0 ? first : mono_s();
	double wall = mono_s() - t0;
	double user = cpu_us(1) - user0, sys = cpu_us(0) - sys0;
	unsigned long long c = copies - copies0, p = packets - packets0;
	printf("{\"suite\":\"%s\",\"batch\":%ld,\"listeners\":%ld,\"streams\":%d,\"seconds\":%.3f,\"packetsIn\":%llu,"
	       "\"copiesOut\":%llu,\"copiesPerSecond\":%.1f,\"cpuUserUs\":%.0f,\"cpuSysUs\":%.0f,\"cpuPct\":%.2f,"
	       "\"usPerCopy\":%.4f,\"usPerPacketIn\":%.3f,\"sendmmsgCalls\":%llu,\"authFailures\":%llu,"
	       "\"sendErrors\":%llu,\"warmupComplete\":%s}\n",
	       suite->name, out_batch, n_listeners, n_streams, wall, p, c, wall > 0 ? c / wall : 0, user, sys,
	       wall > 0 ? 100 * (user + sys) / 1e6 / wall : 0, c ? (user + sys) / (double)c : 0,
	       p ? (user + sys) / (double)p : 0, calls - calls0, auth_failures, send_errors,
	       measuring ? "true" : "false");
	fflush(stdout);
	for (long i = 0; i < n_listeners; i++)
		srtp_gcm_free(&listeners[i].srtp);
	srtp_gcm_free(&in_srtp);
	free(listeners);
	return 0;
}
