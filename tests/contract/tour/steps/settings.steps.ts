import type { Step, TourContext } from '../tour';

const privateId = (ctx: TourContext) => ctx.get<number>('private.id');
const metadatas = (ctx: TourContext) => `/projects/${privateId(ctx)}/metadatas`;
const quotaId = (ctx: TourContext) => ctx.get<number>('quota.id');

type ConfigItem = { value: unknown; editable: boolean };

/**
 * System settings, quotas and project metadata. Whatever is changed is put
 * back (the same token lifetime, the metadata added is removed), so later
 * steps see the suite as harbor.cfg made it.
 */
export const settingsSteps: Step[] = [
  {
    name: 'admin reads the configurations',
    area: 'configurations',
    as: 'admin',
    method: 'GET',
    path: '/configurations',
    status: 200,
    saves: ['config.token_expiration'],
    then: (res, ctx) => {
      const config = res.json<Record<string, ConfigItem>>();
      expect(config.ldap_search_password).toBeUndefined();
      expect(typeof config.token_expiration?.value).toBe('number');
      ctx.set('config.token_expiration', config.token_expiration!.value);
    },
  },
  { name: 'a developer may not read the configurations', area: 'configurations', as: 'developer', method: 'GET', path: '/configurations', status: 403 },
  { name: 'anonymous may not read the configurations', area: 'configurations', as: 'anonymous', method: 'GET', path: '/configurations', status: 401 },
  {
    name: 'admin sets the token lifetime it already has',
    area: 'configurations',
    as: 'admin',
    method: 'PUT',
    path: '/configurations',
    body: (ctx) => ({ token_expiration: ctx.get<number>('config.token_expiration') }),
    status: 200,
  },
  { name: 'an unknown configuration key is a 400', area: 'configurations', as: 'admin', method: 'PUT', path: '/configurations', body: { no_such_setting: true }, status: 400 },
  { name: 'a configuration of the wrong type is a 400', area: 'configurations', as: 'admin', method: 'PUT', path: '/configurations', body: { self_registration: 'yes' }, status: 400 },
  { name: 'a project admin may not change the configurations', area: 'configurations', as: 'projectAdmin', method: 'PUT', path: '/configurations', body: { self_registration: true }, status: 403 },

  {
    name: 'admin finds the private project’s quota',
    area: 'quotas',
    as: 'admin',
    method: 'GET',
    path: (ctx) => `/quotas?reference=project&reference_id=${privateId(ctx)}`,
    status: 200,
    saves: ['quota.id'],
    then: (res, ctx) => {
      const quotas = res.json<Array<{ id: number; ref: { id: number } }>>();
      expect(quotas).toHaveLength(1);
      expect(quotas[0]!.ref.id).toBe(privateId(ctx));
      ctx.set('quota.id', quotas[0]!.id);
    },
  },
  { name: 'admin lists quotas, sorted by usage, paged', area: 'quotas', as: 'admin', method: 'GET', path: '/quotas?sort=-used.storage&page=1&page_size=1', status: 200 },
  { name: 'admin reads one quota', area: 'quotas', as: 'admin', method: 'GET', path: (ctx) => `/quotas/${quotaId(ctx)}`, status: 200 },
  { name: 'admin sets a storage limit', area: 'quotas', as: 'admin', method: 'PUT', path: (ctx) => `/quotas/${quotaId(ctx)}`, body: { hard: { storage: 1073741824 } }, status: 200 },
  { name: 'a negative limit other than -1 is a 400', area: 'quotas', as: 'admin', method: 'PUT', path: (ctx) => `/quotas/${quotaId(ctx)}`, body: { hard: { storage: -5 } }, status: 400 },
  { name: 'admin lifts the limit again', area: 'quotas', as: 'admin', method: 'PUT', path: (ctx) => `/quotas/${quotaId(ctx)}`, body: { hard: { storage: -1 } }, status: 200 },
  { name: 'a missing quota is a 404', area: 'quotas', as: 'admin', method: 'GET', path: '/quotas/2147483000', status: 404 },
  { name: 'a project admin may not list quotas', area: 'quotas', as: 'projectAdmin', method: 'GET', path: '/quotas', status: 403 },
  { name: 'anonymous may not read a quota', area: 'quotas', as: 'anonymous', method: 'GET', path: (ctx) => `/quotas/${quotaId(ctx)}`, status: 401 },
  { name: 'a guest may not change a quota', area: 'quotas', as: 'guest', method: 'PUT', path: (ctx) => `/quotas/${quotaId(ctx)}`, body: { hard: { storage: 1 } }, status: 403 },

  { name: 'a maintainer adds project metadata', area: 'project-metadata', as: 'maintainer', method: 'POST', path: (ctx) => `${metadatas(ctx)}/`, body: { auto_scan: 'true' }, status: 200 },
  { name: 'metadata already set is a conflict', area: 'project-metadata', as: 'projectAdmin', method: 'POST', path: (ctx) => `${metadatas(ctx)}/`, body: { public: 'true' }, status: 409 },
  { name: 'an unknown metadata name is a 400', area: 'project-metadata', as: 'projectAdmin', method: 'POST', path: (ctx) => `${metadatas(ctx)}/`, body: { evil: 'true' }, status: 400 },
  {
    name: 'the project admin reads one metadata value',
    area: 'project-metadata',
    as: 'projectAdmin',
    method: 'GET',
    path: (ctx) => `${metadatas(ctx)}/auto_scan`,
    status: 200,
    then: (res) => expect(res.json()).toEqual({ auto_scan: 'true' }),
  },
  { name: 'a maintainer changes one metadata value', area: 'project-metadata', as: 'maintainer', method: 'PUT', path: (ctx) => `${metadatas(ctx)}/auto_scan`, body: { auto_scan: 'false' }, status: 200 },
  { name: 'a developer may not read project metadata', area: 'project-metadata', as: 'developer', method: 'GET', path: (ctx) => `${metadatas(ctx)}/`, status: 403 },
  { name: 'a non-member may not change project metadata', area: 'project-metadata', as: 'nonMember', method: 'PUT', path: (ctx) => `${metadatas(ctx)}/auto_scan`, body: { auto_scan: 'true' }, status: 403 },
  { name: 'anonymous may not delete project metadata', area: 'project-metadata', as: 'anonymous', method: 'DELETE', path: (ctx) => `${metadatas(ctx)}/auto_scan`, status: 401 },
  { name: 'the project admin deletes the metadata', area: 'project-metadata', as: 'projectAdmin', method: 'DELETE', path: (ctx) => `${metadatas(ctx)}/auto_scan`, status: 200 },
  { name: 'deleted metadata is a 404', area: 'project-metadata', as: 'projectAdmin', method: 'GET', path: (ctx) => `${metadatas(ctx)}/auto_scan`, status: 404 },
];
