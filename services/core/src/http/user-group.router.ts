import { Router } from 'express';
import { z } from 'zod';
import type { UserGroupController } from '../controllers/user-group.controller';
import type { UserGroupRecord } from '../dao/user-group.dao';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { parsePage, setListHeaders } from './pagination';
import { parseBody, pathId, queryParam } from './request-input';

/** Harbor's `UserGroup` body; the same shape serves create, update and project members' `member_group`. */
export const userGroupBody = z.object({
  id: z.number().int().nonnegative().optional(),
  group_name: z.string().max(255).optional(),
  group_type: z.number().int().optional(),
  ldap_group_dn: z.string().max(1024).optional(),
});

export function userGroupResp(group: UserGroupRecord) {
  return { id: group.id, group_name: group.groupName, group_type: group.groupType, ldap_group_dn: group.ldapGroupDn };
}

/** `/usergroups…` of Harbor's API. */
export function userGroupRouter(groups: UserGroupController): Router {
  const router = Router();

  router
    .route('/usergroups')
    .get(async (req, res) => {
      const page = parsePage(req);
      const filter = { groupName: queryParam(req, 'group_name'), ldapGroupDn: queryParam(req, 'ldap_group_dn') };
      const { total, groups: list } = await groups.list(callerOf(res), filter, page);
      setListHeaders(req, res, total, page);
      res.json(list.map(userGroupResp));
    })
    .post(async (req, res) => {
      const body = parseBody(userGroupBody, req);
      const id = await groups.create(callerOf(res), { groupName: body.group_name, groupType: body.group_type, ldapGroupDn: body.ldap_group_dn });
      res.status(201).location(`/api/v2.0/usergroups/${id}`).end();
    })
    .all(methodNotAllowed);

  router
    .route('/usergroups/search')
    .get(async (req, res) => {
      const page = parsePage(req);
      const { total, groups: list } = await groups.search(callerOf(res), queryParam(req, 'groupname') ?? '', page);
      setListHeaders(req, res, total, page);
      res.json(list.map((g) => ({ id: g.id, group_name: g.groupName, group_type: g.groupType })));
    })
    .all(methodNotAllowed);

  router
    .route('/usergroups/:group_id')
    .get(async (req, res) => {
      res.json(userGroupResp(await groups.get(callerOf(res), pathId(req.params.group_id, 'group_id'))));
    })
    .put(async (req, res) => {
      const id = pathId(req.params.group_id, 'group_id');
      const body = parseBody(userGroupBody, req);
      await groups.update(callerOf(res), id, body.group_name);
      res.status(200).end();
    })
    .delete(async (req, res) => {
      await groups.delete(callerOf(res), pathId(req.params.group_id, 'group_id'));
      res.status(200).end();
    })
    .all(methodNotAllowed);

  return router;
}
