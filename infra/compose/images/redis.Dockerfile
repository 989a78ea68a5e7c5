# Debian's Redis 7, run in the foreground (the command given by compose adds its options).
FROM majlis-local/debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/*
CMD ["redis-server", "--save", "", "--appendonly", "no"]
