import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { strictFormats, SwaggerSchema, toJsonSchema } from './swagger-schema';

/**
 * Harbor's REST contract (`shared/reference/harbor-api-v2.0.swagger.yaml`)
 * as a checker of recorded HTTP exchanges: the status must be one the
 * operation declares, the body must match the declared schema (no extra,
 * misspelt or mistyped field), error bodies must be Harbor's envelope, and
 * the headers the response declares must be there.
 */

export const basePath = '/api/v2.0';

/** Where the swagger lives: `shared/` beside the repository, as in CI; `HARBOR_SWAGGER` overrides. */
export function swaggerPath(): string {
  const candidates = [process.env.HARBOR_SWAGGER, resolve(__dirname, '..', '..', '..', 'shared', 'reference', 'harbor-api-v2.0.swagger.yaml')];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  throw new Error(`Harbor's swagger not found (looked at ${candidates.filter(Boolean).join(', ')}); set HARBOR_SWAGGER`);
}

/** One HTTP exchange, as the tour recorded it. */
export interface Exchange {
  method: string;
  /** Path and query as sent, with or without the `/api/v2.0` base path. */
  url: string;
  status: number;
  headers: Headers | Record<string, string>;
  body: string;
}

export interface OperationRef {
  method: string;
  /** The swagger's path template, e.g. `/projects/{project_name_or_id}`. */
  template: string;
  operationId: string;
}

export interface CheckResult {
  /** The operation the request matched, if any. */
  operation: OperationRef | undefined;
  violations: string[];
}

interface ResponseSpec {
  schema?: SwaggerSchema;
  headers: string[];
}

interface Operation extends OperationRef {
  produces: string[];
  responses: Map<string, ResponseSpec>;
}

interface PathEntry {
  template: string;
  pattern: RegExp;
  /** More literal segments win: `/users/current` before `/users/{user_id}`. */
  literals: number;
  methods: Map<string, Operation>;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

export class HarborContract {
  private readonly paths: PathEntry[] = [];
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly errorsValidator: ValidateFunction;

  constructor(document: SwaggerDocument) {
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv, ['date-time']);
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    for (const format of collectFormats(document)) {
      if (!strictFormats.has(format)) this.ajv.addFormat(format, true);
    }
    const definitions: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(document.definitions ?? {})) definitions[name] = toJsonSchema(schema, { refBase: 'harbor' });
    this.ajv.addSchema({ $id: 'harbor', definitions });
    this.errorsValidator = this.ajv.compile({ $ref: 'harbor#/definitions/Errors' });

    for (const [template, item] of Object.entries(document.paths)) {
      const entry: PathEntry = { template, ...templatePattern(template), methods: new Map() };
      for (const method of methods) {
        const op = item[method] as SwaggerOperation | undefined;
        if (!op) continue;
        const responses = new Map<string, ResponseSpec>();
        for (const [status, raw] of Object.entries(op.responses ?? {})) {
          const response = resolveResponse(document, raw);
          responses.set(status, { schema: response.schema, headers: Object.keys(response.headers ?? {}) });
        }
        entry.methods.set(method.toUpperCase(), {
          method: method.toUpperCase(),
          template,
          operationId: op.operationId ?? `${method} ${template}`,
          produces: op.produces ?? document.produces ?? ['application/json'],
          responses,
        });
      }
      this.paths.push(entry);
    }
    this.paths.sort((a, b) => b.literals - a.literals);
  }

  /** Every operation of the swagger, for coverage reports. */
  operations(): OperationRef[] {
    return this.paths.flatMap((p) => [...p.methods.values()].map(({ method, template, operationId }) => ({ method, template, operationId })));
  }

  /** The operation a request goes to: method + path template under the base path. */
  match(method: string, url: string): { path: PathEntry | undefined; operation: Operation | undefined } {
    const path = stripBase(url.split('?')[0]!).replace(/\/+$/, '') || '/';
    const candidates = this.paths.filter((p) => p.pattern.test(path));
    const withMethod = candidates.find((p) => p.methods.has(method.toUpperCase()));
    return { path: withMethod ?? candidates[0], operation: withMethod?.methods.get(method.toUpperCase()) };
  }

  check(exchange: Exchange): CheckResult {
    const violations: string[] = [];
    const method = exchange.method.toUpperCase();
    const header = (name: string) => headerOf(exchange.headers, name);
    const { path, operation } = this.match(method, exchange.url);
    const hasBody = method !== 'HEAD' && exchange.body.length > 0;

    if (!operation) {
      // Not in the contract: only Harbor's "no such route" answers are acceptable.
      const expected = path ? 405 : 404;
      if (exchange.status !== expected) {
        violations.push(`${method} ${exchange.url} is not in the swagger: expected ${expected}, got ${exchange.status}`);
      }
      if (method !== 'HEAD') violations.push(...this.envelopeViolations(exchange.body));
      return { operation: undefined, violations };
    }

    const ref: OperationRef = { method: operation.method, template: operation.template, operationId: operation.operationId };
    const declared = operation.responses.get(String(exchange.status)) ?? operation.responses.get('default');
    if (!declared) {
      violations.push(
        `status ${exchange.status} is not declared by ${operation.operationId} (declared: ${[...operation.responses.keys()].join(', ')})`,
      );
    }
    if (exchange.status >= 400 && !(declared?.schema !== undefined && !isErrorsRef(declared.schema))) {
      // An error is Harbor's envelope, unless the operation documents another body for it
      // (only `/ldap/users/import` does: its 404 lists the uids that failed).
      if (method !== 'HEAD') violations.push(...this.envelopeViolations(exchange.body));
    } else if (declared?.schema !== undefined && method !== 'HEAD') {
      violations.push(...this.bodyViolations(operation, exchange, declared.schema));
    } else if (hasBody) {
      violations.push(`${operation.operationId} ${exchange.status} declares no body, got ${JSON.stringify(exchange.body.slice(0, 200))}`);
    }

    for (const name of declared?.headers ?? []) {
      const value = header(name);
      if (name.toLowerCase() === 'link') {
        violations.push(...linkViolations(exchange, value));
      } else if (value === null || value === '') {
        violations.push(`header ${name} is declared for ${operation.operationId} ${exchange.status} but missing`);
      } else if (name.toLowerCase() === 'x-total-count' && !/^[0-9]+$/.test(value)) {
        violations.push(`X-Total-Count must be a non-negative integer, got ${JSON.stringify(value)}`);
      }
    }
    return { operation: ref, violations };
  }

  /** Compiles every response schema once; a converter gap shows up here rather than mid-tour. */
  compileAll(): number {
    let count = 0;
    for (const path of this.paths) {
      for (const op of path.methods.values()) {
        for (const [status, spec] of op.responses) {
          if (spec.schema === undefined) continue;
          const key = `${op.method} ${op.template} ${status}`;
          if (!this.compiled.has(key)) this.compiled.set(key, this.ajv.compile(toJsonSchema(spec.schema, { refBase: 'harbor' }) as object));
          count++;
        }
      }
    }
    return count;
  }

  /** Checks a value against one definition, e.g. a request body the tour is about to send. */
  checkDefinition(name: string, value: unknown): string[] {
    let validate = this.compiled.get(`#/definitions/${name}`);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `harbor#/definitions/${name}` });
      this.compiled.set(`#/definitions/${name}`, validate);
    }
    return validate(value) ? [] : describeErrors(name, validate, value);
  }

  private bodyViolations(operation: Operation, exchange: Exchange, schema: SwaggerSchema): string[] {
    const contentType = headerOf(exchange.headers, 'content-type') ?? '';
    const key = `${operation.method} ${operation.template} ${exchange.status}`;
    if (schema.type === 'string' && !operation.produces.includes('application/json')) {
      // `/ping` answers text/plain.
      return operation.produces.some((p) => contentType.startsWith(p)) ? [] : [`${key}: content type ${contentType}, expected ${operation.produces.join(' or ')}`];
    }
    if (!contentType.startsWith('application/json')) return [`${key}: content type ${JSON.stringify(contentType)}, expected application/json`];
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      return [`${key}: body is not JSON: ${JSON.stringify(exchange.body.slice(0, 200))}`];
    }
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema, { refBase: 'harbor' }) as object);
      this.compiled.set(key, validate);
    }
    return validate(body) ? [] : describeErrors(key, validate, body);
  }

  /**
   * Harbor's `Errors`, and a little stricter than its swagger: at least one
   * error, each with a string code and message (Harbor always sets both).
   */
  private envelopeViolations(raw: string): string[] {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return [`error body is not JSON: ${JSON.stringify(raw.slice(0, 200))}`];
    }
    if (!this.errorsValidator(body)) return describeErrors('Errors', this.errorsValidator, body);
    const errors = (body as { errors?: Array<{ code?: unknown; message?: unknown }> }).errors;
    if (!Array.isArray(errors) || errors.length === 0) return ['error envelope has no errors'];
    return errors.flatMap((e, i) =>
      typeof e.code === 'string' && e.code !== '' && typeof e.message === 'string' ? [] : [`errors[${i}] needs a string code and message`],
    );
  }
}

/** `Link` is declared on every list; it must be there exactly when there is a previous or next page. */
function linkViolations(exchange: Exchange, link: string | null): string[] {
  const total = Number(headerOf(exchange.headers, 'x-total-count'));
  const query = new URLSearchParams(exchange.url.split('?')[1] ?? '');
  const page = Number(query.get('page') || 1);
  let returned: number;
  try {
    const parsed = JSON.parse(exchange.body) as unknown;
    if (!Array.isArray(parsed)) return [];
    returned = parsed.length;
  } catch {
    return [];
  }
  const pageSize = Math.min(Number(query.get('page_size') || 10), 100);
  const out: string[] = [];
  const hasPrev = page > 1;
  const hasNext = Number.isFinite(total) && (page - 1) * pageSize + returned < total;
  if (hasNext && !/rel="next"/.test(link ?? '')) out.push(`Link must name the next page (X-Total-Count ${total}, page ${page}), got ${JSON.stringify(link)}`);
  if (hasPrev && !/rel="prev"/.test(link ?? '')) out.push(`Link must name the previous page (page ${page}), got ${JSON.stringify(link)}`);
  if (!hasNext && /rel="next"/.test(link ?? '')) out.push(`Link names a next page past the last (X-Total-Count ${total}), got ${JSON.stringify(link)}`);
  return out;
}

function isErrorsRef(schema: SwaggerSchema): boolean {
  return schema.$ref === '#/definitions/Errors';
}

function describeErrors(key: string, validate: ValidateFunction, body: unknown): string[] {
  return (validate.errors ?? []).map((e) => {
    const where = e.instancePath || '(root)';
    if (e.keyword === 'additionalProperties') {
      return `${key}: ${where} has a field the swagger does not name: ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
    }
    return `${key}: ${where} ${e.message ?? e.keyword} (got ${JSON.stringify(valueAt(body, e.instancePath))?.slice(0, 120)})`;
  });
}

function valueAt(body: unknown, pointer: string): unknown {
  let value = body;
  for (const part of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

function headerOf(headers: Headers | Record<string, string>, name: string): string | null {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string>)) if (key.toLowerCase() === wanted) return value;
  return null;
}

function stripBase(path: string): string {
  return path.startsWith(`${basePath}/`) || path === basePath ? path.slice(basePath.length) || '/' : path;
}

function templatePattern(template: string): { pattern: RegExp; literals: number } {
  const segments = template.replace(/\/+$/, '').split('/').filter(Boolean);
  const literals = segments.filter((s) => !s.startsWith('{')).length;
  const source = segments.map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return { pattern: new RegExp(`^/${source}$`), literals };
}

interface SwaggerResponse {
  $ref?: string;
  schema?: SwaggerSchema;
  headers?: Record<string, unknown>;
}

interface SwaggerOperation {
  operationId?: string;
  produces?: string[];
  responses?: Record<string, SwaggerResponse>;
}

export interface SwaggerDocument {
  produces?: string[];
  paths: Record<string, Record<string, unknown>>;
  definitions?: Record<string, SwaggerSchema>;
  responses?: Record<string, SwaggerResponse>;
}

function resolveResponse(document: SwaggerDocument, response: SwaggerResponse): SwaggerResponse {
  if (!response.$ref) return response;
  const name = response.$ref.replace('#/responses/', '');
  const target = document.responses?.[name];
  if (!target) throw new Error(`swagger: unresolved response ${response.$ref}`);
  return target;
}

function collectFormats(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) collectFormats(v, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'format' && typeof v === 'string') found.add(v);
      else collectFormats(v, found);
    }
  }
  return found;
}

let loaded: HarborContract | undefined;

/** The contract, parsed once per process. */
export function harborContract(): HarborContract {
  loaded ??= new HarborContract(parse(readFileSync(swaggerPath(), 'utf8')) as SwaggerDocument);
  return loaded;
}
