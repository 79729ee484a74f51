// Probe suite (issue 14), the browser door: a hostile page or client tries DNS rebinding,
// malformed URLs, an existence oracle on /media, and two studios on one host.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStudio, type Studio } from '../../src-main/core/studio';
import { startServer, type RunningServer } from '../../src-main/serve/http-server';
import { addressWithoutToken } from '../../src-renderer/src/lib/api/forget-token';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
let studio: Studio;
let server: RunningServer;
let other: RunningServer;

before(async () => {
  const rendererDir = join(temp.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
  studio = createStudio({ home: join(temp.dir, 'home'), door: 'serve' });
  server = await startServer({ studio, rendererDir });
  other = await startServer({ studio, rendererDir });
});
after(async () => {
  await server.close();
  await other.close();
  await studio.close();
  temp.cleanup();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request, so the Host header and the path go out exactly as written. */
function get(path: string, headers: Record<string, string> = {}, port = server.port): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const bearer = () => ({ Authorization: `Bearer ${server.token}` });

function assertSecurityHeaders(answer: Answer, what: string): void {
  assert.match(String(answer.headers['content-security-policy']), /frame-ancestors 'none'/, what);
  assert.equal(answer.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(answer.headers['referrer-policy'], 'no-referrer', what);
  assert.equal(answer.headers['x-frame-options'], 'DENY', what);
}

test('a Host other than 127.0.0.1 or localhost with this port is refused, even with the token', async () => {
  for (const host of ['evil.example:' + server.port, `127.0.0.1:${server.port + 1}`, 'evil.example', 'localhost']) {
    const answer = await get('/', { ...bearer(), Host: host });
    assert.equal(answer.status, 403, host);
    assertSecurityHeaders(answer, host);
  }
  assert.equal((await get('/', { ...bearer(), Host: `localhost:${server.port}` })).status, 200);
  assert.equal((await get('/', bearer())).status, 200);
});

test('every answer carries the security headers, and a malformed URL is a 400', async () => {
  const answers: Array<[string, Answer]> = [
    ['200', await get('/', bearer())],
    ['403 no token', await get('/')],
    ['404', await get('/nothing-here.js', bearer())],
    [
      '405',
      await new Promise<Answer>((resolve) => {
        const req = request(
          { host: '127.0.0.1', port: server.port, path: '/', method: 'POST', headers: bearer() },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
          },
        );
        req.end();
      }),
    ],
    ['malformed', await get('/%', bearer())],
    ['malformed media', await get('/media%?path=x', bearer())],
  ];
  for (const [what, answer] of answers) assertSecurityHeaders(answer, what);
  assert.equal(answers[3][1].status, 405);
  assert.equal(answers[4][1].status, 400);
  assert.equal(answers[5][1].status, 400);
  assert.doesNotMatch(answers[4][1].body, /URI malformed/);
});

test('/media answers 404 alike for existing and missing files outside the roots', async () => {
  const secret = join(temp.dir, 'secret.jpg');
  writeFileSync(secret, 'secret');
  const existing = await get(`/media?path=${encodeURIComponent(secret)}`, bearer());
  const missing = await get(`/media?path=${encodeURIComponent(join(temp.dir, 'missing.jpg'))}`, bearer());
  const system = await get(`/media?path=${encodeURIComponent('/etc/passwd')}`, bearer());
  assert.deepEqual([existing.status, missing.status, system.status], [404, 404, 404]);
  assert.equal(existing.body, missing.body);
  assert.equal(system.body, missing.body);
  assertSecurityHeaders(existing, 'media 404');
});

test('each studio names its cookie by its port, so two studios on one host keep their sessions', async () => {
  const first = await get(`/?token=${server.token}`);
  const second = await get(`/?token=${other.token}`, {}, other.port);
  const cookieOf = (answer: Answer) => String(answer.headers['set-cookie']).split(';')[0];
  assert.equal(cookieOf(first), `deeppose_token_${server.port}=${server.token}`);
  assert.equal(cookieOf(second), `deeppose_token_${other.port}=${other.token}`);
  // A browser sends both cookies to both ports: each studio picks its own.
  const both = `${cookieOf(first)}; ${cookieOf(second)}`;
  assert.equal((await get('/', { Cookie: both })).status, 200);
  assert.equal((await get('/', { Cookie: both }, other.port)).status, 200);
});

test('the page drops the token from its address once the cookie holds it', () => {
  assert.equal(addressWithoutToken('http://127.0.0.1:5000/?token=abc'), '/');
  assert.equal(addressWithoutToken('http://127.0.0.1:5000/?token=abc&view=train#run-3'), '/?view=train#run-3');
  assert.equal(addressWithoutToken('http://127.0.0.1:5000/?view=train'), null);
});
