/** This process's CPU time so far, in ms: unlike wall time, a loaded machine barely inflates it. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
