import { AppError } from '@harbor/errors';

/**
 * The OCI distribution name grammar (lowercase path components separated by
 * `/`, each made of alphanumerics joined by `.`, `_`, `__` or runs of `-`).
 */
const component = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const repositoryNamePattern = new RegExp(`^${component}(?:/${component})*$`);
const tagPattern = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const digestPattern = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isRepositoryName(name: string): boolean {
  return name.length <= 255 && repositoryNamePattern.test(name);
}

export function isTagName(value: string): boolean {
  return tagPattern.test(value);
}

export function isDigestValue(value: string): boolean {
  return digestPattern.test(value);
}

/**
 * Harbor's rule for repository names in API paths: a name with `/` is URL
 * encoded twice (`a/b` → `a%252Fb`). The router has decoded once; this
 * decodes the second time and joins the project name, then checks the result
 * is a repository name at all, so `..`, empty components or stray `%` never
 * reach a query.
 */
export function repositoryNameFromPath(projectName: string, pathValue: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathValue);
  } catch {
    throw new AppError('BAD_REQUEST', 'repository_name is not a valid URL-encoded name');
  }
  const full = `${projectName}/${decoded}`;
  if (!isRepositoryName(full)) throw new AppError('BAD_REQUEST', `invalid repository name ${JSON.stringify(decoded.slice(0, 300))}`);
  return full;
}

/** What a client puts in a path for `project/a/b`: `a%252Fb`. */
export function encodeRepositoryPath(fullName: string): string {
  const rest = fullName.slice(fullName.indexOf('/') + 1);
  return encodeURIComponent(encodeURIComponent(rest));
}

export type ArtifactReference = { kind: 'digest'; digest: string } | { kind: 'tag'; tag: string };

/** A path's `reference`: a digest (`algo:hex`) or a tag; anything else is a 400. */
export function parseArtifactReference(value: string): ArtifactReference {
  if (value.includes(':')) {
    if (!isDigestValue(value)) throw new AppError('BAD_REQUEST', `invalid digest ${JSON.stringify(value.slice(0, 200))}`);
    return { kind: 'digest', digest: value };
  }
  if (!isTagName(value)) throw new AppError('BAD_REQUEST', `invalid tag ${JSON.stringify(value.slice(0, 200))}`);
  return { kind: 'tag', tag: value };
}
