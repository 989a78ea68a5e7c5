/** @majlis/sfu: the mediasoup SFU node with its WebSocket signalling. */
export { createSfu, listenInfosFor, type Sfu, type SfuOptions, type SfuStats } from './createSfu.js';
export { loadSfuConfig, type SfuConfig } from './config.js';
