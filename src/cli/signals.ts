/** Resolves on the first SIGINT or SIGTERM, then stops listening for them so the process can exit 0. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** An AbortSignal that fires on the first SIGINT or SIGTERM, for work that should stop cleanly then. */
export function abortOnSignal(): AbortSignal {
  const controller = new AbortController();
  void untilSignal().then((signal) => controller.abort(new Error(`stopped by ${signal}`)));
  return controller.signal;
}
