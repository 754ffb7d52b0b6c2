import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** An error in words with what to do next: an API answer says why; no answer at all means the server is not reachable. */
export function errorWords(error: Error): string {
  if (error instanceof ApiError) return error.message;
  return `payrisk did not answer (${error.message}). Check that the server is running (npm start), then reload this page.`;
}

/** Loading, error and empty states, the same on every page. */
export function DataState<T>({
  query,
  empty,
  isEmpty,
  children,
}: {
  query: { isPending: boolean; error: Error | null; data: T | undefined };
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending)
    return (
      <p className="state" role="status">
        Loading…
      </p>
    );
  if (query.error)
    return (
      <p className="state error" role="alert">
        Could not load this: {errorWords(query.error)}
      </p>
    );
  const data = query.data as T;
  if (isEmpty?.(data)) return <p className="state empty">{empty ?? 'Nothing here yet.'}</p>;
  return <>{children(data)}</>;
}

export function LevelBadge({ level }: { level: string }) {
  return <span className={`badge level-${level}`}>{level}</span>;
}
