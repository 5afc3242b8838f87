import type { V2Handler } from '../http/v2-context';

/** `GET /v2/`: any valid token gets 200, which is how `docker login` checks credentials. */
export const baseHandler: V2Handler = async ({ res }) => {
  res.status(200).json({});
};
