import { AppError } from '@harbor/errors';
import { DirectoryAnswer, DirectoryUnavailable } from '../ldap/ldap-directory';

/**
 * Directory trouble as the API reports it to system admins (the only callers
 * of the LDAP endpoints): 503 with the reason, since fixing the LDAP settings
 * is theirs to do. Anything else passes through unchanged.
 */
export function directoryFailure(err: unknown): unknown {
  if (err instanceof DirectoryUnavailable) return new AppError('SERVICE_UNAVAILABLE', err.message, undefined, { cause: err });
  if (err instanceof DirectoryAnswer) return new AppError('SERVICE_UNAVAILABLE', `LDAP search failed: ${err.message}`, undefined, { cause: err });
  return err;
}
