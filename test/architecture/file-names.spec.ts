import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * One naming rule, `<name>.<role>.ts`, for the roles Nest gives a file and for the edge's
 * hooks: a controller, service, repository, module, entity or hook is found by its file name
 * alone, and a file named for a role holds one. A hook file exports the `install...` function
 * that adds Fastify hooks or edge steps.
 */
const ROLES = ['controller', 'service', 'repository', 'module', 'entity', 'hook'] as const;

/** An exported installer, and a hook it adds: Fastify's, a route's, or an edge step. */
const INSTALLER = /^export (?:async )?function install\w*\(/m;
const ADDS_HOOK = /\.addHook\(|\baddRouteHook\(|\.onRequest\(|\.onResponse\(/;
type Role = (typeof ROLES)[number];

const DECORATOR_ROLE: Record<string, Role> = {
  Controller: 'controller',
  Module: 'module',
  Entity: 'entity',
};

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(path);
      return Promise.resolve(e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : []);
    }),
  );
  return nested.flat();
}

/** The roles a file's code plays: its Nest decorators and the suffixes of its exported classes. */
export function rolesIn(text: string): Set<Role> {
  const roles = new Set<Role>();
  for (const [, decorator] of text.matchAll(/^@(\w+)\(/gm)) {
    const role = DECORATOR_ROLE[decorator ?? ''];
    if (role) roles.add(role);
  }
  for (const [, suffix] of text.matchAll(
    /^export (?:abstract )?class \w+?(Controller|Service|Repository|Module)\b/gm,
  )) {
    roles.add((suffix ?? '').toLowerCase() as Role);
  }
  if (INSTALLER.test(text) && ADDS_HOOK.test(text)) roles.add('hook');
  return roles;
}

function roleOfName(file: string): Role | null {
  const match = /\.(\w+)\.ts$/.exec(file);
  const role = match?.[1];
  return ROLES.find((r) => r === role) ?? null;
}

/** What is wrong with a file's name, or null. */
export function namingProblem(file: string, text: string): string | null {
  const named = roleOfName(file);
  const played = rolesIn(text);
  // A service or repository is an injectable class whatever its class name says.
  const injectable = /^@Injectable\(/m.test(text);
  if (injectable && (named === 'service' || named === 'repository')) played.add(named);
  if (named && !played.has(named)) return `${file}: named a ${named} but holds none`;
  if (!named && played.size > 0) {
    return `${file}: holds a ${[...played].join(' and a ')}, so its name must end .<role>.ts`;
  }
  if (named && played.size > 1) {
    const others = [...played].filter((r) => r !== named);
    return `${file}: a ${named} that also holds a ${others.join(' and a ')}: one role a file`;
  }
  return null;
}

describe('file names say the role of the code in them', () => {
  it('hold for every file in src/', async () => {
    const files = await sourceFiles('src');
    const problems: string[] = [];
    for (const file of files) {
      const problem = namingProblem(relative('.', file), await readFile(file, 'utf8'));
      if (problem) problems.push(problem);
    }
    expect(files.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it('catch a controller in a file that does not say so', () => {
    const text = "@Controller('cards')\nexport class CardsController {}\n";
    expect(namingProblem('src/catalog/cards.ts', text)).toMatch(/must end \.<role>\.ts/);
    expect(namingProblem('src/catalog/cards.controller.ts', text)).toBeNull();
  });

  it('catch hooks installed from a file that does not say so', () => {
    const text =
      'export function installCardViewCounting(edge: EdgeChain): void {\n  edge.onResponse(() => undefined);\n}\n';
    expect(namingProblem('src/catalog/card-views.ts', text)).toMatch(/must end \.<role>\.ts/);
    expect(namingProblem('src/catalog/card-view-counting.hook.ts', text)).toBeNull();
    expect(namingProblem('src/http/edge/edge.hook.ts', 'export const steps = 1;\n')).toMatch(
      /holds none/,
    );
  });

  it('catch a file named for a role it does not hold', () => {
    const text = 'export function pageNumberOf(): number {\n  return 1;\n}\n';
    expect(namingProblem('src/catalog/page.service.ts', text)).toMatch(/holds none/);
  });
});
