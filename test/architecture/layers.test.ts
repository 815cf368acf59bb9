import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layering the guide asks for, checked on the sources: dialect-neutral layers import no
 * dialect, the store knows no dialect, and no module imports itself through others.
 */
const ROOT = resolve(__dirname, '..', '..');
const LAMBDAS = join(ROOT, 'lambdas');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a file, resolved to the files they name (runtime and type-only alike). */
function importsOf(file: string, known: Set<string>): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)].map((m) => m[1]!);
  return specifiers.flatMap((specifier) => {
    const base = resolve(dirname(file), specifier);
    const candidates = [`${base}.ts`, join(base, 'index.ts')];
    const found = candidates.find((candidate) => known.has(candidate));
    return found ? [found] : [];
  });
}

const files = sourceFiles(LAMBDAS);
const known = new Set(files);
const graph = new Map(files.map((file) => [file, importsOf(file, known)]));
const name = (file: string) => relative(ROOT, file);

/** Every cycle's members, found by a depth-first search that reports back edges. */
function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)).map(name));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

describe('module layers', () => {
  it('finds the modules it checks (the check can fail)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get(join(LAMBDAS, 'usecases', 'tickets.ts'))).toContain(
      join(LAMBDAS, 'usecases', 'access.ts'),
    );
  });

  it('has no import cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it.each(['usecases', 'store', 'shared', 'engine'])('keeps lambdas/%s free of dialect imports', (layer) => {
    const offenders = files
      .filter((file) => name(file).startsWith(`lambdas/${layer}/`))
      .flatMap((file) =>
        (graph.get(file) ?? []).filter((target) => name(target).startsWith('lambdas/dialects/')),
      )
      .map(name);
    expect(offenders).toEqual([]);
  });

  it('keeps the store free of any dialect name', () => {
    const mentions = files
      .filter((file) => name(file).startsWith('lambdas/store/'))
      .filter((file) => /playfab/i.test(readFileSync(file, 'utf8')))
      .map(name);
    expect(mentions).toEqual([]);
  });
});
