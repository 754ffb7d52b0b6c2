/**
 * What an `*.updated` event carries as `data.previous_attributes`: every field the update set,
 * with the value it had before. One object per update, passed to `events.emit` as `.values`.
 */
export class PreviousAttributes<T extends object> {
  readonly values: Record<string, unknown> = {};

  constructor(private readonly target: T) {}

  /** Sets the field when a value is given (undefined leaves it as it is), keeping the old value. */
  set<K extends keyof T & string>(field: K, value: T[K] | undefined): void {
    if (value === undefined) return;
    this.values[field] = this.target[field];
    this.target[field] = value;
  }

  /** Keeps a field's value before other code changes it (a deep copy where the field is changed in place). */
  keep(field: keyof T & string, value: unknown = this.target[field]): void {
    this.values[field] = value;
  }
}
