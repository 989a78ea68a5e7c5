/** @majlis/server: the whole product in one process. */
export { loadConfig, type MajlisConfig } from './config.js';
export { type MajlisHandle, startMajlis } from './startMajlis.js';
