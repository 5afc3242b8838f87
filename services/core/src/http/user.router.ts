import { Router } from 'express';
import { AppError } from '@harbor/errors';
import { z } from 'zod';
import type { UserController } from '../controllers/user.controller';
import type { UserFilter, UserSortKey } from '../dao/user.dao';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { parsePage, setListHeaders } from './pagination';
import { userResp } from './presenters';
import { parseQueryFilter, parseSort } from './query-filter';
import { parseBody, pathId, queryParam } from './request-input';

const userCreationReq = z.object({
  username: z.string().max(255),
  email: z.string().max(255).optional(),
  realname: z.string().max(255).optional(),
  password: z.string().max(1024),
  comment: z.string().max(255).optional(),
});

const passwordReq = z.object({
  old_password: z.string().max(1024).optional(),
  new_password: z.string().max(1024),
});

const sysadminFlag = z.object({ sysadmin_flag: z.boolean() });

const userProfile = z.object({
  email: z.string().max(255).optional(),
  realname: z.string().max(255).optional(),
  comment: z.string().max(255).optional(),
});

const sortKeys: readonly UserSortKey[] = ['user_id', 'username', 'email', 'creation_time', 'update_time'];

/** `/users…` of Harbor's API. */
export function userRouter(users: UserController): Router {
  const router = Router();

  router
    .route('/users')
    .get(async (req, res) => {
      const page = parsePage(req);
      const filter: UserFilter = {};
      for (const term of parseQueryFilter(queryParam(req, 'q'), ['username', 'email'])) {
        filter[term.key as 'username' | 'email'] = { value: term.value, fuzzy: term.fuzzy };
      }
      const sort = parseSort(queryParam(req, 'sort'), sortKeys);
      const { total, users: list } = await users.list(callerOf(res), filter, sort, page);
      setListHeaders(req, res, total, page);
      res.json(list.map(userResp));
    })
    .post(async (req, res) => {
      const body = parseBody(userCreationReq, req);
      const id = await users.create(callerOf(res), body);
      res.status(201).location(`/api/v2.0/users/${id}`).end();
    })
    .all(methodNotAllowed);

  // Before /users/:user_id, which would otherwise take `search` for an id.
  router
    .route('/users/search')
    .get(async (req, res) => {
      const page = parsePage(req);
      const username = queryParam(req, 'username');
      if (!username) throw new AppError('BAD_REQUEST', 'username is required');
      if (username.length > 255) throw new AppError('BAD_REQUEST', 'username is at most 255 characters');
      const { total, users: found } = await users.search(callerOf(res), username, page);
      setListHeaders(req, res, total, page);
      res.json(found.map((u) => ({ user_id: u.userId, username: u.username })));
    })
    .all(methodNotAllowed);

  router
    .route('/users/current')
    .get((_req, res) => {
      res.json(userResp(users.current(callerOf(res))));
    })
    .all(methodNotAllowed);

  router
    .route('/users/:user_id')
    .get(async (req, res) => {
      res.json(userResp(await users.get(callerOf(res), pathId(req.params.user_id, 'user_id'))));
    })
    .put(async (req, res) => {
      const id = pathId(req.params.user_id, 'user_id');
      await users.updateProfile(callerOf(res), id, parseBody(userProfile, req));
      res.status(200).end();
    })
    .delete(async (req, res) => {
      await users.delete(callerOf(res), pathId(req.params.user_id, 'user_id'));
      res.status(200).end();
    })
    .all(methodNotAllowed);

  router
    .route('/users/:user_id/password')
    .put(async (req, res) => {
      const id = pathId(req.params.user_id, 'user_id');
      const body = parseBody(passwordReq, req);
      await users.changePassword(callerOf(res), id, { oldPassword: body.old_password, newPassword: body.new_password });
      res.status(200).end();
    })
    .all(methodNotAllowed);

  router
    .route('/users/:user_id/sysadmin')
    .put(async (req, res) => {
      const id = pathId(req.params.user_id, 'user_id');
      const body = parseBody(sysadminFlag, req);
      await users.setSysadmin(callerOf(res), id, body.sysadmin_flag);
      res.status(200).end();
    })
    .all(methodNotAllowed);

  return router;
}
