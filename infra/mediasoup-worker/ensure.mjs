// Replaced by the real implementation (see infra/mediasoup-worker/README.md).
