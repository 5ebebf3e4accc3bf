/**
 * Transport-security knowledge: what counts as an Origin/Host check, an authentication layer,
 * a loopback bind address. Identifier and string patterns, matched against names found in a
 * file; shared by require-origin-validation, require-http-auth and the Python twins.
 */

/** Bind addresses that expose a server on every interface. */
export const ALL_INTERFACES: ReadonlySet<string> = new Set(['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0', '*']);

/** Bind addresses that keep a server on this machine. */
export const LOOPBACK: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Names whose presence shows that the file checks the Origin or Host header itself:
 * SDK middleware (v1, and v2's web-standard `...ValidationResponse` helpers), common helper
 * names, Starlette's TrustedHostMiddleware.
 */
export const ORIGIN_CHECK_NAMES =
  /^(?:hostHeaderValidation|hostHeaderValidationResponse|localhostHostValidation|localhostOriginValidation|originValidation|originValidationResponse|validateHostHeader|validateOriginHeader|validateOrigin|validateOrigins|checkOrigin|verifyOrigin|isAllowedOrigin|isOriginAllowed|originAllowed|allowedOrigin|originGuard|validateHost|checkHost|isAllowedHost|hostGuard|dnsRebindingProtection|TrustedHostMiddleware|validate_origin|check_origin|verify_origin|is_allowed_origin|validate_host|check_host|is_allowed_host)$/i;

/** Header names (lower case) whose reading counts as an Origin check (`Host` is read to build URLs far more often than to check it). */
export const ORIGIN_HEADERS: ReadonlySet<string> = new Set(['origin']);

/**
 * Names that show an authentication layer: SDK bearer middleware, passport, JWT libraries,
 * common helper names. Matched against identifiers and called names.
 */
export const AUTH_NAMES =
  /^(?:requireBearerAuth|requireAuth|bearerAuth|authMiddleware|authenticate|authenticated|isAuthenticated|ensureAuthenticated|authorize|authorized|isAuthorized|checkAuth|verifyAuth|validateAuth|verifyToken|validateToken|checkToken|verifyBearer|verifyJwt|verifyJWT|jwtVerify|expressjwt|expressJwt|clerkMiddleware|requireApiKey|apiKeyAuth|verifyApiKey|validateApiKey|checkApiKey|basicAuth|mcpAuthRouter|mcpAuthMetadataRouter|ProxyOAuthServerProvider|BearerAuthBackend|AuthenticationMiddleware|RequireAuthMiddleware|AuthSettings|TokenVerifier|JWTVerifier|BearerAuthProvider|OAuthProvider|StaticTokenVerifier|require_auth|verify_token|validate_token|check_token|authenticate_request|check_auth|verify_api_key|validate_api_key|check_api_key|get_current_user|token_verifier|auth_server_provider)$/;

/** Header names (lower case) whose reading counts as an authentication check. */
export const AUTH_HEADERS: ReadonlySet<string> = new Set(['authorization', 'x-api-key', 'api-key', 'x-auth-token', 'x-access-token', 'proxy-authorization']);
