import { Router } from 'express';
import { z } from 'zod';
import type { LdapController, LdapSettingsOverride } from '../controllers/ldap.controller';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { parseBody, queryParam } from './request-input';

/** Harbor's `LdapConf`: every field optional, absent ones keep the configured value. */
const ldapConf = z.object({
  ldap_url: z.string().regex(/^ldaps?:\/\/\S+$/, 'expected an ldap:// or ldaps:// URL').max(1024).optional(),
  ldap_search_dn: z.string().max(1024).optional(),
  ldap_search_password: z.string().max(1024).optional(),
  ldap_base_dn: z.string().max(1024).optional(),
  ldap_filter: z.string().max(1024).optional(),
  ldap_uid: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'expected an attribute name').max(255).optional(),
  ldap_scope: z.number().int().min(0).max(2).optional(),
  ldap_connection_timeout: z.number().int().min(1).max(60).optional(),
  ldap_verify_cert: z.boolean().optional(),
});

const importRequest = z.object({ ldap_uid_list: z.array(z.string().min(1).max(255)).max(1000) });

const scopes = ['base', 'one', 'sub'] as const;

function overrideOf(body: z.infer<typeof ldapConf>): LdapSettingsOverride {
  const override: LdapSettingsOverride = {};
  if (body.ldap_url !== undefined) override.url = body.ldap_url;
  if (body.ldap_search_dn !== undefined) override.searchDn = body.ldap_search_dn;
  if (body.ldap_search_password !== undefined) override.searchPassword = body.ldap_search_password;
  if (body.ldap_base_dn !== undefined) override.baseDn = body.ldap_base_dn;
  if (body.ldap_filter !== undefined) override.filter = body.ldap_filter;
  if (body.ldap_uid !== undefined) override.uid = body.ldap_uid;
  if (body.ldap_scope !== undefined) override.scope = scopes[body.ldap_scope]!;
  if (body.ldap_connection_timeout !== undefined) override.timeoutSeconds = body.ldap_connection_timeout;
  if (body.ldap_verify_cert !== undefined) override.verifyCertificate = body.ldap_verify_cert;
  return override;
}

/** `/ldap/…` of Harbor's API. */
export function ldapRouter(ldap: LdapController): Router {
  const router = Router();

  router
    .route('/ldap/ping')
    .post(async (req, res) => {
      // No body (or an empty one) tests the configured settings.
      const hasBody = req.body !== undefined && !(typeof req.body === 'object' && req.body !== null && Object.keys(req.body).length === 0);
      const override = hasBody ? overrideOf(parseBody(ldapConf, req)) : null;
      res.json(await ldap.ping(callerOf(res), override));
    })
    .all(methodNotAllowed);

  router
    .route('/ldap/users/search')
    .get(async (req, res) => {
      const people = await ldap.searchPeople(callerOf(res), queryParam(req, 'username') ?? '');
      res.json(people.map((p) => ({ username: p.username, realname: p.realname, email: p.email })));
    })
    .all(methodNotAllowed);

  router
    .route('/ldap/users/import')
    .post(async (req, res) => {
      const body = parseBody(importRequest, req);
      const failures = await ldap.importPeople(callerOf(res), body.ldap_uid_list);
      // Harbor's contract: 404 with the list of uids that could not be imported.
      if (failures.length > 0) res.status(404).json(failures);
      else res.status(200).end();
    })
    .all(methodNotAllowed);

  router
    .route('/ldap/groups/search')
    .get(async (req, res) => {
      const groups = await ldap.searchGroups(callerOf(res), { groupName: queryParam(req, 'groupname'), groupDn: queryParam(req, 'groupdn') });
      res.json(groups.map((g) => ({ group_name: g.name, group_type: 1, ldap_group_dn: g.dn })));
    })
    .all(methodNotAllowed);

  return router;
}
