import type { FormObject, FormValue } from './form-body';
import { invalid, missing } from './stripe-error';

/** Typed readers over a decoded form body; each raises Stripe's error for a bad value. */
export class Params {
  constructor(readonly raw: FormObject) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  str(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalid(name, `Invalid string: ${name}`);
    return value;
  }

  reqStr(name: string): string {
    const value = this.str(name);
    if (value === undefined || value === '') throw missing(name);
    return value;
  }

  int(name: string): number | undefined {
    const value = this.str(name);
    if (value === undefined || value === '') return undefined;
    if (!/^-?\d+$/.test(value)) throw invalid(name, `Invalid integer: ${value}`, 'parameter_invalid_integer');
    return Number(value);
  }

  reqInt(name: string): number {
    const value = this.int(name);
    if (value === undefined) throw missing(name);
    return value;
  }

  num(name: string): number | undefined {
    const value = this.str(name);
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isFinite(n)) throw invalid(name, `Invalid decimal: ${value}`, 'parameter_invalid_decimal');
    return n;
  }

  bool(name: string): boolean | undefined {
    const value = this.str(name);
    if (value === undefined || value === '') return undefined;
    if (value !== 'true' && value !== 'false') throw invalid(name, `Invalid boolean: ${value}`, 'parameter_invalid_boolean');
    return value === 'true';
  }

  obj(name: string): Params | undefined {
    const value = this.raw[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw invalid(name, `Invalid object: ${name}`, 'parameter_invalid_object');
    return new Params(value);
  }

  list(name: string): Params[] {
    const value = this.raw[name];
    if (value === undefined || value === '') return [];
    if (!Array.isArray(value)) throw invalid(name, `Invalid array: ${name}`, 'parameter_invalid_array');
    return value.map((item) => {
      if (typeof item !== 'object' || Array.isArray(item)) throw invalid(name, `Invalid array of objects: ${name}`, 'parameter_invalid_array');
      return new Params(item);
    });
  }

  strings(name: string): string[] {
    const value: FormValue | undefined = this.raw[name];
    if (value === undefined || value === '') return [];
    if (typeof value === 'string') return [value];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalid(name, `Invalid array: ${name}`, 'parameter_invalid_array');
    return value as string[];
  }

  /** `metadata[k]=v` merged onto the current metadata; an empty value deletes the key (Stripe's rule). */
  metadata(current: Record<string, string> = {}): Record<string, string> {
    const value = this.raw.metadata;
    if (value === undefined) return current;
    if (value === '') return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw invalid('metadata', 'Invalid object: metadata', 'parameter_invalid_object');
    const next = { ...current };
    for (const [key, item] of Object.entries(value)) {
      if (typeof item !== 'string') throw invalid(`metadata[${key}]`, 'Metadata values must be strings');
      if (item === '') delete next[key];
      else next[key] = item;
    }
    return next;
  }
}
