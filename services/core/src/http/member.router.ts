import { Router } from 'express';
import { z } from 'zod';
import type { MemberController } from '../controllers/member.controller';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { parsePage, setListHeaders } from './pagination';
import { memberResp } from './presenters';
import { projectRefOf } from './project-ref';
import { parseBody, pathId, queryParam } from './request-input';
import { userGroupBody } from './user-group.router';

const projectMember = z.object({
  role_id: z.number().int(),
  member_user: z
    .object({ user_id: z.number().int().nonnegative().optional(), username: z.string().max(255).optional() })
    .optional(),
  member_group: userGroupBody.nullable().optional(),
});

const roleRequest = z.object({ role_id: z.number().int() });

/** `/projects/{project_name_or_id}/members…` of Harbor's API. */
export function memberRouter(members: MemberController): Router {
  const router = Router();

  router
    .route('/projects/:project_name_or_id/members')
    .get(async (req, res) => {
      const page = parsePage(req);
      const { total, members: list } = await members.list(callerOf(res), projectRefOf(req), queryParam(req, 'entityname'), page);
      setListHeaders(req, res, total, page);
      res.json(list.map(memberResp));
    })
    .post(async (req, res) => {
      const body = parseBody(projectMember, req);
      const { projectId, memberId } = await members.create(callerOf(res), projectRefOf(req), {
        roleId: body.role_id,
        memberUser: body.member_user && { userId: body.member_user.user_id, username: body.member_user.username },
        memberGroup: body.member_group && {
          id: body.member_group.id,
          groupName: body.member_group.group_name,
          groupType: body.member_group.group_type,
          ldapGroupDn: body.member_group.ldap_group_dn,
        },
      });
      res.status(201).location(`/api/v2.0/projects/${projectId}/members/${memberId}`).end();
    })
    .all(methodNotAllowed);

  router
    .route('/projects/:project_name_or_id/members/:mid')
    .get(async (req, res) => {
      res.json(memberResp(await members.get(callerOf(res), projectRefOf(req), pathId(req.params.mid, 'mid'))));
    })
    .put(async (req, res) => {
      const mid = pathId(req.params.mid, 'mid');
      const body = parseBody(roleRequest, req);
      await members.update(callerOf(res), projectRefOf(req), mid, body.role_id);
      res.status(200).end();
    })
    .delete(async (req, res) => {
      await members.delete(callerOf(res), projectRefOf(req), pathId(req.params.mid, 'mid'));
      res.status(200).end();
    })
    .all(methodNotAllowed);

  return router;
}
