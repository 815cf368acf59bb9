/** The CloudWatch EMF documents Powertools writes to stdout while `run` executes. */
export async function emittedMetrics(run: () => unknown): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return lines
    .flatMap((line) => line.split('\n'))
    .filter((line) => line.includes('_aws'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
