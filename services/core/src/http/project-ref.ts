import type { Request } from 'express';
import type { ProjectRef } from '../controllers/project-access';

/**
 * Harbor's `project_name_or_id` with the `X-Is-Resource-Name` header: when
 * the header is true the value is a name; otherwise a value that reads as an
 * integer is an id and anything else a name.
 */
export function projectRefOf(req: Request): ProjectRef {
  const value = String(req.params.project_name_or_id ?? '');
  const isName = (req.header('x-is-resource-name') ?? '').toLowerCase() === 'true';
  if (!isName && /^[0-9]{1,10}$/.test(value) && Number(value) <= 2147483647) return { id: Number(value) };
  return { name: value };
}
