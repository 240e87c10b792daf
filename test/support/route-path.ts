/**
 * App Router paths (`/api/runs/[id]/events`) as matchers: a request path either matches, giving
 * the `[param]` values decoded, or not.
 */
export interface RoutePath {
  match: (pathname: string) => Record<string, string> | null;
}

export function routePath(path: string): RoutePath {
  const names: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      const name = /^\[([^\]]+)\]$/.exec(segment)?.[1];
      if (!name) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(name);
      return "([^/]+)";
    })
    .join("/");
  const pattern = new RegExp(`^${source}/?$`);
  return {
    match: (pathname) => {
      const found = pattern.exec(pathname);
      if (!found) return null;
      const params: Record<string, string> = {};
      try {
        names.forEach((name, index) => {
          params[name] = decodeURIComponent(found[index + 1] ?? "");
        });
      } catch {
        // A malformed escape (`%E0`) names nothing.
        return null;
      }
      return params;
    },
  };
}
