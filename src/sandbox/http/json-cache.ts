/**
 * Serialized objects, reused between reads. A backfill reads the same unchanged invoices page
 * after page; serializing each once makes a page a concatenation of buffers. Any state change
 * (every one emits an event, every write is a POST/DELETE) drops the whole cache, so a
 * served object is never stale. The cache is bounded: a one-pass backfill of 200,000 invoices
 * must not pin hundreds of megabytes of serialized copies (the GC would pay for it).
 */
export class JsonCache {
  private cache = new WeakMap<object, string>();
  private entries = 0;

  constructor(private readonly maxEntries = 5_000) {}

  invalidate(): void {
    if (this.entries === 0) return;
    this.cache = new WeakMap();
    this.entries = 0;
  }

  of(value: object): string {
    let hit = this.cache.get(value);
    if (!hit) {
      hit = JSON.stringify(value);
      if (this.entries >= this.maxEntries) this.invalidate();
      this.cache.set(value, hit);
      this.entries += 1;
    }
    return hit;
  }

  /**
   * Serializes list items ahead of their request (read-ahead for clients paging through),
   * a few at a time so requests arriving meanwhile are not held up.
   */
  warm(items: object[], chunk = 10): void {
    let i = 0;
    const step = (): void => {
      for (const end = Math.min(i + chunk, items.length); i < end; i += 1) this.of(items[i]);
      if (i < items.length) setImmediate(step);
    };
    setImmediate(step);
  }

  /**
   * A body for a handler's result, as chunks: lists are stitched from per-item strings, so a
   * 100-invoice page never becomes one huge string (which V8 would put in large-object space,
   * forcing full collections of a gigabyte heap page after page).
   */
  body(result: unknown): string[] {
    if (result === null || typeof result !== 'object') return [JSON.stringify(result)];
    const list = result as { object?: unknown; data?: unknown; has_more?: unknown; url?: unknown };
    if (list.object === 'list' && Array.isArray(list.data) && Object.keys(list).length === 4) {
      const parts: string[] = ['{"object":"list","data":['];
      list.data.forEach((item: object, i) => {
        if (i > 0) parts.push(',');
        parts.push(this.of(item));
      });
      parts.push(`],"has_more":${list.has_more === true},"url":${JSON.stringify(list.url)}}`);
      return parts;
    }
    return [this.of(result)];
  }
}
