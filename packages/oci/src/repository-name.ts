/**
 * Names and tags as the OCI distribution spec defines them:
 *   name:  [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*
 *   tag:   [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}
 * The grammar already rules out `..`, empty components, percent-escapes and
 * uppercase, so a valid name is safe in paths, SQL and headers as it is.
 */
const component = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const namePattern = new RegExp(`^${component}(?:/${component})*$`);
const tagPattern = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** Distribution's limit; Harbor's `repository.name` column is 255 too. */
export const maxRepositoryNameLength = 255;

export function isRepositoryName(name: string): boolean {
  return name.length <= maxRepositoryNameLength && namePattern.test(name);
}

export function isTag(tag: string): boolean {
  return tagPattern.test(tag);
}

/** The first path component: in Harbor, the project a repository belongs to. */
export function projectOf(name: string): string {
  const slash = name.indexOf('/');
  return slash < 0 ? name : name.slice(0, slash);
}
