import { requestJson } from './http';

/** Harbor's `GeneralInfo` (the fields the portal reads). */
export interface SystemInfo {
  harbor_version: string;
  external_url?: string;
  /** Where `docker login` points: host and port, no scheme (signed-in callers only). */
  registry_url?: string;
  auth_mode?: string;
  self_registration?: boolean;
}

export function systemInfo(): Promise<SystemInfo> {
  return requestJson<SystemInfo>('/api/v2.0/systeminfo');
}

/** The host (and port) image references start with: `registry_url`, else the external URL's host, else this page's. */
export async function registryHost(): Promise<string> {
  const info = await systemInfo();
  if (info.registry_url) return info.registry_url;
  if (info.external_url) return new URL(info.external_url).host;
  return window.location.host;
}
