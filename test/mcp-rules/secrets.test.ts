import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPlaceholder, isSecretName, knownSecretFormat, looksLikeSecretValue, shannonEntropy } from '../../src/core/mcp/secrets';
import { minimumVersion, findPySdkDependency, findTsSdkDependency } from '../../src/core/mcp/sdk-versions';

describe('secret names', () => {
  test('names that hold secrets', () => {
    for (const n of ['token', 'apiKey', 'API_KEY', 'x-api-key', 'Authorization', 'client_secret', 'GITHUB_TOKEN', 'password', 'dbPassword', 'accessToken', 'refresh_token', 'openaiKey', 'STRIPE_KEY', 'privateKey', 'cookie', 'auth', 'sessionToken', 'session_token', 'idToken', 'pageAccessToken', 'BASIC_AUTH', 'proxy_auth', 'FASTMCP_SERVER_AUTH_GITHUB_CLIENT_SECRET']) {
      assert.ok(isSecretName(n), n);
    }
  });
  test('names that describe secrets or are unrelated', () => {
    for (const n of ['tokenCount', 'maxTokens', 'max_tokens', 'tokenizer', 'passwordPolicy', 'secretName', 'authUrl', 'tokenUrl', 'hasToken', 'isSecret', 'keyboard', 'monkey', 'primaryKey', 'cacheKey', 'authorName', 'authInfo', 'tokens', 'sessionId', 'next_token', 'NextToken', 'nextPageToken', 'next_page_token', 'continuationToken', 'pagination_token', 'syncToken', 'next_token_value', 'progressToken', 'progress_token', 'obfuscate_password', 'scrubbedToken', 'censored_secret', 'FASTMCP_SERVER_AUTH']) {
      assert.equal(isSecretName(n), false, n);
    }
  });
});

describe('secret values', () => {
  test('known formats', () => {
    assert.equal(knownSecretFormat('ghp_4fT9kLm2Qx7RzW1vBn8YcD3eHs6JuP0aKq5X')?.name, 'GitHub token');
    assert.equal(knownSecretFormat('AKIAZ7Q4R2T8W5Y3U6P1')?.name, 'AWS access key id');
    assert.equal(knownSecretFormat('xoxb-2837465019-9384756102-Qm7Lx2Vb9Nc4Rt8Yp1Wk3Zs6')?.name, 'Slack token');
    assert.equal(knownSecretFormat('sk-proj-Zq81LmN2xV7cR4tY9bW3kP6sJ0dF5gH1aQe')?.name, 'OpenAI API key');
    assert.equal(knownSecretFormat('sk-...'), undefined);
    assert.equal(knownSecretFormat('ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'), undefined);
  });
  test('entropy separates credentials from words and placeholders', () => {
    assert.ok(looksLikeSecretValue('Tr0ub4dor&3-horse-staple!9'));
    assert.ok(looksLikeSecretValue('9f8e7d6c5b4a39281706f5e4d3c2b1a0ZxYw'));
    for (const v of ['your-api-key-here', 'changeme', 'GITHUB_TOKEN', 'https://example.com/token', 'current-password', '<token>', '${API_KEY}', 'xxxxxxxxxxxxxxxx', 'not a secret at all']) {
      assert.equal(looksLikeSecretValue(v), false, v);
    }
    assert.ok(isPlaceholder('your_token_here'));
    assert.ok(shannonEntropy('abcd') > shannonEntropy('aaab'));
  });
});

describe('SDK version ranges', () => {
  test('lowest admitted version', () => {
    assert.deepEqual(minimumVersion('^1.10.0'), [1, 10, 0]);
    assert.deepEqual(minimumVersion('>=1.2,<2'), [1, 2, 0]);
    assert.deepEqual(minimumVersion('~=1.9.4'), [1, 9, 4]);
    assert.deepEqual(minimumVersion('1.x'), [1, 0, 0]);
    assert.equal(minimumVersion('*'), undefined);
    assert.equal(minimumVersion('workspace:*'), undefined);
  });
  const files = (map: Record<string, string>) => (f: string) => map[f];
  test('package.json with a lock file next to it uses the locked version', () => {
    const read = files({
      '/p/package.json': JSON.stringify({ dependencies: { '@modelcontextprotocol/sdk': '^1.10.0' } }),
      '/p/package-lock.json': JSON.stringify({ packages: { 'node_modules/@modelcontextprotocol/sdk': { version: '1.25.1' } } }),
    });
    assert.equal(findTsSdkDependency('/p/src/server.ts', read)?.vulnerable, false);
    const unlocked = files({ '/p/package.json': JSON.stringify({ dependencies: { '@modelcontextprotocol/sdk': '^1.10.0' } }) });
    assert.equal(findTsSdkDependency('/p/src/server.ts', unlocked)?.vulnerable, true);
  });
  test('an enclosing project lock that does not list the package is ignored', () => {
    const read = files({
      '/w/p/package.json': JSON.stringify({ dependencies: { '@modelcontextprotocol/sdk': '1.11.0' } }),
      '/w/package-lock.json': JSON.stringify({ packages: { '': {}, 'node_modules/@modelcontextprotocol/sdk': { version: '1.30.0' } } }),
    });
    assert.equal(findTsSdkDependency('/w/p/index.js', read)?.vulnerable, true);
  });
  test('pyproject.toml, requirements.txt and uv.lock', () => {
    assert.equal(findPySdkDependency('/p/server.py', files({ '/p/pyproject.toml': '[project]\ndependencies = ["mcp[cli]>=1.6.0"]\n' }))?.vulnerable, true);
    assert.equal(findPySdkDependency('/p/server.py', files({ '/p/requirements.txt': 'httpx\nmcp==1.23.1\n' }))?.vulnerable, false);
    assert.equal(findPySdkDependency('/p/server.py', files({ '/p/requirements.txt': 'mcp\n' })), undefined);
    assert.equal(
      findPySdkDependency('/p/server.py', files({ '/p/pyproject.toml': '[project]\ndependencies = ["mcp>=1.2"]\n', '/p/uv.lock': '[[package]]\nname = "mcp"\nversion = "1.24.0"\n' }))?.vulnerable,
      false,
    );
    assert.equal(findPySdkDependency('/p/server.py', files({ '/p/pyproject.toml': '[project]\ndependencies = ["mcpx>=0.1", "fastmcp>=2"]\n' })), undefined);
  });
});
