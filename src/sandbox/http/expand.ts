/**
 * `expand[]=customer`, `expand[]=data.latest_invoice`: replaces ids by the objects they name,
 * copying along the path so the stored objects never change.
 */
export type Resolver = (id: string) => object | undefined;
/** Fields that are not ids but lists computed on demand (e.g. `invoice.payments`). */
export type Virtual = (owner: Record<string, unknown>, key: string) => unknown;

function expandPath(target: unknown, segments: string[], resolve: Resolver, virtual: Virtual): unknown {
  if (target === null || typeof target !== 'object') return target;
  if (Array.isArray(target)) return target.map((item) => expandPath(item, segments, resolve, virtual));
  const [head, ...rest] = segments;
  const copy: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  let value = copy[head];
  const computed = virtual(copy, head);
  if (computed !== undefined) value = computed;
  else if (typeof value === 'string') value = resolve(value) ?? value;
  else if (Array.isArray(value)) value = value.map((item) => (typeof item === 'string' ? (resolve(item) ?? item) : item));
  if (rest.length > 0) value = expandPath(value, rest, resolve, virtual);
  copy[head] = value;
  return copy;
}

export function expand(body: unknown, paths: string[], resolve: Resolver, virtual: Virtual): unknown {
  let out = body;
  for (const path of paths) out = expandPath(out, path.split('.').slice(0, 4), resolve, virtual);
  return out;
}
