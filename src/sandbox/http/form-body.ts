/**
 * Decodes Stripe's form encoding (`a[b][0][c]=v`, `expand[0]=x`, `expand[]=x`) into nested
 * objects and arrays, as stripe-node's `stringifyRequestData` encodes them.
 */
export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

const decode = (text: string): string => decodeURIComponent(text.replace(/\+/g, ' '));

function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  const re = /\[([^\]]*)\]/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(key.slice(open))) !== null) segments.push(match[1]);
  return segments;
}

/** Objects whose keys are all array indexes become arrays (in index order). */
function arrayify(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const key of keys) value[key] = arrayify(value[key]);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => value[key]);
  }
  return value;
}

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  if (!body) return root;
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const segments = splitKey(key);
    let node: FormObject = root;
    for (let i = 0; i < segments.length; i += 1) {
      let segment = segments[i];
      if (segment === '') segment = String(Object.keys(node).length); // `a[]` appends
      if (i === segments.length - 1) {
        node[segment] = value;
      } else {
        const next = node[segment];
        if (typeof next !== 'object' || next === null || Array.isArray(next)) node[segment] = {};
        node = node[segment] as FormObject;
      }
    }
  }
  return arrayify(root) as FormObject;
}
