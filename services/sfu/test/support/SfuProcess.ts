// The SFU and API as their own processes: one supervision shared with the capacity benchmark, in
// @majlis/loadgen (ServiceProcess.ts).
export { ApiProcess, SfuProcess } from '@majlis/loadgen';
