declare global {
  // eslint-disable-next-line no-var
  var __METRICS_START__: number | undefined;
}

declare module 'node:perf_hooks' {
  interface Performance {
    eventLoopUtilization(): { idle: number; active: number; utilization: number };
  }
}

export {};

