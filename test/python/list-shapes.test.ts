import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { concatLists, mergeVals, shapesOf, sourceTaint, type Val } from '../../src/core/python/values';

const span = { start: 0, end: 1 };
const src = (name: string): Val => ({ taint: sourceTaint(name, 'tool argument', { file: 'x.py', span, message: name }) });
const opt = (s: string): Val => ({ str: s });

describe('Python list shapes at control-flow joins', () => {
  test('lists of different lengths keep each shape; the join stays tainted', () => {
    const since = src('since');
    const empty: Val = { items: [] };
    const withSince: Val = { items: [opt('--since'), since], taint: since.taint! };
    const joined = mergeVals(empty, withSince);
    assert.equal(joined.items, undefined);
    assert.deepEqual(shapesOf(joined), [[], [opt('--since'), since]]);
    assert.ok(joined.taint);
  });

  test('lists of one length still merge element by element', () => {
    const a = src('a');
    const joined = mergeVals({ items: [opt('-n'), a] }, { items: [opt('-n'), opt('5')] });
    assert.equal(joined.shapes, undefined);
    assert.equal(joined.items?.length, 2);
    assert.equal(joined.items![0]!.str, '-n');
  });

  test('a shape that two paths share is kept once', () => {
    const a = src('a');
    const one: Val = { items: [a] };
    const joined = mergeVals(mergeVals({ items: [] }, one), one);
    assert.equal(shapesOf(joined)?.length, 2);
  });

  test('six optional pairs keep their 64 shapes, each starting with what the list started with', () => {
    let list: Val = { items: [opt('observe')] };
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const v = src(name);
      const grown = concatLists(list, { items: [opt(`--${name}`), v], taint: v.taint! })!;
      list = mergeVals(list, grown);
    }
    const shapes = shapesOf(list)!;
    assert.equal(shapes.length, 64);
    assert.ok(shapes.every((s) => s[0]!.str === 'observe'));
  });

  test('past the cap no shape is kept: the list is only its taint, as for any list of unknown shape', () => {
    let list: Val = { items: [] };
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      const v = src(name);
      const grown = concatLists(list, { items: [opt(`--${name}`), v], taint: v.taint! })!;
      list = mergeVals(list, grown);
    }
    assert.equal(list.items, undefined);
    assert.equal(list.shapes, undefined);
    assert.deepEqual(list.taint?.origins.length, 3);
  });
});
