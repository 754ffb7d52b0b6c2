/**
 * Writes `allowed-params.generated.ts`: the parameters Stripe accepts on each endpoint the
 * sandbox serves, read from the official `stripe` package (its resource classes say which
 * HTTP method and path each call uses; their `…Params` interfaces, generated from Stripe's
 * OpenAPI spec, say which parameters it takes). Not a hand list: regenerate after upgrading
 * `stripe` (`npm run build --silent && node dist/src/sandbox/http/generate-allowed-params.js`);
 * test/integration/sandbox/allowed-params.test.ts fails while the committed file is stale.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';
import { routeKey } from './route-key';

/** Resource paths the sandbox serves (first segments after /v1/). */
const SERVED = [
  'account',
  'customers',
  'products',
  'prices',
  'coupons',
  'invoices',
  'invoiceitems',
  'invoice_payments',
  'credit_notes',
  'subscriptions',
  'subscription_schedules',
  'payment_intents',
  'charges',
  'disputes',
  'events',
  'webhook_endpoints',
  'test_helpers/test_clocks',
];

export const GENERATED_FILE = join(__dirname, 'allowed-params.generated.ts');

/** The installed `stripe` package's folder (its package.json is not exported, so walk up from its entry). */
function stripeRoot(): string {
  let dir = dirname(require.resolve('stripe'));
  while (!existsSync(join(dir, 'package.json')) || (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== 'stripe') {
    const up = dirname(dir);
    if (up === dir) throw new Error('stripe package not found');
    dir = up;
  }
  return dir;
}

function stripeResourcesDir(): string {
  return join(stripeRoot(), 'cjs', 'resources');
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name.endsWith('.js')) out.push(full);
  }
  return out;
}

interface Call {
  className: string;
  methodName: string;
  key: string;
}

function callsIn(jsFile: string): Call[] {
  const source = readFileSync(jsFile, 'utf8');
  const className = /class (\w+) extends/.exec(source)?.[1];
  if (!className) return [];
  const calls: Call[] = [];
  const pattern = /^ {4}(\w+)\([^)]*\) \{\s*return this\._makeRequest\('(GET|POST|DELETE)', [`'](\/v1\/[^`']+)[`']/gm;
  for (const found of source.matchAll(pattern)) {
    const [, methodName, method, path] = found;
    const rest = path.slice('/v1/'.length);
    if (!SERVED.some((prefix) => rest === prefix || rest.startsWith(`${prefix}/`) || rest.startsWith(`${prefix}\${`))) continue;
    calls.push({ className, methodName, key: routeKey(method, path) });
  }
  return calls;
}

/** Every endpoint's top-level parameter names, keyed by `METHOD /v1/path/*`. */
export function collectAllowedParams(): Record<string, string[]> {
  const jsFiles = walk(stripeResourcesDir());
  const calls = jsFiles.map((file) => ({ file, calls: callsIn(file) })).filter((entry) => entry.calls.length > 0);
  const dtsFiles = calls.map((entry) => entry.file.replace(/\.js$/, '.d.ts'));
  const program = ts.createProgram(dtsFiles, { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const allowed = new Map<string, Set<string>>();
  for (const { file, calls: fileCalls } of calls) {
    const sourceFile = program.getSourceFile(file.replace(/\.js$/, '.d.ts'));
    if (!sourceFile) throw new Error(`stripe types missing for ${file}`);
    const classes = new Map<string, ts.ClassDeclaration>();
    sourceFile.forEachChild((node) => {
      if (ts.isClassDeclaration(node) && node.name) classes.set(node.name.text, node);
    });
    for (const call of fileCalls) {
      const declaration = classes.get(call.className);
      const method = declaration?.members.find(
        (member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && member.name.getText(sourceFile) === call.methodName,
      );
      if (!method) throw new Error(`${call.className}.${call.methodName} has no declaration in ${file}`);
      const params = method.parameters.find((parameter) => parameter.name.getText(sourceFile) === 'params');
      const names = allowed.get(call.key) ?? new Set<string>();
      if (params?.type) {
        const type = checker.getTypeFromTypeNode(params.type);
        for (const property of checker.getPropertiesOfType(checker.getNonNullableType(type))) names.add(property.name);
      }
      allowed.set(call.key, names);
    }
  }
  return Object.fromEntries([...allowed.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, names]) => [key, [...names].sort()]));
}

export function renderAllowedParams(allowed: Record<string, string[]>, stripeVersion: string): string {
  const lines = Object.entries(allowed).map(([key, names]) => `  '${key}': [${names.map((name) => `'${name}'`).join(', ')}],`);
  return [
    `// Generated by src/sandbox/http/generate-allowed-params.ts from the stripe package ${stripeVersion}. Do not edit.`,
    '// Top-level parameters each endpoint accepts, keyed by "METHOD /v1/path" with * for ids.',
    'export const ALLOWED_PARAMS: Readonly<Record<string, readonly string[]>> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}

export function generateAllowedParamsSource(): string {
  const version = (JSON.parse(readFileSync(join(stripeRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return renderAllowedParams(collectAllowedParams(), version);
}

if (require.main === module) {
  // Written next to the source, not into dist/.
  const target = process.argv[2] ?? GENERATED_FILE.replace(`${join('dist', 'src')}`, 'src');
  writeFileSync(target, generateAllowedParamsSource());
  console.log(`wrote ${target}`);
}
