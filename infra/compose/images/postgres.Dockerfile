# Debian's PostgreSQL 15 with the official image's interface: POSTGRES_USER, POSTGRES_PASSWORD(_FILE),
# POSTGRES_DB, data in /var/lib/postgresql/data, PGPORT for the port.
FROM majlis-local/debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/*
COPY postgres-entrypoint.sh /usr/local/bin/
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["postgres-entrypoint.sh"]
CMD ["postgres"]
