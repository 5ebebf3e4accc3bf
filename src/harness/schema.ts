/** Schema-valid argument values from a tool's inputSchema (a JSON Schema subset). */

export type JsonSchema = Record<string, unknown>;

export interface ParamInfo {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly required: boolean;
  /** A string the server accepts any text for: no enum, const, format or pattern. */
  readonly freeForm: boolean;
  /** The free-form strings are the items of an array (payloads are sent as a one-item array). */
  readonly inArray?: boolean;
  readonly type: string | undefined;
}

function asSchema(v: unknown): JsonSchema {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonSchema) : {};
}

/** The primary JSON type of a schema ('string', 'number', ...), following anyOf/oneOf. */
export function schemaType(s: JsonSchema): string | undefined {
  const t = s.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x) => x !== 'null') as string | undefined;
  if (Array.isArray(s.enum)) return typeof s.enum[0];
  if (s.const !== undefined) return typeof s.const;
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = s[key];
    if (Array.isArray(list)) {
      for (const alt of list) {
        const inner = schemaType(asSchema(alt));
        if (inner && inner !== 'null') return inner;
      }
    }
  }
  if (s.properties) return 'object';
  return undefined;
}

/** The parameters of a tool, in declaration order. */
export function toolParams(inputSchema: unknown): ParamInfo[] {
  const s = asSchema(inputSchema);
  const props = asSchema(s.properties);
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  return Object.entries(props).map(([name, raw]) => {
    const schema = asSchema(raw);
    const type = schemaType(schema);
    const items = asSchema(schema.items);
    const inArray = type === 'array' && schemaType(items) === 'string' && isFreeString(items);
    const freeForm = (type === 'string' && isFreeString(schema)) || inArray;
    return { name, schema, required: required.has(name), freeForm, type, ...(inArray ? { inArray: true } : {}) };
  });
}

function isFreeString(s: JsonSchema): boolean {
  return !s.enum && s.const === undefined && !s.format && !s.pattern && !hasEnumAlternatives(s);
}

function hasEnumAlternatives(s: JsonSchema): boolean {
  for (const key of ['anyOf', 'oneOf']) {
    const list = s[key];
    if (Array.isArray(list) && list.every((alt) => asSchema(alt).enum || asSchema(alt).const !== undefined)) return true;
  }
  return false;
}

const FORMAT_SAMPLES: Record<string, string> = {
  email: 'user@example.com',
  date: '2024-01-02',
  'date-time': '2024-01-02T03:04:05Z',
  time: '03:04:05',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  hostname: 'localhost',
};

const PATTERN_CANDIDATES = ['a', 'abc', 'example', 'a1', '1', '123', 'A', 'ABC', 'main', 'a-b', 'a_b', 'a.b', 'abc123', 'x@y.z', 'v1.0.0', 'AB12'];

/**
 * A schema-valid value. `urlHint` is the only URL ever produced (a loopback address), so a
 * control call never makes the server reach the network.
 */
export function sampleValue(schemaIn: unknown, urlHint: string, depth = 0): unknown {
  const s = asSchema(schemaIn);
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (s.default !== undefined && depth > 0) return s.default;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  for (const key of ['anyOf', 'oneOf']) {
    const list = s[key];
    if (Array.isArray(list) && list.length > 0) {
      const alt = list.find((a) => schemaType(asSchema(a)) !== 'null') ?? list[0];
      return sampleValue(alt, urlHint, depth + 1);
    }
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return sampleValue(Object.assign({}, ...(s.allOf as JsonSchema[])), urlHint, depth);
  const type = schemaType(s);
  switch (type) {
    case 'string':
      return sampleString(s, urlHint);
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : undefined;
      const max = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - 1 : undefined;
      let v = min ?? (max !== undefined ? Math.min(1, max) : 1);
      if (type === 'integer') v = Math.ceil(v);
      return v;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const n = typeof s.minItems === 'number' ? s.minItems : 0;
      return Array.from({ length: n }, () => sampleValue(s.items, urlHint, depth + 1));
    }
    case 'object':
      return depth > 4 ? {} : sampleObject(s, urlHint, depth + 1);
    default:
      return 'example';
  }
}

function sampleString(s: JsonSchema, urlHint: string): string {
  const format = typeof s.format === 'string' ? s.format : undefined;
  let v: string;
  if (format === 'uri' || format === 'url' || format === 'uri-reference' || format === 'iri') v = urlHint;
  else if (format && FORMAT_SAMPLES[format]) v = FORMAT_SAMPLES[format]!;
  else if (typeof s.pattern === 'string') v = patternSample(s.pattern) ?? 'example';
  else v = 'example';
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  if (v.length < min) v = v + 'x'.repeat(min - v.length);
  if (v.length > max) v = v.slice(0, max);
  return v;
}

function patternSample(pattern: string): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  return PATTERN_CANDIDATES.find((c) => re.test(c));
}

/** An object with every required property (and nothing else) set to a sample value. */
export function sampleObject(schemaIn: unknown, urlHint: string, depth = 0): Record<string, unknown> {
  const s = asSchema(schemaIn);
  const props = asSchema(s.properties);
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  const out: Record<string, unknown> = {};
  for (const name of required) out[name] = sampleValue(props[name], urlHint, depth);
  return out;
}

/** A value of the wrong JSON type for a parameter. */
export function wrongTypeValue(p: ParamInfo): unknown {
  switch (p.type) {
    case 'string':
      return 12345;
    case 'number':
    case 'integer':
      return 'not-a-number';
    case 'boolean':
      return 'maybe';
    case 'array':
      return 'not-an-array';
    case 'object':
      return 'not-an-object';
    default:
      return undefined;
  }
}
