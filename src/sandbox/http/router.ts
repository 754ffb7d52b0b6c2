import type { Params } from './params';

export interface RouteRequest {
  method: string;
  path: string;
  pathParams: Record<string, string>;
  params: Params;
  idempotencyKey?: string;
}

export type RouteHandler = (req: RouteRequest) => unknown;

interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

/** Matches `/v1/invoices/:id/pay`-style paths; first registered match wins. */
export class Router {
  private readonly routes: Route[] = [];

  on(method: 'GET' | 'POST' | 'DELETE', path: string, handler: RouteHandler): this {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    this.routes.push({ method, path, pattern, names, handler });
    return this;
  }

  match(method: string, path: string): { handler: RouteHandler; pathParams: Record<string, string>; route: string } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const pathParams: Record<string, string> = {};
      route.names.forEach((name, i) => (pathParams[name] = decodeURIComponent(found[i + 1])));
      return { handler: route.handler, pathParams, route: route.path };
    }
    return undefined;
  }
}
