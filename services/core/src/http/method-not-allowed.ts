import { AppError } from '@harbor/errors';

/** Last handler of a route: the path exists, the method does not. */
export function methodNotAllowed(): never {
  throw new AppError('METHOD_NOT_ALLOWED', 'method not allowed');
}
