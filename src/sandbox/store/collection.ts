/**
 * One resource type in memory, kept in (created, insertion) order so a page is a binary
 * search plus a short scan: paging 200,000 invoices never walks the whole list.
 * Secondary indexes (e.g. by customer) are separate ordered arrays for immutable fields.
 */
export interface Stored {
  id: string;
}

export interface RangeFilter {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export interface ListQuery<T> {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
  created?: RangeFilter;
  /** Narrow to a secondary index, e.g. { field: 'customer', value: 'cus_…' }. */
  index?: { field: string; value: string };
  filter?: (item: T) => boolean;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

export class CursorNotFound extends Error {}

export class Collection<T extends Stored> {
  private readonly byId = new Map<string, T>();
  private readonly seq = new Map<string, number>();
  private readonly all: T[] = [];
  private readonly indexes = new Map<string, Map<string, T[]>>();
  /** Arrays that received an out-of-order (backdated) insert; each is sorted when next read. */
  private readonly unsorted = new Set<T[]>();
  private counter = 0;

  constructor(
    private readonly indexFields: Array<(item: T) => string | null | undefined> = [],
    private readonly indexNames: string[] = [],
    /** The timestamp lists are ordered and filtered by (`created`, or `date` for invoice items). */
    private readonly time: (item: T) => number = (item) => (item as unknown as { created: number }).created,
  ) {
    for (const name of indexNames) this.indexes.set(name, new Map());
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<T> {
    return this.byId.values();
  }

  insert(item: T): T {
    this.seq.set(item.id, this.counter++);
    this.byId.set(item.id, item);
    this.append(this.all, item);
    this.indexNames.forEach((name, i) => {
      const key = this.indexFields[i](item);
      if (!key) return;
      const index = this.indexes.get(name) as Map<string, T[]>;
      const bucket = index.get(key);
      if (bucket) this.append(bucket, item);
      else index.set(key, [item]);
    });
    return item;
  }

  private append(list: T[], item: T): void {
    const last = list[list.length - 1];
    if (last && this.time(last) > this.time(item)) this.unsorted.add(list);
    list.push(item);
  }

  /** Removes an object (deleted invoice items, webhook endpoints); O(n), rare. */
  remove(id: string): void {
    const item = this.byId.get(id);
    if (!item) return;
    this.byId.delete(id);
    const drop = (list: T[]): void => {
      const at = list.indexOf(item);
      if (at >= 0) list.splice(at, 1);
    };
    drop(this.all);
    for (const index of this.indexes.values()) for (const bucket of index.values()) drop(bucket);
  }

  private compare = (a: T, b: T): number => this.time(a) - this.time(b) || (this.seq.get(a.id) as number) - (this.seq.get(b.id) as number);

  private ensureSorted(list: T[]): void {
    if (!this.unsorted.delete(list)) return;
    list.sort(this.compare);
  }

  /** First position whose element sorts at or after `item` (or strictly after, when `after`). */
  private bound(list: T[], item: T, after: boolean): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(list[mid], item);
      if (c < 0 || (after && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private createdBound(list: T[], created: number, after: boolean): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time(list[mid]) < created || (after && this.time(list[mid]) === created)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Newest first, as Stripe lists. `ending_before` returns the page just newer than the cursor. */
  list(query: ListQuery<T>): Page<T> {
    let list = this.all;
    if (query.index) list = this.indexes.get(query.index.field)?.get(query.index.value) ?? [];
    this.ensureSorted(list);
    let lo = 0;
    let hi = list.length;
    const created = query.created;
    if (created?.gte !== undefined) lo = Math.max(lo, this.createdBound(list, created.gte, false));
    if (created?.gt !== undefined) lo = Math.max(lo, this.createdBound(list, created.gt, true));
    if (created?.lte !== undefined) hi = Math.min(hi, this.createdBound(list, created.lte, true));
    if (created?.lt !== undefined) hi = Math.min(hi, this.createdBound(list, created.lt, false));
    const cursorOf = (id: string): T => {
      const cursor = this.byId.get(id);
      if (!cursor) throw new CursorNotFound(id);
      return cursor;
    };
    const data: T[] = [];
    const filter = query.filter;
    if (query.endingBefore !== undefined) {
      lo = Math.max(lo, this.bound(list, cursorOf(query.endingBefore), true));
      let i = lo;
      for (; i < hi && data.length < query.limit; i += 1) if (!filter || filter(list[i])) data.push(list[i]);
      let hasMore = false;
      for (; i < hi; i += 1)
        if (!filter || filter(list[i])) {
          hasMore = true;
          break;
        }
      return { data: data.reverse(), hasMore };
    }
    if (query.startingAfter !== undefined) hi = Math.min(hi, this.bound(list, cursorOf(query.startingAfter), false));
    let i = hi - 1;
    for (; i >= lo && data.length < query.limit; i -= 1) if (!filter || filter(list[i])) data.push(list[i]);
    let hasMore = false;
    for (; i >= lo; i -= 1)
      if (!filter || filter(list[i])) {
        hasMore = true;
        break;
      }
    return { data, hasMore };
  }
}
