import type { Request, Response } from 'express';
import { AppError } from '@harbor/errors';
import type { Page } from '../dao/user.dao';
import { queryParam } from './request-input';

/** Harbor's swagger caps page_size at 100; larger requests are served 100 at a time rather than refused. */
export const maxPageSize = 100;
const defaultPageSize = 10;

export interface PageRequest extends Page {
  page: number;
  pageSize: number;
}

export function parsePage(req: Request): PageRequest {
  const page = positive(queryParam(req, 'page'), 'page', 1);
  const pageSize = Math.min(positive(queryParam(req, 'page_size'), 'page_size', defaultPageSize), maxPageSize);
  return { page, pageSize, offset: (page - 1) * pageSize, limit: pageSize };
}

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < 1) throw new AppError('BAD_REQUEST', `${name} must be a positive integer`);
  return Number(value);
}

/**
 * `X-Total-Count` and Harbor's `Link` header:
 * `</api/v2.0/projects?page=1&page_size=10>; rel="prev" , </api/v2.0/projects?page=3&page_size=10>; rel="next"`,
 * keeping the caller's other query parameters.
 */
export function setListHeaders(req: Request, res: Response, total: number, page: PageRequest): void {
  res.setHeader('X-Total-Count', String(total));
  const links: string[] = [];
  if (page.page > 1) links.push(`<${pageUrl(req, page.page - 1, page.pageSize)}>; rel="prev"`);
  if (page.page * page.pageSize < total) links.push(`<${pageUrl(req, page.page + 1, page.pageSize)}>; rel="next"`);
  if (links.length > 0) res.setHeader('Link', links.join(' , '));
}

function pageUrl(req: Request, page: number, pageSize: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query)) {
    if (key === 'page' || key === 'page_size') continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') params.append(key, v);
  }
  params.set('page', String(page));
  params.set('page_size', String(pageSize));
  return `${req.baseUrl}${req.path}?${params.toString()}`;
}
