import { requestJson } from './http';

/** Harbor's `GeneralInfo` (the fields the portal reads). */
export interface SystemInfo {
  harbor_version: string;
  external_url?: string;
  auth_mode?: string;
  self_registration?: boolean;
}

export function systemInfo(): Promise<SystemInfo> {
  return requestJson<SystemInfo>('/api/v2.0/systeminfo');
}
