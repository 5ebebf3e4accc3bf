import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regexKeepsPathInside } from '../../src/core/regex-path';

test('patterns whose matches stay below the folder they are joined to, slashes allowed', () => {
  // arxiv-mcp-server's paper ids, new and old style.
  assert.equal(regexKeepsPathInside(String.raw`^(\d{4}\.\d{4,5}(v\d+)?|[a-z\-]+(/[a-z\-]+)?/\d{7}(v\d+)?)$`, 'python'), true);
  assert.equal(regexKeepsPathInside(String.raw`\A[a-z]+(/[a-z0-9]+)?\Z`, 'python'), true);
  assert.equal(regexKeepsPathInside(String.raw`^[a-z]+(/[a-z]+)*$`, 'js'), true);
  assert.equal(regexKeepsPathInside(String.raw`^[a-z]+(\.[a-z]+)*$`, 'js'), true);
  assert.equal(regexKeepsPathInside(String.raw`^[a-z]+/\.[a-z]+$`, 'js'), true);
  assert.equal(regexKeepsPathInside(String.raw`^[\w-]+$`, 'js'), true);
  // '..x.png' is a file name, not a way up.
  assert.equal(regexKeepsPathInside(String.raw`^[a-zA-Z0-9_.-]+\.(png|svg)$`, 'js'), true);
});

test('patterns that let a leading separator or a ".." segment through', () => {
  assert.equal(regexKeepsPathInside(String.raw`^[\w/.-]+$`, 'js'), false);
  assert.equal(regexKeepsPathInside(String.raw`^/[a-z]+$`, 'js'), false);
  assert.equal(regexKeepsPathInside(String.raw`^/?[a-z]+(/[a-z]+)*$`, 'js'), false);
  assert.equal(regexKeepsPathInside(String.raw`^\.\.$`, 'js'), false);
  assert.equal(regexKeepsPathInside(String.raw`^[a-z]*\.+$`, 'js'), false);
  assert.equal(regexKeepsPathInside(String.raw`^[a-z]+/\.+[a-z]*$`, 'js'), false);
  assert.equal(regexKeepsPathInside(String.raw`^[a-z]+(/|\.)+$`, 'js'), false);
  assert.equal(regexKeepsPathInside(String.raw`^[a-zA-Z0-9_.-]+(\.png|)$`, 'js'), false);
  // Negated classes and wildcards hold the separator and the dot.
  assert.equal(regexKeepsPathInside(String.raw`^[^/]+$`, 'js'), false);
  assert.equal(regexKeepsPathInside(String.raw`^[a-z].*$`, 'js'), false);
  assert.equal(regexKeepsPathInside(String.raw`^[a-z]\S*$`, 'js'), false);
  // A backslash is a separator on Windows.
  assert.equal(regexKeepsPathInside(String.raw`^[a-z\\]+$`, 'js'), false);
  assert.equal(regexKeepsPathInside(String.raw`^([a-z]+\\)?\.\.$`, 'js'), false);
  // A back-reference may repeat anything the analysis cannot see.
  assert.equal(regexKeepsPathInside(String.raw`^(?P<id>[a-z]+)/(?P=id)$`, 'python'), false);
});

test('patterns that do not read as JavaScript are left to the caller', () => {
  assert.equal(regexKeepsPathInside('^(', 'js'), undefined);
  // Verbose mode changes what the text means.
  assert.equal(regexKeepsPathInside('(?x)^[a-z]+$', 'python'), undefined);
});
