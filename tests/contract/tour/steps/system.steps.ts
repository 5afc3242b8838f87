import type { ActorName, Step } from '../tour';

const everyone: ActorName[] = ['admin', 'developer', 'anonymous'];

/** `/ping`, `/health`, `/systeminfo`: open to everyone, as in Harbor. */
export const systemSteps: Step[] = everyone.flatMap((as): Step[] => [
  {
    name: `ping as ${as}`,
    area: 'system',
    as,
    method: 'GET',
    path: '/ping',
    status: 200,
    then: (res) => expect(res.text).toBe('Pong'),
  },
  {
    name: `health as ${as}`,
    area: 'system',
    as,
    method: 'GET',
    path: '/health',
    status: 200,
    then: (res) => expect(res.json<{ status: string }>().status).toBe('healthy'),
  },
  {
    name: `systeminfo as ${as}`,
    area: 'system',
    as,
    method: 'GET',
    path: '/systeminfo',
    status: 200,
    then: (res) => expect(res.json<{ auth_mode?: string }>()).toBeInstanceOf(Object),
  },
]);
