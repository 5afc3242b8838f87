import { useEffect, useState } from 'react';
import { getProject, Project } from '../../api/project.api';
import { registryHost, systemInfo } from '../../api/systeminfo.api';

/**
 * The repository name as the route gives it. Links encode it in one segment
 * (`team%2Fapp`); react-router decodes that to `team/app`, but a router or a
 * pasted link that leaves `%2F` in place must read the same, and a
 * repository name never holds a `%` of its own, so what is left is decoded.
 */
export function repositoryFromParam(value: string | undefined): string {
  const name = value ?? '';
  if (!name.includes('%')) return name;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

export function repositoryLink(projectId: number, repositoryName: string): string {
  return `/harbor/projects/${projectId}/repositories/${encodeURIComponent(repositoryName)}`;
}

export function artifactLink(projectId: number, repositoryName: string, reference: string): string {
  return `${repositoryLink(projectId, repositoryName)}/artifacts/${encodeURIComponent(reference)}`;
}

/** The project a page's URL names by id (its name is what the artifact API paths want). */
export function useProject(projectId: number): { project: Project | null; error: unknown } {
  const [state, setState] = useState<{ project: Project | null; error: unknown }>({ project: null, error: null });
  useEffect(() => {
    let current = true;
    setState({ project: null, error: null });
    getProject(projectId).then(
      (project) => current && setState({ project, error: null }),
      (error: unknown) => current && setState({ project: null, error }),
    );
    return () => {
      current = false;
    };
  }, [projectId]);
  return state;
}

/** Where `docker pull` points; null until known (pull commands wait for it). */
export function useRegistryHost(): string | null {
  const [host, setHost] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    systemInfo().then(
      (info) => current && setHost(registryHost(info)),
      () => current && setHost(registryHost(null)),
    );
    return () => {
      current = false;
    };
  }, []);
  return host;
}
