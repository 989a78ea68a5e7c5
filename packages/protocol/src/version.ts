/** Version of the WebSocket protocol; a client sends it in `session:join` and the server refuses others. */
export const PROTOCOL_VERSION = 1;
