import { existsSync } from 'node:fs';
import type { CfgIssue } from './cfg-issue';
import type { CfgEntry, ParsedCfg } from './cfg.parser';
import { cfgKeyNames, cfgKeys, type CfgKey, type HarborCfg, type KeyLines } from './cfg.schema';

export interface ValidatedCfg {
  cfg: HarborCfg;
  /** Where each key was set, for errors found after validation. */
  lines: KeyLines;
}

export type Validation = { ok: true; value: ValidatedCfg } | { ok: false; issues: CfgIssue[] };

export interface ValidateOptions {
  /** Whether a file exists (the TLS certificate checks); injectable for tests. */
  fileExists?: (path: string) => boolean;
}

/**
 * Turns parsed harbor.cfg entries into a typed HarborCfg: unknown keys,
 * values that do not fit their key, missing required keys and inconsistent
 * combinations each become an issue naming the key and its line. All issues
 * are collected; nothing is thrown.
 */
export function validateCfg(parsed: ParsedCfg, options: ValidateOptions = {}): Validation {
  const issues: CfgIssue[] = [...parsed.issues];
  const lines: KeyLines = {};
  const values: Record<string, unknown> = {};

  for (const entry of parsed.entries.values()) {
    if (!(entry.key in cfgKeys)) issues.push(unknownKey(entry));
  }

  for (const name of cfgKeyNames) {
    const spec = cfgKeys[name] as (typeof cfgKeys)[CfgKey] & { default?: string; required?: true; secret?: true };
    const entry = parsed.entries.get(name);
    if (!entry) {
      if (spec.required) {
        issues.push({ key: name, line: null, message: `missing required key: expected ${spec.expected}` });
        continue;
      }
      values[name] = (spec.schema as { parse(v: string): unknown }).parse(spec.default ?? '');
      continue;
    }
    lines[name] = entry.line;
    const result = spec.schema.safeParse(entry.value);
    if (result.success) {
      values[name] = result.data;
    } else {
      const got = spec.secret ? '' : entry.value === '' ? ', got an empty value' : `, got ${JSON.stringify(entry.value)}`;
      issues.push({ key: name, line: entry.line, message: `expected ${spec.expected}${got}` });
    }
  }

  if (issues.length > 0) return { ok: false, issues };
  const cfg = values as HarborCfg;
  const combined = checkCombinations(cfg, lines, options.fileExists ?? existsSync);
  if (combined.length > 0) return { ok: false, issues: combined };
  return { ok: true, value: { cfg, lines } };
}

/** Rules that involve more than one key. They run only once every key is valid on its own. */
function checkCombinations(cfg: HarborCfg, lines: KeyLines, fileExists: (path: string) => boolean): CfgIssue[] {
  const issues: CfgIssue[] = [];
  const at = (key: CfgKey, message: string) => issues.push({ key, line: lines[key] ?? null, message });

  if (cfg.ui_url_protocol === 'https') {
    for (const key of ['ssl_cert', 'ssl_cert_key'] as const) {
      if (cfg[key] === '') at(key, 'expected a path because ui_url_protocol = https');
      else if (!fileExists(cfg[key])) at(key, `expected an existing file because ui_url_protocol = https, but ${cfg[key]} does not exist`);
    }
  }

  if (cfg.auth_mode === 'ldap_auth') {
    if (cfg.ldap_url === '') at('ldap_url', 'expected an ldap:// or ldaps:// URL because auth_mode = ldap_auth');
    if (cfg.ldap_basedn === '') at('ldap_basedn', 'expected a base DN because auth_mode = ldap_auth');
  }

  const storage = cfg.registry_storage_provider_config;
  if (cfg.registry_storage_provider_name === 'filesystem' && Object.keys(storage).length > 0) {
    at('registry_storage_provider_config', `expected no options for the filesystem provider (blobs go to data_volume/registry), got ${Object.keys(storage).join(', ')}`);
  }
  if (cfg.registry_storage_provider_name === 's3') {
    const missing = ['bucket', 'region'].filter((k) => !storage[k]);
    if (missing.length > 0) at('registry_storage_provider_config', `expected ${missing.join(' and ')} for the s3 provider`);
  }

  // One host runs every service natively, so the ports must not collide.
  const publicPort = cfg.ui_url_protocol === 'https' ? 'https_port' : 'http_port';
  const portKeys = [publicPort, 'registry_port', 'core_port', 'jobservice_port', 'log_port'] as const;
  const seen = new Map<number, CfgKey>();
  for (const k of portKeys) {
    const other = seen.get(cfg[k]);
    if (other) at(k, `expected a port no other service uses, but ${other} is also ${cfg[k]}`);
    else seen.set(cfg[k], k);
  }
  return issues;
}

function unknownKey(entry: CfgEntry): CfgIssue {
  const near = closestKey(entry.key);
  const hint = near ? ` (did you mean ${near}?)` : '';
  return { key: entry.key, line: entry.line, message: `unknown key${hint}: expected one of the keys documented in harbor.cfg.example` };
}

/** The documented key within two edits of a misspelt one, if any. */
function closestKey(name: string): CfgKey | null {
  let best: CfgKey | null = null;
  let bestDistance = 3;
  for (const candidate of cfgKeyNames) {
    const d = editDistance(name.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
