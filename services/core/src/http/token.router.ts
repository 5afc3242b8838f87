import express, { Request, Response, Router } from 'express';
import { IssuedToken, parseBasicAuth } from '@harbor/auth';
import { AppError } from '@harbor/errors';
import type { TokenController } from '../controllers/token.controller';
import { clientAddress } from './client-address';
import { methodNotAllowed } from './method-not-allowed';
import { queryParam, queryParams } from './request-input';

/**
 * `/service/token`, the realm of the registry's Bearer challenge.
 * GET is the Docker token spec (Basic credentials, `service`, `scope`…;
 * `account`, `offline_token` and `client_id` are accepted and not needed).
 * POST is the OAuth2 password grant some clients prefer; it answers the same
 * token and never a refresh token.
 */
export function tokenRouter(tokens: TokenController): Router {
  const router = Router();
  router
    .route('/service/token')
    .get(async (req, res) => {
      const header = req.header('authorization');
      let credentials: { username: string; password: string } | null = null;
      if (header !== undefined && header !== '') {
        credentials = parseBasicAuth(header);
        if (!credentials) throw new AppError('UNAUTHORIZED', 'unauthorized: malformed Basic credentials');
      }
      const issued = await tokens.issue({ credentials, service: queryParam(req, 'service'), scopes: queryParams(req, 'scope'), source: clientAddress(req) });
      sendToken(res, issued);
    })
    .post(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }), async (req: Request, res: Response) => {
      const form = (req.body ?? {}) as Record<string, unknown>;
      const field = (name: string): string | undefined => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
      const grantType = field('grant_type');
      if (grantType !== 'password') {
        throw new AppError('BAD_REQUEST', `unsupported grant_type ${JSON.stringify(grantType ?? '')}: only "password" is supported`);
      }
      const username = field('username');
      const password = field('password');
      if (!username || password === undefined) throw new AppError('BAD_REQUEST', 'username and password are required');
      const scope = field('scope');
      const issued = await tokens.issue({
        credentials: { username, password },
        service: field('service'),
        scopes: scope ? [scope] : [],
        source: clientAddress(req),
      });
      sendToken(res, issued);
    })
    .all(methodNotAllowed);
  return router;
}

function sendToken(res: Response, issued: IssuedToken): void {
  res.setHeader('Cache-Control', 'no-store');
  res.json({ token: issued.token, access_token: issued.token, expires_in: issued.expiresIn, issued_at: issued.issuedAt });
}
