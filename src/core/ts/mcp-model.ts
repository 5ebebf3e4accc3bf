import * as ts from 'typescript';
import type { Span } from '../types';
import { isFunctionLike, isLeadingDashTest, loopElementPath, objectIteration, objectProp, objectPropValue, propName, spanOf, stringValue, unwrap } from './ast';
import { kindMask, walkTsKinds } from './walk';
import { nameTable } from '../tables';

// TypeScript exposes its API through getters; bind what the hot paths call once.
const {
  forEachChild,
  isArrayLiteralExpression,
  isArrowFunction,
  isBinaryExpression,
  isCallExpression,
  isElementAccessExpression,
  isFunctionDeclaration,
  isFunctionExpression,
  isIdentifier,
  isMethodDeclaration,
  isNewExpression,
  isNumericLiteral,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isRegularExpressionLiteral,
  isShorthandPropertyAssignment,
  isTypeReferenceNode,
  isVariableDeclaration,
  isVariableStatement,
  SyntaxKind,
} = ts;

/**
 * What the TypeScript engine knows about the MCP server(s) a file defines: server
 * constructions, every registered tool/prompt/resource in every SDK idiom, their parameters
 * with schema facts, handlers, and transports. Built syntactically from one parse (no type
 * checker), once per analysis, and shared by the taint analysis and the MCP rules.
 */
export interface McpModel {
  readonly servers: readonly McpServerDecl[];
  readonly registrations: readonly McpRegistration[];
  readonly transports: readonly McpTransport[];
  /** Registrations of kind `tool`. */
  readonly tools: readonly McpRegistration[];
  /** The registration whose handler contains `node` (innermost), if any. */
  handlerOf(node: ts.Node): McpRegistration | undefined;
  /** Whether `node` lies inside the handler function of some registration. */
  isInHandler(node: ts.Node): boolean;
}

/** `new McpServer({ name }, { instructions })`, `new Server(...)`, `new FastMCP({ name, instructions })`. */
export interface McpServerDecl {
  readonly className: string;
  readonly node: ts.NewExpression;
  readonly span: Span;
  /** Variable the server is assigned to (`server` in `const server = new McpServer(...)`). */
  readonly variable?: string;
  readonly name?: string;
  readonly nameSpan?: Span;
  readonly instructions?: string;
  readonly instructionsSpan?: Span;
}

/** Which SDK API registered the capability. */
export type McpIdiom =
  | 'tool'
  | 'registerTool'
  | 'prompt'
  | 'registerPrompt'
  | 'resource'
  | 'registerResource'
  | 'setRequestHandler'
  | 'listTools'
  | 'addTool'
  | 'addPrompt'
  | 'addResourceTemplate';

/** What a parameter's schema guarantees about its values. */
export type SchemaKind =
  | 'string'
  | 'enum'
  | 'literal'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'uuid'
  | 'regex'
  | 'url'
  | 'email'
  | 'array'
  | 'object'
  | 'unknown';

export interface McpSchema {
  readonly kind: SchemaKind;
  /** `regex` kind: the pattern source and flags. */
  readonly pattern?: string;
  readonly flags?: string;
  /** `enum` / `literal`: the allowed values when they are literals. */
  readonly values?: readonly (string | number | boolean)[];
  readonly optional: boolean;
  /** The schema expression (`z.string().describe(...)`, a JSON Schema object, ...). */
  readonly node?: ts.Node;
  /** `array` kind: the elements' schema (`z.array(z.enum([...]))`, JSON Schema `items`). */
  readonly items?: McpSchema;
  /**
   * `object` kind, or `array` of objects: the zod object literal of the fields
   * (`z.array(z.object({ fileName: z.string().regex(...) }))`), read for per-field schemas.
   */
  readonly fields?: ts.ObjectLiteralExpression;
  /**
   * A refinement rejects every value starting with `-` (`.refine((s) => !s.startsWith('-'))`, or
   * for a list `.refine((a) => a.every((s) => !s.startsWith('-')))`): no value is an option.
   */
  readonly noOption?: boolean;
}

export interface McpParam {
  readonly name: string;
  /** The parameter's key in the schema (or the `{var}` in a resource template). */
  readonly span: Span;
  readonly description?: string;
  readonly descriptionSpan?: Span;
  readonly schema: McpSchema;
  /**
   * Whether the handler body reads the parameter (false for unused, exfiltration-shaped ones).
   * Worked out on first access (a getter), since few analyses ask.
   */
  readonly read: boolean;
}

export interface McpRegistration {
  readonly kind: 'tool' | 'prompt' | 'resource';
  readonly idiom: McpIdiom;
  /** The registered name, when it is a literal. */
  readonly name?: string;
  readonly nameSpan?: Span;
  readonly title?: string;
  /** Description text; for several parts (e.g. description + annotations) the main one. */
  readonly description?: string;
  /** Every span holding description text of the capability itself (not its parameters). */
  readonly descriptionSpans: readonly Span[];
  /** Resource URI or URI template, when literal. */
  readonly uri?: string;
  readonly params: readonly McpParam[];
  /** Whether the parameters are known (false for low-level handlers and opaque schemas). */
  readonly paramsKnown: boolean;
  /** The tool annotations object (`{ readOnlyHint, destructiveHint, ... }`), if any. */
  readonly annotations?: ts.ObjectLiteralExpression;
  /**
   * The handler function, when this file holds it: inline, inside a wrapper call, or a
   * top-level function the handler argument names (`resolveFunction`). Absent for a handler
   * the model cannot see (imported, a property); the taint analysis resolves those itself.
   */
  readonly handler?: ts.FunctionLikeDeclaration;
  readonly handlerSpan?: Span;
  /** The registration call (`server.tool(...)`, `server.setRequestHandler(...)`). */
  readonly call: ts.CallExpression;
  /**
   * The tool definition this registration stands for, when `call` runs in a loop over
   * definitions (`perDefinition`): one registration per definition, all with the same `call`.
   */
  readonly definition?: ts.ObjectLiteralExpression;
  readonly callSpan: Span;
  /** Source text of the receiver (`server` in `server.tool(...)`). */
  readonly receiver: string;
  /**
   * How the handler's parameters carry client input: `args` = first parameter is the
   * arguments object (tool/prompt); `request` = low-level handler, input under
   * `request.params.arguments` (tools/prompts) or `request.params.uri` (resources);
   * `resource-template` = `(uri, variables)`; `resource` = `(uri)` of a fixed URI.
   */
  readonly inputShape: 'args' | 'request' | 'resource-template' | 'resource';
  /**
   * For `args` handlers: whether the first handler parameter is the arguments object
   * (false for `server.tool(name, cb)` and `registerTool` without `inputSchema`, where the
   * first parameter is the request `extra`).
   */
  readonly takesArgs: boolean;
  /**
   * The call's one argument is a whole tool definition (`server.registerTool(tool)` on a server
   * class of the project): its handler is a property of the value passed (`DEFINITION_HANDLER_KEYS`).
   */
  readonly wholeDefinition?: true;
}

/** Properties of a tool definition object that hold its handler. */
export const DEFINITION_HANDLER_KEYS: readonly string[] = ['handler', 'execute', 'run', 'callback', 'handle'];

export interface McpTransport {
  readonly kind: 'stdio' | 'streamable-http' | 'sse';
  readonly className: string;
  readonly node: ts.NewExpression;
  readonly span: Span;
  /** The options object passed to the constructor, if literal. */
  readonly options?: ts.ObjectLiteralExpression;
}

/** A model record while it is being filled in. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

const SERVER_CLASSES = new Set(['McpServer', 'Server', 'FastMCP']);
const TRANSPORTS: Readonly<Record<string, McpTransport['kind']>> = nameTable({
  StdioServerTransport: 'stdio',
  StreamableHTTPServerTransport: 'streamable-http',
  WebStandardStreamableHTTPServerTransport: 'streamable-http',
  SSEServerTransport: 'sse',
});
const REQUEST_SCHEMAS: Readonly<Record<string, McpRegistration['kind']>> = nameTable({
  CallToolRequestSchema: 'tool',
  GetPromptRequestSchema: 'prompt',
  ReadResourceRequestSchema: 'resource',
});
/** SDK v2's method names for the request schemas above (and the tool list's). */
const REQUEST_METHODS: Readonly<Record<string, string>> = nameTable({
  'tools/call': 'CallToolRequestSchema',
  'prompts/get': 'GetPromptRequestSchema',
  'resources/read': 'ReadResourceRequestSchema',
  'tools/list': 'ListToolsRequestSchema',
});
/** Receiver names and parameter types of MCP servers (`server`, `this.mcp`, `srv`, `McpServer`). */
const SERVER_LIKE_NAME = /server|mcp|srv/i;
const ANNOTATION_KEYS = new Set(['title', 'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']);

// One kind per walk: `new` feeds servers and transports, calls feed registrations, so the two
// need not be interleaved, and a one-kind selection is a slice of the per-parse index (no merge).
const NEW_EXPRESSIONS = kindMask(SyntaxKind.NewExpression);
const CALL_EXPRESSIONS = kindMask(SyntaxKind.CallExpression);
const IDENTIFIERS = kindMask(SyntaxKind.Identifier);

/** Builds the MCP model of one parsed file. Never throws on malformed code. */
export function buildMcpModel(sf: ts.SourceFile): McpModel {
  const servers: McpServerDecl[] = [];
  const registrations: McpRegistration[] = [];
  const transports: McpTransport[] = [];
  const consts = collectTopLevelConsts(sf);

  // Every `new` and every call in pre-order, from the flat node array the rules' walks share.
  const visitNew = (node: ts.Node): void => {
    try {
      onNew(node as ts.NewExpression);
    } catch {
      // A half-typed construction must not cost the rest of the model.
    }
  };
  const visitCall = (node: ts.Node): void => {
    try {
      onCall(node as ts.CallExpression);
    } catch {
      // A half-typed registration must not cost the rest of the model.
    }
  };

  const onNew = (node: ts.NewExpression): void => {
    const callee = unwrap(node.expression);
    const cls = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (!cls) return;
    const transport = TRANSPORTS[cls];
    if (transport) {
      const opts = node.arguments?.find((a) => isObjectLiteralExpression(unwrap(a)));
      transports.push({ kind: transport, className: cls, node, span: spanOf(node, sf), ...(opts ? { options: unwrap(opts) as ts.ObjectLiteralExpression } : {}) });
      return;
    }
    if (!SERVER_CLASSES.has(cls)) return;
    const args = node.arguments ?? [];
    const info = args[0] && resolveObject(args[0], consts);
    const opts = args[1] && resolveObject(args[1], consts);
    const nameExpr = info && objectPropValue(info, 'name');
    const instrExpr = (opts && objectPropValue(opts, 'instructions')) ?? (info && objectPropValue(info, 'instructions'));
    let variable: string | undefined;
    const parent = node.parent;
    if (parent && isVariableDeclaration(parent) && isIdentifier(parent.name)) variable = parent.name.text;
    const name = stringValue(nameExpr);
    const instructions = instrExpr && textOf(instrExpr);
    servers.push({
      className: cls,
      node,
      span: spanOf(node, sf),
      ...(variable ? { variable } : {}),
      ...(name !== undefined && nameExpr ? { name, nameSpan: spanOf(nameExpr, sf) } : {}),
      ...(instructions !== undefined && instrExpr ? { instructions, instructionsSpan: spanOf(instrExpr, sf) } : {}),
    });
  };

  const onCall = (call: ts.CallExpression): void => {
    const callee = unwrap(call.expression);
    if (!isPropertyAccessExpression(callee)) return;
    // `escapedText` is `text` for every method name below (none starts with `__`) without the
    // unescaping getter, asked of every call in the file.
    const method = callee.name.escapedText as string;
    const args = call.arguments;
    // The receiver's text is sliced only for the registration methods: most calls are not one.
    switch (method) {
      case 'tool':
      case 'prompt':
        return perDefinition(args, (a) => legacyToolOrPrompt(call, method, callee.expression.getText(sf), a));
      case 'registerTool':
        // One argument is no SDK call (it takes a name, a config and a callback): a project's own
        // server class taking a whole tool definition (`server.registerTool(tool)`).
        if (args.length === 1) return perDefinition(args, (a) => wholeDefinition(call, callee.expression.getText(sf), a[0]!));
        return perDefinition(args, (a) => registerToolOrPrompt(call, method, callee.expression.getText(sf), a));
      case 'registerPrompt':
        return perDefinition(args, (a) => registerToolOrPrompt(call, method, callee.expression.getText(sf), a));
      case 'resource':
      case 'registerResource':
        return perDefinition(args, (a) => resource(call, method, callee.expression.getText(sf), a));
      case 'setRequestHandler':
        return lowLevel(call, callee.expression.getText(sf), args);
      case 'addTool':
      case 'addPrompt':
      case 'addResourceTemplate':
        return fastMcp(call, method, callee.expression.getText(sf), args);
    }
  };

  /**
   * Registers once per tool definition when the call sits in a loop over definitions this file
   * declares (`const tools = [{ name, description, schema, handler }]; for (const t of tools)
   * server.tool(t.name, t.description, t.schema, t.handler)`): each argument read off the loop
   * variable is replaced by that definition's own expression, so each definition is a
   * registration with its description, schema and handler (`definition` set, all sharing `call`).
   * Otherwise registers the call's arguments as they are.
   */
  const perDefinition = (args: readonly ts.Expression[], register: (args: readonly ts.Expression[]) => void): void => {
    let iterable: ts.Expression | undefined;
    const paths = args.map((a) => {
      const p = loopElementPath(unwrap(a));
      if (!p || (iterable !== undefined && p.iterable !== iterable)) return undefined;
      iterable = p.iterable;
      return p.path;
    });
    const defs = iterable && definitionsOf(iterable, consts);
    if (!defs) return register(args);
    for (const def of defs) {
      const before = registrations.length;
      register(args.map((a, i) => (paths[i] ? (expressionAt(def, paths[i], consts) ?? a) : a)));
      for (let i = before; i < registrations.length; i++) registrations[i] = { ...registrations[i]!, definition: def.node };
    }
  };

  /**
   * Whether a registration's receiver may be an MCP server: a server this file constructs
   * (`const app = new McpServer(...)`), `this` (a subclass), a name with server/mcp/srv in it,
   * or a parameter of an enclosing function that is untyped, `any`, or typed as one (`s: McpServer`).
   */
  const serverLike = (call: ts.CallExpression, receiver: string): boolean => {
    if (receiver === 'this' || SERVER_LIKE_NAME.test(receiver) || servers.some((s) => s.variable === receiver)) return true;
    for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
      if (!isFunctionLike(n)) continue;
      const p = n.parameters.find((q) => isIdentifier(q.name) && q.name.text === receiver);
      if (p) return p.type === undefined || p.type.kind === SyntaxKind.AnyKeyword || SERVER_LIKE_NAME.test(p.type.getText(sf));
    }
    return false;
  };

  const legacyToolOrPrompt = (call: ts.CallExpression, method: 'tool' | 'prompt', receiver: string, args: readonly ts.Expression[]): void => {
    if (args.length < 2) return;
    const nameExpr = args[0]!;
    // The SDK takes the callback after the description, shape and annotations and ignores what
    // follows it: `server.tool(name, shape, handler, { description })` (adb-mcp) registers handler.
    let last = args.length - 1;
    if (last > 1 && ts.isObjectLiteralExpression(unwrap(args[last]!)) && resolveFunction(args[last - 1]!, sf)) last--;
    const handlerExpr = args[last]!;
    const handler = resolveFunction(handlerExpr, sf);
    if (!handler && !isOpaqueValue(handlerExpr)) return;
    const name = stringValue(nameExpr);
    // A name from a variable or a tool definition (`t.name` in a loop over definitions).
    if (name === undefined && !isOpaqueValue(nameExpr)) return;
    let description: string | undefined;
    let descriptionSpans: Span[] = [];
    let shape: ts.ObjectLiteralExpression | undefined;
    let annotations: ts.ObjectLiteralExpression | undefined;
    let shapeKnown = true;
    for (const a of args.slice(1, last)) {
      const e = unwrap(a);
      const text = textOf(e);
      if (text !== undefined) {
        description = text;
        descriptionSpans = [spanOf(e, sf)];
        continue;
      }
      const obj = resolveObject(e, consts) ?? zodObjectShape(e, consts);
      if (obj && !shape && !isAnnotations(obj)) shape = obj;
      else if (obj && isAnnotations(obj)) annotations = obj;
      else shapeKnown = false;
    }
    // Every part read from variables (name, description, schema, handler) on a receiver that is
    // neither a server of this file nor named or typed like one: an LLM agent's
    // `agent.prompt(input, model, tools, system)`, not the SDK's `server.prompt(name, cb)`.
    if (name === undefined && !handler && description === undefined && !shape && !annotations && !serverLike(call, receiver)) return;
    const kind = method === 'tool' ? 'tool' : 'prompt';
    const takesArgs = shape !== undefined || !shapeKnown;
    registrations.push(
      makeRegistration(call, method, kind, receiver, nameExpr, description, descriptionSpans, shape, shapeKnown, annotations, handler, 'args', takesArgs),
    );
  };

  const registerToolOrPrompt = (call: ts.CallExpression, method: 'registerTool' | 'registerPrompt', receiver: string, args: readonly ts.Expression[]): void => {
    if (args.length < 2) return;
    const nameExpr = args[0]!;
    const config = args.length >= 3 ? resolveObject(args[1]!, consts) : undefined;
    const handler = resolveFunction(args[args.length - 1]!, sf);
    const descExpr = config && objectPropValue(config, 'description');
    const description = descExpr && textOf(descExpr);
    const schemaExpr = config && objectPropValue(config, method === 'registerTool' ? 'inputSchema' : 'argsSchema');
    const shape = schemaExpr ? (resolveObject(schemaExpr, consts) ?? zodObjectShape(schemaExpr, consts)) : undefined;
    const annExpr = config && objectPropValue(config, 'annotations');
    const annotations = annExpr ? resolveObject(annExpr, consts) : undefined;
    const titleExpr = config && objectPropValue(config, 'title');
    const reg = makeRegistration(
      call,
      method,
      method === 'registerTool' ? 'tool' : 'prompt',
      receiver,
      nameExpr,
      description,
      description !== undefined && descExpr ? [spanOf(descExpr, sf)] : [],
      shape,
      !schemaExpr || shape !== undefined,
      annotations,
      handler,
      'args',
      // A config the model cannot read (`t.config` of a tool definition) may hold an input
      // schema: the handler's first parameter is then the arguments, the common case.
      schemaExpr !== undefined || (args.length >= 3 && !config),
    );
    const title = stringValue(titleExpr);
    registrations.push(title !== undefined ? { ...reg, title } : reg);
  };

  const resource = (call: ts.CallExpression, method: 'resource' | 'registerResource', receiver: string, args: readonly ts.Expression[]): void => {
    if (args.length < 3) return;
    const nameExpr = args[0]!;
    const target = unwrap(args[1]!);
    const handler = resolveFunction(args[args.length - 1]!, sf);
    const meta = args.length >= 4 ? resolveObject(args[2]!, consts) : undefined;
    const descExpr = meta && objectPropValue(meta, 'description');
    const description = descExpr && textOf(descExpr);
    let uri = stringValue(target);
    const params: McpParam[] = [];
    let templated = false;
    if (isNewExpression(target) && isIdentifier(target.expression) && target.expression.text === 'ResourceTemplate') {
      templated = true;
      const tpl = target.arguments?.[0];
      uri = stringValue(tpl);
      if (uri !== undefined && tpl) {
        const base = tpl.getStart(sf) + 1;
        const used = readsOnDemand(handler, 1);
        for (const m of uri.matchAll(/\{[+#./;?&]?([A-Za-z0-9_]+)\*?(?:,[^}]*)?\}/g)) {
          const name = m[1]!;
          params.push(new ModelParam(name, { start: base + m.index!, end: base + m.index! + m[0].length }, { kind: 'string', optional: false }, used));
        }
      }
    }
    registrations.push({
      kind: 'resource',
      idiom: method,
      ...literalName(nameExpr),
      ...(description !== undefined ? { description } : {}),
      descriptionSpans: description !== undefined && descExpr ? [spanOf(descExpr, sf)] : [],
      ...(uri !== undefined ? { uri } : {}),
      params,
      paramsKnown: templated,
      ...(handler ? { handler, handlerSpan: spanOf(handler, sf) } : {}),
      call,
      callSpan: spanOf(call, sf),
      receiver,
      inputShape: templated ? 'resource-template' : 'resource',
      takesArgs: false,
    });
  };

  const lowLevel = (call: ts.CallExpression, receiver: string, args: readonly ts.Expression[]): void => {
    if (args.length < 2) return;
    const schema = unwrap(args[0]!);
    // SDK v2 names the request by its method (`setRequestHandler('tools/call', ...)`).
    const method = stringValue(schema);
    const schemaName = method !== undefined ? REQUEST_METHODS[method] : isIdentifier(schema) ? schema.text : isPropertyAccessExpression(schema) ? schema.name.text : undefined;
    const handler = resolveFunction(args[1]!, sf);
    if (schemaName === 'ListToolsRequestSchema') {
      if (handler) listedTools(call, receiver, handler);
      return;
    }
    const kind = schemaName ? REQUEST_SCHEMAS[schemaName] : undefined;
    if (!kind) return;
    registrations.push({
      kind,
      idiom: 'setRequestHandler',
      descriptionSpans: [],
      params: [],
      paramsKnown: false,
      ...(handler ? { handler, handlerSpan: spanOf(handler, sf) } : {}),
      call,
      callSpan: spanOf(call, sf),
      receiver,
      inputShape: 'request',
      takesArgs: false,
    });
  };

  /** Tool descriptors returned by a low-level ListTools handler: `{ name, description, inputSchema }`. */
  const listedTools = (call: ts.CallExpression, receiver: string, handler: ts.FunctionLikeDeclaration): void => {
    const walk = (node: ts.Node): void => {
      if (isObjectLiteralExpression(node)) {
        const nameExpr = objectPropValue(node, 'name');
        const schemaExpr = objectPropValue(node, 'inputSchema');
        if (nameExpr && schemaExpr && stringValue(nameExpr) !== undefined) {
          const descExpr = objectPropValue(node, 'description');
          const description = descExpr && textOf(descExpr);
          const schemaObj = resolveObject(schemaExpr, consts);
          const props = schemaObj && objectPropValue(schemaObj, 'properties');
          const propsObj = props && resolveObject(props, consts);
          const params: McpParam[] = [];
          if (propsObj) {
            for (const p of propsObj.properties) {
              if (!isPropertyAssignment(p)) continue;
              const pname = propName(p.name);
              if (pname === undefined) continue;
              const pobj = resolveObject(p.initializer, consts);
              const pdesc = pobj && objectPropValue(pobj, 'description');
              const pdescText = pdesc && textOf(pdesc);
              params.push({
                name: pname,
                span: spanOf(p.name, sf),
                ...(pdescText !== undefined && pdesc ? { description: pdescText, descriptionSpan: spanOf(pdesc, sf) } : {}),
                schema: pobj ? jsonSchemaOf(pobj) : { kind: 'unknown', optional: true },
                // Low-level servers dispatch elsewhere: assume read.
                read: true,
              });
            }
          }
          registrations.push({
            kind: 'tool',
            idiom: 'listTools',
            name: stringValue(nameExpr)!,
            nameSpan: spanOf(nameExpr, sf),
            ...(description !== undefined ? { description } : {}),
            descriptionSpans: description !== undefined && descExpr ? [spanOf(descExpr, sf)] : [],
            params,
            paramsKnown: propsObj !== undefined,
            call,
            callSpan: spanOf(node, sf),
            receiver,
            inputShape: 'request',
            takesArgs: false,
          });
          return;
        }
      }
      forEachChild(node, walk);
    };
    walk(handler);
  };

  /**
   * Local functions that hand one of their parameters to fastmcp's `addTool` as the whole config
   * (`const addTool = (tool) => { if (allowed.has(tool.name)) server.addTool(tool); }`,
   * brightdata-mcp): each call of one in this file registers the object it passes.
   */
  const configWrappers = new Map<string, { index: number; method: FastMcpMethod; receiver: string }>();

  /**
   * A whole tool definition handed to a server class of the project (`server.registerTool(tool)`,
   * StevenStavrakis/obsidian-mcp): the class keeps it and its dispatching handler calls the
   * definition's handler (`handler`, `execute`, ...; `DEFINITION_HANDLER_KEYS`) with the call's
   * arguments. Read like a fastmcp config when the definition is a literal of this file; else
   * the taint analysis finds the handler on the value passed. Only on a receiver named, typed
   * or constructed like a server.
   */
  const wholeDefinition = (call: ts.CallExpression, receiver: string, arg: ts.Expression): void => {
    if (!serverLike(call, receiver)) return;
    const config = resolveObject(arg, consts);
    let handler: ts.FunctionLikeDeclaration | undefined;
    let nameExpr: ts.Expression | undefined;
    let description: string | undefined;
    let descExpr: ts.Expression | undefined;
    let shape: ts.ObjectLiteralExpression | undefined;
    let schemaExpr: ts.Expression | undefined;
    if (config) {
      const prop = DEFINITION_HANDLER_KEYS.map((k) => objectProp(config, k)).find((p) => p !== undefined);
      if (prop && isMethodDeclaration(prop)) handler = prop;
      else if (prop && isPropertyAssignment(prop)) handler = resolveFunction(prop.initializer, sf);
      if (!prop) return;
      nameExpr = objectPropValue(config, 'name');
      descExpr = objectPropValue(config, 'description');
      description = descExpr && textOf(descExpr);
      schemaExpr = objectPropValue(config, 'inputSchema') ?? objectPropValue(config, 'schema') ?? objectPropValue(config, 'parameters');
      shape = schemaExpr ? (resolveObject(schemaExpr, consts) ?? zodObjectShape(schemaExpr, consts)) : undefined;
    }
    const reg = makeRegistration(
      call,
      'registerTool',
      'tool',
      receiver,
      nameExpr,
      description,
      description !== undefined && descExpr ? [spanOf(descExpr, sf)] : [],
      shape,
      config !== undefined && (!schemaExpr || shape !== undefined),
      undefined,
      handler,
      'args',
      true,
    );
    registrations.push({ ...reg, wholeDefinition: true });
  };

  /** punkpeye/fastmcp: `server.addTool({ name, description, parameters: z.object(...), execute })`. */
  const fastMcp = (call: ts.CallExpression, method: FastMcpMethod, receiver: string, args: readonly ts.Expression[]): void => {
    const config = args[0] && resolveObject(args[0], consts);
    if (!config) {
      const wrapper = args[0] && parameterOfNamedFunction(unwrap(args[0]));
      if (wrapper && !configWrappers.has(wrapper.name)) configWrappers.set(wrapper.name, { index: wrapper.index, method, receiver });
      return;
    }
    const nameExpr = objectPropValue(config, 'name');
    const descExpr = objectPropValue(config, 'description');
    const description = descExpr && textOf(descExpr);
    const execProp = objectProp(config, method === 'addTool' ? 'execute' : 'load');
    let handler: ts.FunctionLikeDeclaration | undefined;
    if (execProp && isMethodDeclaration(execProp)) handler = execProp;
    else if (execProp && isPropertyAssignment(execProp)) handler = resolveFunction(execProp.initializer, sf);
    const schemaExpr = objectPropValue(config, 'parameters');
    const shape = schemaExpr ? zodObjectShape(schemaExpr, consts) : undefined;
    registrations.push(
      makeRegistration(
        call,
        method,
        method === 'addTool' ? 'tool' : method === 'addPrompt' ? 'prompt' : 'resource',
        receiver,
        nameExpr,
        description,
        description !== undefined && descExpr ? [spanOf(descExpr, sf)] : [],
        shape,
        !schemaExpr || shape !== undefined,
        undefined,
        handler,
        'args',
        true,
      ),
    );
  };

  const makeRegistration = (
    call: ts.CallExpression,
    idiom: McpIdiom,
    kind: McpRegistration['kind'],
    receiver: string,
    nameExpr: ts.Expression | undefined,
    description: string | undefined,
    descriptionSpans: Span[],
    shape: ts.ObjectLiteralExpression | undefined,
    shapeKnown: boolean,
    annotations: ts.ObjectLiteralExpression | undefined,
    handler: ts.FunctionLikeDeclaration | undefined,
    inputShape: McpRegistration['inputShape'],
    takesArgs: boolean,
  ): McpRegistration => {
    const used = readsOnDemand(handler, 0);
    const params: McpParam[] = [];
    if (shape) {
      for (const p of shape.properties) {
        if (!isPropertyAssignment(p) && !isShorthandPropertyAssignment(p)) continue;
        const name = propName(p.name);
        if (name === undefined) continue;
        const init = isPropertyAssignment(p) ? p.initializer : p.name;
        const z = zodSchemaOf(init, consts);
        // A class rather than conditional spreads (whose temporary objects were most of the
        // model's own time); an absent description stays absent.
        const span = spanOf(p.name, sf);
        params.push(
          z.description !== undefined && z.descriptionNode
            ? new ModelParam(name, span, z.schema, used, z.description, spanOf(z.descriptionNode, sf))
            : new ModelParam(name, span, z.schema, used),
        );
      }
    }
    const reg = { kind, idiom } as Writable<McpRegistration>;
    const name = stringValue(nameExpr);
    if (name !== undefined && nameExpr) {
      reg.name = name;
      reg.nameSpan = spanOf(nameExpr, sf);
    }
    if (description !== undefined) reg.description = description;
    reg.descriptionSpans = descriptionSpans;
    reg.params = params;
    reg.paramsKnown = shapeKnown;
    if (annotations) reg.annotations = annotations;
    if (handler) {
      reg.handler = handler;
      reg.handlerSpan = spanOf(handler, sf);
    }
    reg.call = call;
    reg.callSpan = spanOf(call, sf);
    reg.receiver = receiver;
    reg.inputShape = inputShape;
    reg.takesArgs = takesArgs;
    return reg;
  };

  const literalName = (nameExpr: ts.Expression | undefined): { name?: string; nameSpan?: Span } => {
    const name = stringValue(nameExpr);
    return name !== undefined && nameExpr ? { name, nameSpan: spanOf(nameExpr, sf) } : {};
  };

  walkTsKinds(sf, NEW_EXPRESSIONS, visitNew);
  walkTsKinds(sf, CALL_EXPRESSIONS, visitCall);
  if (configWrappers.size > 0) {
    // Calls of a config wrapper, once its declaration is known (a declaration may follow its calls).
    walkTsKinds(sf, CALL_EXPRESSIONS, (node) => {
      const call = node as ts.CallExpression;
      const callee = unwrap(call.expression);
      const wrapper = isIdentifier(callee) ? configWrappers.get(callee.text) : undefined;
      const arg = wrapper && call.arguments[wrapper.index];
      if (!wrapper || !arg || !resolveObject(arg, consts)) return;
      try {
        fastMcp(call, wrapper.method, wrapper.receiver, [arg]);
      } catch {
        // As for every other registration.
      }
    });
  }

  const withHandlers = registrations.filter((r) => r.handler);
  const handlerOf = (node: ts.Node): McpRegistration | undefined => {
    const pos = node.getStart(sf);
    let best: McpRegistration | undefined;
    for (const r of withHandlers) {
      const h = r.handlerSpan!;
      if (pos >= h.start && node.getEnd() <= h.end && (!best || h.start >= best.handlerSpan!.start)) best = r;
    }
    return best;
  };
  return {
    servers,
    registrations,
    transports,
    tools: registrations.filter((r) => r.kind === 'tool'),
    handlerOf,
    isInHandler: (node) => handlerOf(node) !== undefined,
  };
}

/** A literal string, a template without substitutions, or a `+` chain of them. */
function textOf(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  const s = stringValue(e);
  if (s !== undefined) return s;
  if (isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.PlusToken) {
    const l = textOf(e.left);
    const r = textOf(e.right);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  return undefined;
}

/**
 * Whether the object after a tool's name is its annotations (`{ title: 'Run', readOnlyHint: true
 * }`), not its parameters' shape. As the SDK decides, a shape holds schemas: `{ title: z.string()
 * }` is a tool taking a `title` argument (mcp-apple-notes' get-note-content was read as a tool
 * without arguments, and its command injection missed).
 */
function isAnnotations(obj: ts.ObjectLiteralExpression): boolean {
  return (
    obj.properties.length > 0 &&
    obj.properties.every((p) => {
      if (p.name === undefined || !ANNOTATION_KEYS.has(propName(p.name) ?? '')) return false;
      if (!isPropertyAssignment(p)) return true;
      const v = unwrap(p.initializer);
      return !isCallExpression(v) && !isPropertyAccessExpression(v);
    })
  );
}

/** Top-level `const x = <object literal | function>` so shapes and handlers declared apart resolve. */
function collectTopLevelConsts(sf: ts.SourceFile): Map<string, ts.Expression> {
  const out = new Map<string, ts.Expression>();
  for (const stmt of sf.statements) {
    const list = isVariableStatement(stmt) ? stmt.declarationList : undefined;
    if (!list) continue;
    for (const d of list.declarations) {
      if (isIdentifier(d.name) && d.initializer) out.set(d.name.text, d.initializer);
    }
  }
  return out;
}

/** A tool definition of a loop: its object, and for `Object.entries` its key. */
interface Definition {
  readonly node: ts.ObjectLiteralExpression;
  readonly key?: ts.PropertyName;
}

/**
 * The definitions a loop iterates, when the file declares them: an array of objects (`tools`,
 * inline or a constant, elements inline or constants), or `Object.values`/`Object.entries` of an
 * object of objects. Undefined for anything else (an import, a call).
 */
function definitionsOf(iterable: ts.Expression, consts: Map<string, ts.Expression>): Definition[] | undefined {
  let e = unwrap(iterable);
  const iteration = objectIteration(e);
  if (iteration) {
    const obj = resolveObject(iteration.object, consts);
    if (!obj) return undefined;
    const out: Definition[] = [];
    for (const p of obj.properties) {
      const def = isPropertyAssignment(p) ? resolveObject(p.initializer, consts) : undefined;
      if (def) out.push(iteration.entries ? { node: def, key: p.name } : { node: def });
    }
    return out.length > 0 ? out : undefined;
  }
  for (let i = 0; i < 3 && isIdentifier(e); i++) {
    const init = consts.get(e.text);
    if (!init) return undefined;
    e = unwrap(init);
  }
  if (!isArrayLiteralExpression(e)) return undefined;
  const out: Definition[] = [];
  for (const el of e.elements) {
    const def = resolveObject(el, consts);
    if (def) out.push({ node: def });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The expression a definition holds at a loop variable's property path (`['handler']`,
 * `['config', 'inputSchema']`; for entries `['0']` is the key, `['1', ...]` the value).
 */
function expressionAt(def: Definition, path: readonly string[], consts: Map<string, ts.Expression>): ts.Expression | undefined {
  let keys = path;
  if (def.key) {
    // A quoted key is the tool's name; an identifier key would read as a variable.
    if (keys[0] === '0') return keys.length === 1 && ts.isStringLiteral(def.key) ? def.key : undefined;
    if (keys[0] !== '1') return undefined;
    keys = keys.slice(1);
  }
  let cur: ts.Expression = def.node;
  for (const k of keys) {
    const obj = resolveObject(cur, consts);
    const prop = obj?.properties.find((p) => propName(p.name) === k);
    if (!prop) return undefined;
    if (isPropertyAssignment(prop)) cur = prop.initializer;
    else if (isShorthandPropertyAssignment(prop)) cur = prop.name;
    // A method (`handler() {}`): a function like the handler argument would be.
    else if (isMethodDeclaration(prop)) cur = prop as unknown as ts.Expression;
    else return undefined;
  }
  return cur;
}

type FastMcpMethod = 'addTool' | 'addPrompt' | 'addResourceTemplate';

/**
 * When `expr` names a plain parameter of the function around it and that function has a name
 * calls can use (a declaration, or `const f = (tool) => ...` / `= function (tool) {...}`): the
 * name and the parameter's index.
 */
function parameterOfNamedFunction(expr: ts.Expression): { name: string; index: number } | undefined {
  if (!isIdentifier(expr)) return undefined;
  let fn: ts.Node | undefined = expr.parent;
  while (fn && !isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !(isFunctionDeclaration(fn) || isArrowFunction(fn) || isFunctionExpression(fn))) return undefined;
  const index = fn.parameters.findIndex((p) => isIdentifier(p.name) && p.name.text === expr.text && !p.dotDotDotToken);
  if (index < 0) return undefined;
  if (isFunctionDeclaration(fn)) return fn.name ? { name: fn.name.text, index } : undefined;
  const decl = fn.parent;
  return decl && isVariableDeclaration(decl) && decl.initializer === fn && isIdentifier(decl.name) ? { name: decl.name.text, index } : undefined;
}

function resolveObject(expr: ts.Expression, consts: Map<string, ts.Expression>): ts.ObjectLiteralExpression | undefined {
  let e = unwrap(expr);
  for (let i = 0; i < 3 && isIdentifier(e); i++) {
    const init = consts.get(e.text);
    if (!init) return undefined;
    e = unwrap(init);
  }
  return isObjectLiteralExpression(e) ? e : undefined;
}

/** `z.object({...})` (optionally `.strict()` etc., or `.shape`): its shape object. */
/** The fields of a zod object schema, or of the elements of a list of objects (`z.array(z.object({...}))`, `z.object({...}).array()`). */
function objectFieldsOf(expr: ts.Expression, consts: Map<string, ts.Expression>): ts.ObjectLiteralExpression | undefined {
  let e = unwrap(expr);
  // `z.array(Item)` with `const Item = z.object({...})`.
  if (isIdentifier(e) && consts.has(e.text)) e = unwrap(consts.get(e.text)!);
  for (let i = 0; i < 8 && isCallExpression(e); i++) {
    const c = unwrap(e.expression);
    if (isPropertyAccessExpression(c) && c.name.text === 'array' && e.arguments[0]) return objectFieldsOf(e.arguments[0], consts);
    if (isPropertyAccessExpression(c) && c.name.text === 'object') return zodObjectShape(e, consts);
    if (!isPropertyAccessExpression(c)) return undefined;
    e = unwrap(c.expression);
  }
  return undefined;
}

function zodObjectShape(expr: ts.Expression, consts: Map<string, ts.Expression>): ts.ObjectLiteralExpression | undefined {
  let e = unwrap(expr);
  if (isIdentifier(e)) {
    const init = consts.get(e.text);
    if (!init) return undefined;
    e = unwrap(init);
  }
  for (let i = 0; i < 8; i++) {
    if (isPropertyAccessExpression(e) && e.name.text === 'shape') {
      e = unwrap(e.expression);
      continue;
    }
    if (isCallExpression(e)) {
      const c = unwrap(e.expression);
      if (isPropertyAccessExpression(c) && c.name.text === 'object' && e.arguments[0]) {
        return resolveObject(e.arguments[0], consts);
      }
      if (isPropertyAccessExpression(c)) {
        e = unwrap(c.expression);
        continue;
      }
    }
    return undefined;
  }
  return undefined;
}

/**
 * Finds the function a handler argument denotes: inline, a function declared at the top of this
 * file, or either of those passed to a wrapper call (`withTelemetry(async (request) => ...)`,
 * `wrapHandler('Read', wrapWithMonitoring(handler))`). A wrapper is taken to hand the handler
 * the parameters it receives, as error, logging and telemetry wrappers do; its last argument
 * that denotes a function is the handler.
 */
export function resolveFunction(expr: ts.Expression, sf: ts.SourceFile, depth = 0): ts.FunctionLikeDeclaration | undefined {
  const e = unwrap(expr);
  if (isFunctionLike(e)) return e;
  if (isCallExpression(e)) {
    if (depth >= MAX_WRAPPERS) return undefined;
    for (let i = e.arguments.length - 1; i >= 0; i--) {
      const inner = resolveFunction(e.arguments[i]!, sf, depth + 1);
      if (inner) return inner;
    }
    return undefined;
  }
  if (!isIdentifier(e)) return undefined;
  for (const stmt of sf.statements) {
    if (isFunctionDeclaration(stmt) && stmt.name?.text === e.text && stmt.body) return stmt;
    if (isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        if (isIdentifier(d.name) && d.name.text === e.text && d.initializer) {
          const init = unwrap(d.initializer);
          if (isArrowFunction(init) || isFunctionExpression(init)) return init;
        }
      }
    }
  }
  return undefined;
}

/**
 * Whether an argument the model cannot read may still hold what the idiom needs there: a name
 * (an import, a local), a property (`handlers.search`, `this.onSearch`, `t.name` of a tool
 * definition) or a call (`fn.bind(this)`, a factory). `server.tool('x', 'text')` and
 * `x.tool(1, {})` are not registrations.
 */
function isOpaqueValue(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  return isIdentifier(e) || isPropertyAccessExpression(e) || isElementAccessExpression(e) || isCallExpression(e);
}

/** Wrapper calls looked through around a handler (`a(b(c(handler)))`). */
const MAX_WRAPPERS = 4;

type Reads = Set<string> | 'all' | undefined;

/**
 * A handler's reads (`handlerReads`), worked out on the first question: only the poisoning rule
 * asks, and only about exfiltration-shaped parameter names, so most analyses never walk a handler.
 */
function readsOnDemand(handler: ts.FunctionLikeDeclaration | undefined, index: number): () => Reads {
  let done = false;
  let reads: Reads;
  return () => {
    if (!done) {
      reads = handler ? handlerReads(handler, index) : undefined;
      done = true;
    }
    return reads;
  };
}

/**
 * A parameter of a tool, prompt or resource template whose `read` flag asks the handler's reads
 * on first access. A class: object literals with a getter were created ten times slower.
 */
class ModelParam implements McpParam {
  readonly name: string;
  readonly span: Span;
  declare readonly description?: string;
  declare readonly descriptionSpan?: Span;
  readonly schema: McpSchema;
  readonly #reads: () => Reads;

  constructor(name: string, span: Span, schema: McpSchema, reads: () => Reads, description?: string, descriptionSpan?: Span) {
    this.name = name;
    this.span = span;
    if (description !== undefined && descriptionSpan) {
      this.description = description;
      this.descriptionSpan = descriptionSpan;
    }
    this.schema = schema;
    this.#reads = reads;
  }

  get read(): boolean {
    const used = this.#reads();
    return used === undefined || used === 'all' || used.has(this.name);
  }
}

/**
 * Which input names a handler reads from its parameter at `index`: the destructured names
 * that are referenced, the `args.x` properties accessed, or 'all' when the object escapes whole.
 */
function handlerReads(handler: ts.FunctionLikeDeclaration, index: number): Set<string> | 'all' | undefined {
  const param = handler.parameters[index];
  const body = handler.body;
  if (!param || !body) return new Set();
  if (isObjectBindingPattern(param.name)) {
    // The body's identifiers, only those that name a bound element: they decide what is read.
    // Keyed by `escapedText`, the stored form of `text` (a getter that unescapes on every call).
    const bound = new Set<ts.__String>();
    for (const el of param.name.elements) if (isIdentifier(el.name)) bound.add(el.name.escapedText);
    const referenced = new Set<ts.__String>();
    if (bound.size > 0) {
      walkTsKinds(body, IDENTIFIERS, (n) => {
        const text = (n as ts.Identifier).escapedText;
        if (bound.has(text)) referenced.add(text);
      });
    }
    const out = new Set<string>();
    for (const el of param.name.elements) {
      if (el.dotDotDotToken) return 'all';
      const key = el.propertyName ? propName(el.propertyName) : isIdentifier(el.name) ? el.name.text : undefined;
      if (key === undefined) continue;
      if (!isIdentifier(el.name) || referenced.has(el.name.escapedText)) out.add(key);
    }
    return out;
  }
  if (!isIdentifier(param.name)) return 'all';
  const argName = param.name.escapedText;
  const out = new Set<string>();
  let escapes = false;
  walkTsKinds(body, IDENTIFIERS, (node) => {
    const n = node as ts.Identifier;
    if (n.escapedText !== argName) return;
    const p = n.parent;
    if (p && (isPropertyAccessExpression(p) || isElementAccessExpression(p)) && p.expression === n) {
      const key = isPropertyAccessExpression(p) ? p.name.text : stringValue(p.argumentExpression);
      if (key !== undefined) out.add(key);
      else escapes = true;
    } else if (p && isVariableDeclaration(p) && p.initializer === n && isObjectBindingPattern(p.name)) {
      for (const el of p.name.elements) {
        if (el.dotDotDotToken) escapes = true;
        const key = el.propertyName ? propName(el.propertyName) : isIdentifier(el.name) ? el.name.text : undefined;
        if (key !== undefined) out.add(key);
      }
    } else if (!(p && (isParameter(p) || isTypeReferenceNode(p)))) {
      escapes = true;
    }
  });
  return escapes ? 'all' : out;
}

/** Zod methods by the kind they give a schema, strongest first. */
const SCHEMA_RANK: readonly (readonly [readonly string[], SchemaKind])[] = [
  [['enum', 'nativeEnum'], 'enum'],
  [['literal'], 'literal'],
  [['boolean'], 'boolean'],
  [['int', 'bigint', 'safe'], 'integer'],
  [['number'], 'number'],
  [['uuid', 'guid', 'cuid', 'cuid2', 'ulid'], 'uuid'],
  [['regex'], 'regex'],
  [['url'], 'url'],
  [['email'], 'email'],
  [['array'], 'array'],
  [['object', 'record'], 'object'],
  [['string'], 'string'],
];
const SCHEMA_RANK_OF = new Map(SCHEMA_RANK.flatMap(([methods], rank) => methods.map((m) => [m, rank] as const)));

interface ZodFacts {
  schema: McpSchema;
  description?: string;
  descriptionNode?: ts.Expression;
}

/** Reads a zod chain (`z.string().regex(/x/).describe('d').optional()`) without evaluating it. */
export function zodSchemaOf(expr: ts.Expression, consts?: Map<string, ts.Expression>): ZodFacts {
  let e = unwrap(expr);
  if (isIdentifier(e) && consts?.has(e.text)) e = unwrap(consts.get(e.text)!);
  let kind: SchemaKind = 'unknown';
  let optional = false;
  let pattern: string | undefined;
  let flags: string | undefined;
  let values: (string | number | boolean)[] | undefined;
  let description: string | undefined;
  let descriptionNode: ts.Expression | undefined;
  let items: McpSchema | undefined;
  let noOption = false;
  const node = e;
  // Walk the chain from the outermost call inwards; the innermost call decides the base kind.
  const refinements: string[] = [];
  for (let i = 0; i < 32; i++) {
    if (!isCallExpression(e)) break;
    const c = unwrap(e.expression);
    const method = isPropertyAccessExpression(c) ? c.name.text : isIdentifier(c) ? c.text : undefined;
    if (method === 'describe' && e.arguments[0] && description === undefined) {
      const d = textOf(e.arguments[0]);
      if (d !== undefined) {
        description = d;
        descriptionNode = e.arguments[0];
      }
    } else if (method === 'optional' || method === 'nullish' || method === 'default' || method === 'nullable') {
      optional = true;
    } else if (method === 'regex' && e.arguments[0]) {
      // `.regex(UDID_REGEX)`: a pattern declared once at the top of the file (ios-simulator-mcp).
      let re = unwrap(e.arguments[0]);
      if (isIdentifier(re) && consts?.has(re.text)) re = unwrap(consts.get(re.text)!);
      if (isRegularExpressionLiteral(re)) {
        const m = /^\/(.*)\/([a-z]*)$/s.exec(re.text);
        if (m) {
          pattern = m[1];
          flags = m[2];
        }
      }
      refinements.push('regex');
    } else if (method === 'array' && isPropertyAccessExpression(c) && e.arguments[0] && items === undefined) {
      refinements.push(method);
      items = zodSchemaOf(e.arguments[0], consts).schema;
    } else if ((method === 'refine' || method === 'superRefine') && e.arguments[0]) {
      if (method === 'refine' && rejectsLeadingDash(e.arguments[0])) noOption = true;
    } else if (method !== undefined) {
      refinements.push(method);
      if ((method === 'enum' || method === 'literal' || method === 'nativeEnum') && isPropertyAccessExpression(c)) {
        const arg = e.arguments[0] && unwrap(e.arguments[0]);
        if (arg && isArrayLiteralExpression(arg)) {
          values = arg.elements.map((x) => stringValue(x)).filter((x): x is string => x !== undefined);
        } else if (method === 'literal' && arg) {
          const v = stringValue(arg) ?? (isNumericLiteral(arg) ? Number(arg.text) : arg.kind === SyntaxKind.TrueKeyword ? true : arg.kind === SyntaxKind.FalseKeyword ? false : undefined);
          if (v !== undefined) values = [v];
        }
      }
      if (method === 'union' && isPropertyAccessExpression(c)) {
        const arg = e.arguments[0] && unwrap(e.arguments[0]);
        if (arg && isArrayLiteralExpression(arg) && arg.elements.length > 0) {
          const members = arg.elements.map((x) => zodSchemaOf(x, consts).schema.kind);
          if (members.every((k) => k === 'enum' || k === 'literal' || k === 'number' || k === 'integer' || k === 'boolean' || k === 'uuid')) {
            refinements.push('literal');
          }
        }
      }
    }
    e = isPropertyAccessExpression(c) ? unwrap(c.expression) : c;
    // `z.coerce.number()`: skip the `coerce` hop.
    if (isPropertyAccessExpression(e) && e.name.text === 'coerce') e = unwrap(e.expression);
  }
  // The strongest refinement in the chain decides the kind (an enum beats a string, ...).
  let rank = SCHEMA_RANK.length;
  for (const m of refinements) {
    const r = SCHEMA_RANK_OF.get(m);
    if (r !== undefined && r < rank) rank = r;
  }
  if (rank < SCHEMA_RANK.length) kind = SCHEMA_RANK[rank]![1];
  const schema = { kind, optional, node } as Writable<McpSchema>;
  if (pattern !== undefined) {
    schema.pattern = pattern;
    schema.flags = flags ?? '';
  }
  if (values) schema.values = values;
  if (items && kind === 'array') schema.items = items;
  if (noOption) schema.noOption = true;
  if (kind === 'object' || kind === 'array') {
    const fields = objectFieldsOf(node, consts ?? new Map());
    if (fields) schema.fields = fields;
  }
  const facts: ZodFacts = { schema };
  if (description !== undefined) {
    facts.description = description;
    facts.descriptionNode = descriptionNode!;
  }
  return facts;
}

/**
 * Whether a refinement callback accepts no value starting with `-`: it returns the negation of
 * a leading-dash test of its parameter (`(s) => !s.startsWith('-')`), or for a list, that every
 * element passes such a callback or none fails it (`(a) => a.every((s) => !s.startsWith('-'))`).
 */
function rejectsLeadingDash(cb: ts.Expression): boolean {
  const f = unwrap(cb);
  if (!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) return false;
  const ret = returnedExpression(f);
  if (!ret) return false;
  const e = unwrap(ret);
  if (ts.isPrefixUnaryExpression(e) && e.operator === SyntaxKind.ExclamationToken) {
    const inner = unwrap(e.operand);
    if (isLeadingDashTest(inner)) return true;
    // !a.some((s) => s.startsWith('-'))
    return isCallExpression(inner) && isPropertyAccessExpression(inner.expression) && inner.expression.name.text === 'some' && !!inner.arguments[0] && acceptsOnlyDashed(inner.arguments[0]);
  }
  return isCallExpression(e) && isPropertyAccessExpression(e.expression) && e.expression.name.text === 'every' && !!e.arguments[0] && rejectsLeadingDash(e.arguments[0]);
}

/** A callback that returns a leading-dash test of its parameter (`(s) => s.startsWith('-')`). */
function acceptsOnlyDashed(cb: ts.Expression): boolean {
  const f = unwrap(cb);
  if (!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) return false;
  const ret = returnedExpression(f);
  return ret !== undefined && isLeadingDashTest(unwrap(ret));
}

/** The value a function returns when its body is an expression or a single `return`. */
function returnedExpression(f: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  if (!ts.isBlock(f.body)) return f.body;
  const only = f.body.statements.length === 1 ? f.body.statements[0] : undefined;
  return only && ts.isReturnStatement(only) ? only.expression : undefined;
}

/** Schema facts of a JSON Schema property object (`{ type: 'string', enum: [...] }`). */
function jsonSchemaOf(obj: ts.ObjectLiteralExpression): McpSchema {
  const type = stringValue(objectPropValue(obj, 'type'));
  const en = objectPropValue(obj, 'enum');
  const pat = stringValue(objectPropValue(obj, 'pattern'));
  const format = stringValue(objectPropValue(obj, 'format'));
  if (en && isArrayLiteralExpression(unwrap(en))) {
    const values = (unwrap(en) as ts.ArrayLiteralExpression).elements.map((x) => stringValue(x)).filter((x): x is string => x !== undefined);
    return { kind: 'enum', values, optional: true, node: obj };
  }
  if (objectPropValue(obj, 'const')) return { kind: 'literal', optional: true, node: obj };
  if (type === 'integer') return { kind: 'integer', optional: true, node: obj };
  if (type === 'number') return { kind: 'number', optional: true, node: obj };
  if (type === 'boolean') return { kind: 'boolean', optional: true, node: obj };
  if (type === 'string' && pat !== undefined) return { kind: 'regex', pattern: pat, flags: '', optional: true, node: obj };
  if (type === 'string' && format === 'uuid') return { kind: 'uuid', optional: true, node: obj };
  if (type === 'string' && format === 'uri') return { kind: 'url', optional: true, node: obj };
  if (type === 'string') return { kind: 'string', optional: true, node: obj };
  if (type === 'array') {
    const items = objectPropValue(obj, 'items');
    const u = items && unwrap(items);
    return { kind: 'array', optional: true, node: obj, ...(u && ts.isObjectLiteralExpression(u) ? { items: jsonSchemaOf(u) } : {}) };
  }
  if (type === 'object') return { kind: 'object', optional: true, node: obj };
  return { kind: 'unknown', optional: true, node: obj };
}
