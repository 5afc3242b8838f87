import { requestJson } from './http';

/** Harbor's `GeneralInfo` (the fields the portal reads). Signed-out callers get only the first few. */
export interface SystemInfo {
  harbor_version: string;
  external_url?: string;
  /** The host (and port) `docker login` and image references use, without a scheme. */
  registry_url?: string;
  auth_mode?: string;
  self_registration?: boolean;
  /** `everyone` or `adminonly`: who may create projects. */
  project_creation_restriction?: string;
}

export function systemInfo(): Promise<SystemInfo> {
  return requestJson<SystemInfo>('/api/v2.0/systeminfo');
}

/**
 * The registry's host for image references (`docker push <host>/<project>/<name>:tag`):
 * `registry_url`, else the host of `external_url`, else the host the portal was loaded from.
 */
export function registryHost(info: SystemInfo | null | undefined, fallback = typeof location === 'undefined' ? '' : location.host): string {
  if (info?.registry_url) return info.registry_url;
  if (info?.external_url) {
    try {
      return new URL(info.external_url).host;
    } catch {
      // not a URL: use the fallback
    }
  }
  return fallback;
}

/** Whether the caller may create projects, as the creation restriction says. */
export function mayCreateProjects(info: SystemInfo | null | undefined, sysadmin: boolean): boolean {
  if (sysadmin) return true;
  return info?.project_creation_restriction !== undefined && info.project_creation_restriction !== 'adminonly';
}
