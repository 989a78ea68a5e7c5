/** @majlis/sfu: the mediasoup SFU node with its WebSocket signalling. */
export { loadSfuConfig, type SfuConfig } from './config.js';
export { createSfu } from './createSfu.js';
export { listenInfosFor } from './listenInfos.js';
export type { Sfu, SfuOptions, SfuStats } from './SfuTypes.js';
