/**
 * Scopes as the Docker token spec writes them: `type:name:action,action`,
 * several in one `scope` parameter separated by spaces. The name may itself
 * hold colons only in theory (the OCI name grammar forbids them), so the type
 * is everything before the first colon and the actions everything after the last.
 */
export interface ResourceActions {
  type: string;
  name: string;
  actions: string[];
}

export function parseScope(scope: string): ResourceActions[] {
  const result: ResourceActions[] = [];
  for (const part of scope.split(' ')) {
    if (part === '') continue;
    const first = part.indexOf(':');
    const last = part.lastIndexOf(':');
    if (first <= 0 || last === first) continue; // malformed scopes are ignored, as Distribution's auth does
    const type = part.slice(0, first);
    const name = part.slice(first + 1, last);
    const actions = part.slice(last + 1).split(',').filter((a) => a !== '');
    if (name === '') continue;
    result.push({ type: type.replace(/\(.*\)$/, ''), name, actions: [...new Set(actions)] });
  }
  return result;
}

export function parseScopes(scopes: string[]): ResourceActions[] {
  return merge(scopes.flatMap(parseScope));
}

export function formatScope(access: ResourceActions): string {
  return `${access.type}:${access.name}:${access.actions.join(',')}`;
}

/** Joins repeated requests for the same resource so a token lists each resource once. */
export function merge(list: ResourceActions[]): ResourceActions[] {
  const byKey = new Map<string, ResourceActions>();
  for (const item of list) {
    const key = `${item.type}\u0000${item.name}`;
    const seen = byKey.get(key);
    if (seen) seen.actions = [...new Set([...seen.actions, ...item.actions])];
    else byKey.set(key, { type: item.type, name: item.name, actions: [...item.actions] });
  }
  return [...byKey.values()];
}

/** True when `access` grants `action` on `type:name` ('*' grants everything). */
export function allows(access: ResourceActions[], type: string, name: string, action: string): boolean {
  return access.some(
    (a) => a.type === type && a.name === name && (a.actions.includes(action) || a.actions.includes('*')),
  );
}
