/* A cheap RTP sink for the benchmarks: many listeners per UDP socket, told apart by SSRC, so the load
 * generator's receive side costs a few hundred nanoseconds per packet instead of Node's microseconds.
 * recvmmsg on every socket (epoll), kernel receive timestamps (SO_TIMESTAMPNS), per SSRC: packets, loss
 * from the sequence numbers, latency from the abs-capture-time extension (the speakers' send time, which
 * SFUs forward untouched). SRTP leaves the header in clear, so nothing needs decrypting; with --verify-key
 * it authenticates and decrypts every N-th packet of the floor's copies (floor.c's listener keys).
 *
 *   sink [--bind 127.0.0.1] (--ports FIRST-LAST | --sockets K) [--seconds S] [--abs-capture-time-id 10]
 *        [--verify-key B64 [--suite AEAD_AES_128_GCM] [--verify-every 25]] [--per-ssrc]
 *
 * Prints {"ports":[…]} on stderr once bound. Stdout gets one JSON line of totals on SIGUSR1 (and goes on),
 * on SIGTERM/SIGINT or after --seconds (and exits); SIGUSR2 zeroes the counters (starts a measured window).
 * A stdin line "hello SOCKET IP PORT" sends one Opus silence packet from socket SOCKET (0-based) to IP:PORT:
 * servers that only send after hearing from the peer's address (Janus's plain RTP participants) start. */
#define _GNU_SOURCE
#define BENCH_NAME "sink"
#include "bench.h"
#include "srtp_gcm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_PACKET 1500
#define MAX_SOCKETS 1024
#define BUCKETS 1024 /* latency histogram: bucket b holds [1.02^b, 1.02^(b+1)) µs */

typedef struct {
	uint32_t ssrc;
	int used;
	uint32_t cycles;   /* sequence wraps × 65536 */
	uint16_t max_seq;
	int64_t base_ext;  /* first extended sequence number of the window */
	int64_t max_ext;
	uint64_t packets, bytes, latency_samples, verified, auth_failures;
	double latency_sum_us, latency_max_us;
	srtp_gcm_ctx *srtp;
} stream;

static volatile sig_atomic_t stop, report, reset;
static stream *table;
static size_t table_cap, table_used;
static uint64_t hist[BUCKETS];

static void on_stop(int s) { (void)s; stop = 1; }
static void on_report(int s) { (void)s; report = 1; }
static void on_reset(int s) { (void)s; reset = 1; }

static double cpu_us(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 + (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

static uint32_t mix(uint32_t x)
{
	x ^= x >> 16, x *= 0x7feb352dU, x ^= x >> 15, x *= 0x846ca68bU, x ^= x >> 16;
	return x;
}

static stream *lookup(uint32_t ssrc);

static void grow(void)
{
	stream *old = table;
	size_t old_cap = table_cap;
	table_cap = table_cap ? table_cap * 2 : 1024;
	table = calloc(table_cap, sizeof(stream));
	if (!table) die("out of memory");
	table_used = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].used)
			*lookup(old[i].ssrc) = old[i];
	free(old);
}

/* Open addressing; the slot for `ssrc`, claimed if new. */
static stream *lookup(uint32_t ssrc)
{
	if (2 * (table_used + 1) > table_cap)
		grow();
	for (size_t i = mix(ssrc) & (table_cap - 1);; i = (i + 1) & (table_cap - 1)) {
		if (table[i].used && table[i].ssrc == ssrc)
			return &table[i];
		if (!table[i].used) {
			table[i].used = 1, table[i].ssrc = ssrc, table[i].base_ext = -1;
			table_used++;
			return &table[i];
		}
	}
}

/* Offset of one-byte extension `id`'s value (RFC 8285) if it has `want` bytes, else -1. */
static int find_ext(const uint8_t *p, int header_len, int id, int want)
{
	if (!(p[0] & 0x10))
		return -1;
	int at = 12 + (p[0] & 0x0f) * 4;
	if (((p[at] << 8) | p[at + 1]) != 0xbede)
		return -1;
	for (at += 4; at < header_len;) {
		if (p[at] == 0) { at++; continue; }
		int eid = p[at] >> 4, len = (p[at] & 0x0f) + 1;
		if (eid == 15)
			break;
		if (eid == id)
			return len == want && at + 1 + len <= header_len ? at + 1 : -1;
		at += 1 + len;
	}
	return -1;
}

static double percentile(uint64_t total, double q)
{
	uint64_t want = (uint64_t)ceil(q * (double)total), seen = 0;
	for (int b = 0; b < BUCKETS; b++)
		if ((seen += hist[b]) >= want && want > 0)
			return pow(1.02, b + 0.5);
	return 0;
}

static void print_totals(int final, double seconds, double cpu, int per_ssrc)
{
	uint64_t packets = 0, bytes = 0, expected = 0, lost = 0, samples = 0, verified = 0, failures = 0;
	double max_us = 0;
	for (size_t i = 0; i < table_cap; i++) {
		stream *s = &table[i];
		if (!s->used || s->base_ext < 0)
			continue;
		uint64_t exp = (uint64_t)(s->max_ext - s->base_ext + 1);
		packets += s->packets, bytes += s->bytes, expected += exp, samples += s->latency_samples;
		lost += exp > s->packets ? exp - s->packets : 0;
		verified += s->verified, failures += s->auth_failures;
		if (s->latency_max_us > max_us) max_us = s->latency_max_us;
	}
	printf("{\"final\":%s,\"seconds\":%.3f,\"streams\":%zu,\"packets\":%llu,\"bytes\":%llu,\"expected\":%llu,"
	       "\"lost\":%llu,\"lossPct\":%.4f,\"latencySamples\":%llu,\"latencyP50Ms\":%.3f,\"latencyP99Ms\":%.3f,"
	       "\"latencyMaxMs\":%.3f,\"verified\":%llu,\"authFailures\":%llu,\"cpuUs\":%.0f,\"usPerPacket\":%.4f",
	       final ? "true" : "false", seconds, table_used, (unsigned long long)packets, (unsigned long long)bytes,
	       (unsigned long long)expected, (unsigned long long)lost, expected ? 100.0 * lost / expected : 0,
	       (unsigned long long)samples, percentile(samples, 0.5) / 1e3, percentile(samples, 0.99) / 1e3,
	       max_us / 1e3, (unsigned long long)verified, (unsigned long long)failures, cpu,
	       packets ? cpu / packets : 0);
	if (per_ssrc) {
		const char *sep = "";
		printf(",\"perSsrc\":[");
		for (size_t i = 0; i < table_cap; i++) {
			stream *s = &table[i];
			if (!s->used || s->base_ext < 0)
				continue;
			uint64_t exp = (uint64_t)(s->max_ext - s->base_ext + 1);
			printf("%s{\"ssrc\":%u,\"packets\":%llu,\"lost\":%llu,\"latencyMeanMs\":%.3f,\"latencyMaxMs\":%.3f}",
			       sep, s->ssrc, (unsigned long long)s->packets,
			       (unsigned long long)(exp > s->packets ? exp - s->packets : 0),
			       s->latency_samples ? s->latency_sum_us / s->latency_samples / 1e3 : 0, s->latency_max_us / 1e3);
			sep = ",";
		}
		printf("]");
	}
	printf("}\n");
	fflush(stdout);
}

/* "hello SOCKET IP PORT": one RTP packet (PT 111, an Opus DTX-silence frame) from that socket. */
static void hello(const int *fds, int n_sockets, const char *command)
{
	static uint16_t seq;
	char ip[64];
	int index, port;
	struct sockaddr_in to = {.sin_family = AF_INET};
	uint8_t packet[15] = {0x80, 111, 0, 0, 0, 0, 0, 0, 0x4a, 0x41, 0x4e, 0x53, 0xf8, 0xff, 0xfe};

	if (sscanf(command, "hello %d %63s %d", &index, ip, &port) != 3 || index < 0 || index >= n_sockets ||
	    port < 1 || port > 65535 || inet_pton(AF_INET, ip, &to.sin_addr) != 1) {
		fprintf(stderr, "sink: ignored command \"%s\"\n", command);
		return;
	}
	seq++;
	packet[2] = (uint8_t)(seq >> 8), packet[3] = (uint8_t)seq;
	to.sin_port = htons((uint16_t)port);
	if (sendto(fds[index], packet, sizeof(packet), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		fprintf(stderr, "sink: hello to %s:%d failed\n", ip, port);
}

static void zero_counters(void)
{
	memset(hist, 0, sizeof(hist));
	for (size_t i = 0; i < table_cap; i++) {
		stream *s = &table[i];
		if (!s->used)
			continue;
		/* The window's first expected packet is the next one. */
		s->base_ext = s->base_ext < 0 ? -1 : s->max_ext + 1;
		s->packets = s->bytes = s->latency_samples = s->verified = s->auth_failures = 0;
		s->latency_sum_us = s->latency_max_us = 0;
	}
}

int main(int argc, char **argv)
{
	const char *bind_ip = "127.0.0.1", *ports = NULL, *verify_key = NULL, *suite_name = "AEAD_AES_128_GCM";
	int n_sockets = 0, abs_id = 10, per_ssrc = 0;
	long verify_every = 25;
	double seconds = 0;

	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(k, "--per-ssrc")) { per_ssrc = 1; continue; }
		if (v == NULL) die("missing option value");
		i++;
		if (!strcmp(k, "--bind")) bind_ip = v;
		else if (!strcmp(k, "--ports")) ports = v;
		else if (!strcmp(k, "--sockets")) n_sockets = atoi(v);
		else if (!strcmp(k, "--seconds")) seconds = strtod(v, NULL);
		else if (!strcmp(k, "--abs-capture-time-id")) abs_id = atoi(v);
		else if (!strcmp(k, "--verify-key")) verify_key = v;
		else if (!strcmp(k, "--suite")) suite_name = v;
		else if (!strcmp(k, "--verify-every")) verify_every = strtol(v, NULL, 10);
		else die("unknown option (see the comment at the top of sink.c)");
	}
	int first_port = 0, last_port = -1;
	if (ports && sscanf(ports, "%d-%d", &first_port, &last_port) < 1) die("--ports: FIRST-LAST");
	if (ports && last_port < 0) last_port = first_port;
	if (ports) n_sockets = last_port - first_port + 1;
	if (n_sockets < 1 || n_sockets > MAX_SOCKETS) die("--ports FIRST-LAST or --sockets K (1..1024)");
	const srtp_gcm_suite *suite = srtp_gcm_suite_by_name(suite_name);
	uint8_t verify_master[SRTP_GCM_MAX_MASTER_LEN], m[SRTP_GCM_MAX_MASTER_LEN];
	if (verify_key && (!suite || verify_every < 1 ||
	                   base64_decode(verify_key, verify_master, sizeof(verify_master)) !=
	                       (int)(suite->key_len + suite->salt_len)))
		die("--verify-key: base64 master key+salt of --suite (a GCM suite), --verify-every >= 1");

	int ep = epoll_create1(0);
	int fds[MAX_SOCKETS];
	fprintf(stderr, "{\"ports\":[");
	for (int i = 0; i < n_sockets; i++) {
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(ports ? first_port + i : 0))};
		if (inet_pton(AF_INET, bind_ip, &a.sin_addr) != 1) die("--bind: an IPv4 address");
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), on = 1;
		if (fd < 0) die("socket() failed");
		big_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF);
		setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) die("bind() failed");
		socklen_t alen = sizeof(a);
		getsockname(fd, (struct sockaddr *)&a, &alen);
		fprintf(stderr, "%s%u", i ? "," : "", ntohs(a.sin_port));
		struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
		fds[i] = fd;
	}
	fprintf(stderr, "]}\n");
	fflush(stderr);
	struct epoll_event in_ev = {.events = EPOLLIN, .data.fd = STDIN_FILENO};
	epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, &in_ev); /* fails harmlessly when stdin is /dev/null */
	char line[256];
	size_t line_len = 0;

	struct sigaction sa = {0};
	sa.sa_handler = on_stop;
	prctl(PR_SET_PDEATHSIG, SIGTERM); /* a benchmark that dies does not leave us running */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_report;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_reset;
	sigaction(SIGUSR2, &sa, NULL);

	static uint8_t bufs[BATCH][MAX_PACKET];
	static char ctrl[BATCH][CMSG_SPACE(sizeof(struct timespec))];
	static struct mmsghdr msgs[BATCH];
	static struct iovec iov[BATCH];
	grow();
	double t0 = mono_s(), cpu0 = cpu_us();

	while (!stop && !(seconds > 0 && mono_s() - t0 >= seconds)) {
		if (report) {
			report = 0;
			print_totals(0, mono_s() - t0, cpu_us() - cpu0, per_ssrc);
		}
		if (reset) {
			reset = 0;
			zero_counters();
			t0 = mono_s(), cpu0 = cpu_us();
		}
		struct epoll_event events[64];
		int ready = epoll_wait(ep, events, 64, 100);
		for (int e = 0; e < ready; e++) {
			int fd = events[e].data.fd;
			if (fd == STDIN_FILENO) {
				ssize_t n = read(STDIN_FILENO, line + line_len, sizeof(line) - 1 - line_len);
				if (n <= 0) { /* closed: no more commands */
					epoll_ctl(ep, EPOLL_CTL_DEL, STDIN_FILENO, NULL);
					continue;
				}
				line_len += (size_t)n;
				line[line_len] = '\0';
				char *nl;
				while ((nl = strchr(line, '\n')) != NULL) {
					*nl = '\0';
					hello(fds, n_sockets, line);
					line_len -= (size_t)(nl + 1 - line);
					memmove(line, nl + 1, line_len + 1);
				}
				if (line_len == sizeof(line) - 1)
					line_len = 0; /* an overlong line: dropped */
				continue;
			}
			for (;;) {
				for (int i = 0; i < BATCH; i++) {
					iov[i] = (struct iovec){bufs[i], MAX_PACKET};
					msgs[i].msg_hdr = (struct msghdr){.msg_iov = &iov[i], .msg_iovlen = 1,
					                                  .msg_control = ctrl[i], .msg_controllen = sizeof(ctrl[i])};
				}
				int got = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
				if (got <= 0)
					break;
				struct timespec wall;
				clock_gettime(CLOCK_REALTIME, &wall);
				for (int p = 0; p < got; p++) {
					uint8_t *pkt = bufs[p];
					size_t len = msgs[p].msg_len;
					int hl = rtp_header_len(pkt, len);
					uint8_t pt = len > 1 ? pkt[1] & 0x7f : 0;
					if (hl < 0 || (pt >= 64 && pt <= 95)) /* RTCP (sender reports) or not RTP */
						continue;
					struct timespec at = wall;
					for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[p].msg_hdr); c; c = CMSG_NXTHDR(&msgs[p].msg_hdr, c))
						if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
							memcpy(&at, CMSG_DATA(c), sizeof(at));
					stream *s = lookup(ntohl(*(uint32_t *)(pkt + 8)));
					uint16_t seq = ntohs(*(uint16_t *)(pkt + 2));
					if (s->base_ext < 0) {
						s->max_seq = seq, s->cycles = 0;
						s->base_ext = s->max_ext = seq;
					} else {
						int16_t delta = (int16_t)(seq - s->max_seq);
						if (delta > 0) {
							if (seq < s->max_seq)
								s->cycles += 0x10000;
							s->max_seq = seq;
							s->max_ext = (int64_t)s->cycles + seq;
						}
					}
					s->packets++, s->bytes += len;
					int off = abs_id > 0 ? find_ext(pkt, hl, abs_id, 8) : -1;
					if (off >= 0) {
						/* NTP UQ32.32 since 1900 → µs since 1970. */
						uint32_t sec = ntohl(*(uint32_t *)(pkt + off)), frac = ntohl(*(uint32_t *)(pkt + off + 4));
						double sent = ((double)sec - 2208988800.0) * 1e6 + (double)frac * 1e6 / 4294967296.0;
						double us = (double)at.tv_sec * 1e6 + (double)at.tv_nsec / 1e3 - sent;
						if (us < 1) us = 1;
						int b = (int)(log(us) / log(1.02));
						hist[b < BUCKETS ? b : BUCKETS - 1]++;
						s->latency_samples++, s->latency_sum_us += us;
						if (us > s->latency_max_us) s->latency_max_us = us;
					}
					if (verify_key && (s->packets - 1) % (uint64_t)verify_every == 0) {
						if (!s->srtp) {
							s->srtp = malloc(sizeof(srtp_gcm_ctx));
							listener_master(verify_master, suite, (s->ssrc >> 8) - 1, m);
							if (!s->srtp || srtp_gcm_init(s->srtp, suite, m, 0) != 0) die("OpenSSL: cannot key a stream");
						}
						uint32_t roc = (uint32_t)((s->cycles + (seq > s->max_seq ? -0x10000 : 0)) >> 16);
						if (srtp_gcm_unprotect(s->srtp, pkt, len, (size_t)hl, roc) < 0) s->auth_failures++;
						else s->verified++;
					}
				}
			}
		}
	}
	print_totals(1, mono_s() - t0, cpu_us() - cpu0, per_ssrc);
	return 0;
}
