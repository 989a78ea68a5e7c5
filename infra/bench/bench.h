/* What the benchmark's C programs (floor.c, sink.c) share: how they fail, the monotonic clock and the
 * large socket buffers they ask for. Each defines BENCH_NAME (its name in error messages) first. */
#ifndef BENCH_H
#define BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#ifndef BENCH_NAME
#error "define BENCH_NAME before including bench.h"
#endif

/* A fatal error: the message on stderr and exit status 2 (the load generator reports it). */
static void die(const char *what)
{
	fprintf(stderr, BENCH_NAME ": %s\n", what);
	exit(2);
}

/* Seconds on the monotonic clock. */
static double mono_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* An 8 MiB socket buffer: `opt_force` (SO_RCVBUFFORCE/SO_SNDBUFFORCE) past the system's maximum when
 * allowed (root, CAP_NET_ADMIN), else `opt` (SO_RCVBUF/SO_SNDBUF) up to it. Bursts of a few thousand
 * packets must not be dropped by the kernel before the program reads them. */
static void big_buffer(int fd, int opt_force, int opt)
{
	int size = 8 << 20;
	if (setsockopt(fd, SOL_SOCKET, opt_force, &size, sizeof(size)) != 0)
		setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

#endif
