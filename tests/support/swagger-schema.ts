/**
 * Turns Swagger 2.0 schemas into JSON Schema that Ajv (draft-07) compiles,
 * tightened so that a response with a field of the wrong name fails:
 * every object that lists its properties gets `additionalProperties: false`
 * unless it states its own `additionalProperties` (a documented map).
 * A bare `type: object` (no properties, no additionalProperties) is what
 * go-swagger turns into `interface{}`: any JSON value, as Harbor's own
 * server emits it (e.g. `extra_attrs.architecture` is a string under a
 * map declared as `additionalProperties: {type: object}`).
 */

export type SwaggerSchema = Record<string, unknown>;
export type JsonSchema = Record<string, unknown> | boolean;

/** Keywords that only describe (or steer Go code generation) and never constrain a value. */
const annotations = new Set(['description', 'example', 'title', 'readOnly', 'discriminator', 'externalDocs', 'xml', 'default']);

/**
 * Formats checked for real. The others (`int32`, `int`, `uri`, `float`, …) are accepted as written:
 * Harbor's swagger uses them loosely, and the type check already covers what matters.
 */
export const strictFormats = new Set(['date-time', 'int64']);

export interface ConvertOptions {
  /** `$ref: '#/definitions/X'` becomes `${refBase}#/definitions/X`. */
  refBase: string;
}

export function toJsonSchema(schema: unknown, options: ConvertOptions): JsonSchema {
  if (schema === undefined || schema === null || typeof schema !== 'object') return {};
  const source = schema as SwaggerSchema;
  const nullable = source['x-nullable'] === true || source['x-isnullable'] === true;

  if (typeof source.$ref === 'string') {
    const ref = source.$ref.startsWith('#/') ? `${options.refBase}${source.$ref}` : source.$ref;
    return nullable ? { anyOf: [{ $ref: ref }, { type: 'null' }] } : { $ref: ref };
  }

  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (annotations.has(key) || key.startsWith('x-')) continue;
    switch (key) {
      case 'type':
        // A `file` response is a byte stream, not JSON: anything goes.
        if (value !== 'file') out.type = value;
        break;
      case 'properties': {
        const props: Record<string, JsonSchema> = {};
        for (const [name, prop] of Object.entries(value as Record<string, unknown>)) props[name] = toJsonSchema(prop, options);
        out.properties = props;
        break;
      }
      case 'items':
        out.items = Array.isArray(value) ? value.map((v) => toJsonSchema(v, options)) : toJsonSchema(value, options);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof value === 'boolean' ? value : toJsonSchema(value, options);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[key] = (value as unknown[]).map((v) => toJsonSchema(v, options));
        break;
      case 'not':
        out.not = toJsonSchema(value, options);
        break;
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        // Draft-4 booleans; draft-07 wants the bound itself.
        if (value === true) {
          const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
          out[key] = source[bound];
          out[bound] = undefined;
        } else if (typeof value === 'number') out[key] = value;
        break;
      default:
        out[key] = value;
    }
  }
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];

  if (out.type === 'object' && out.properties === undefined && out.additionalProperties === undefined && out.allOf === undefined) {
    return nullable ? {} : { not: { type: 'null' } };
  }
  const isObject = out.type === 'object' || (out.type === undefined && out.properties !== undefined);
  if (isObject && out.properties !== undefined && !('additionalProperties' in out) && out.allOf === undefined) {
    out.additionalProperties = false;
  }
  if (nullable) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
    if (out.type === undefined) return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}
