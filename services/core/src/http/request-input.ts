import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from '@harbor/errors';
import { intId } from '../domain/int-id';
import { jsonObjectBody } from '../domain/json-body';

/**
 * Turning untrusted request parts into typed values. Every failure is a 400
 * in Harbor's envelope naming the field, never a crash or a 500.
 */

export function parseBody<S extends z.ZodTypeAny>(schema: S, req: Request): z.infer<S> {
  const parsed = schema.safeParse(jsonObjectBody(req.body));
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    // The path may hold a key the caller sent (a record's): name a bounded part of each step.
    const path = first.path.map((step) => String(step).slice(0, 64)).join('.');
    throw new AppError('BAD_REQUEST', `invalid request body: ${path || '(body)'}: ${first.message}`);
  }
  return parsed.data;
}

/** A query parameter given at most once. */
export function queryParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new AppError('BAD_REQUEST', `query parameter ${name} must be given once`);
  return value;
}

/** Every value of a repeatable query parameter (`scope` in token requests). */
export function queryParams(req: Request, name: string): string[] {
  const value = req.query[name];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

export function booleanQuery(req: Request, name: string): boolean | undefined {
  const value = queryParam(req, name);
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new AppError('BAD_REQUEST', `query parameter ${name} must be true or false`);
}

/** A numeric id in a path: a positive integer that fits MySQL's INT. */
export function pathId(value: string | undefined, name: string): number {
  const id = intId(value);
  if (id === null) throw new AppError('BAD_REQUEST', `${name} must be a positive integer`);
  return id;
}
