// The desktop renderer loads from app://studio/, not file://: only files under the renderer's
// build folder are served, `/` is index.html, and the API accepts calls from that origin only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { APP_RENDERER_URL, resolveAppAsset } from '../../src-main/desktop/app-asset';
import { isAppUrl } from '../../src-main/desktop/app-asset';

const root = resolve('/opt/DeepPose Studio/resources/app.asar/out/renderer');

test('app://studio/ serves files under the renderer folder, / being index.html', () => {
  assert.equal(APP_RENDERER_URL, 'app://studio/index.html');
  assert.equal(resolveAppAsset(root, APP_RENDERER_URL), join(root, 'index.html'));
  assert.equal(resolveAppAsset(root, 'app://studio/'), join(root, 'index.html'));
  assert.equal(resolveAppAsset(root, 'app://studio'), join(root, 'index.html'));
  assert.equal(
    resolveAppAsset(root, 'app://studio/assets/index-AydjM7-0.js?v=1#x'),
    join(root, 'assets', 'index-AydjM7-0.js'),
  );
  assert.equal(resolveAppAsset(root, 'app://studio/assets/a%20b.css'), join(root, 'assets', 'a b.css'));
});

test('nothing outside the renderer folder, from another host or scheme, is served', () => {
  for (const url of [
    'app://studio/../main/index.js',
    'app://studio/%2e%2e/main/index.js',
    'app://studio/assets/%2e%2e%2f%2e%2e%2fmain%2findex.js',
    'app://studio/..%5c..%5cmain%5cindex.js',
    'app://studio/a%00.js',
    'app://studio/%E0%A4%A',
    'app://other/index.html',
    'app://studio.evil/index.html',
    'file:///etc/passwd',
    'deeppose-media://studio/index.html',
    'not a url',
  ]) {
    const file = resolveAppAsset(root, url);
    assert.ok(file === null || file.startsWith(root + '/'), `${url} → ${file}`);
    // A URL's own dot segments are resolved by the URL parser (staying inside); encoded ones,
    // backslashes, NUL and bad escapes are refused.
    if (/%2f|%5c|other|evil|file:|media|not a url|%00|%A$/.test(url)) assert.equal(file, null, url);
  }
});

test('the window accepts navigation and API calls from app://studio only', () => {
  assert.ok(isAppUrl('app://studio/index.html', APP_RENDERER_URL));
  assert.ok(isAppUrl('app://studio/index.html#/train', APP_RENDERER_URL));
  assert.ok(!isAppUrl('app://other/index.html', APP_RENDERER_URL));
  assert.ok(!isAppUrl('file:///opt/DeepPose%20Studio/resources/app.asar/out/renderer/index.html', APP_RENDERER_URL));
  assert.ok(!isAppUrl('https://studio/index.html', APP_RENDERER_URL));
});
