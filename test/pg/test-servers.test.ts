import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { requireServices, startRedis } from '../support/services.ts';
import { alive, child, eventually, pgFixture } from './helpers.ts';

/** No test server outlives its test process, however that process ends (test/support/services.ts). */
const it = requireServices(test, ['postgres']);


it('a test server dies with its test process (exit, SIGTERM, SIGKILL through the watchdog) and leaves no files', async () => {
  // The three at once: each child starts its own server, which takes a couple of seconds.
  await Promise.all(
    (['exit', 'signal', 'kill'] as const).map(async (how) => {
      let server: { pid: number; dir: string } | undefined;
      const ran = await child(['server', how], {
        onLine(line, kill) {
          const [pid, dir] = line.split(' ');
          server = { pid: Number(pid), dir };
          if (how === 'kill') kill('SIGKILL');
          if (how === 'signal') kill('SIGTERM');
        },
      });
      assert.ok(server, `${how}: ${ran.out}`);
      assert.is(ran.code, how === 'exit' ? 0 : null, `${how}: ${ran.out}`);
      await eventually(() => !alive(server!.pid), 5_000, `${how}: postgres ${server.pid} to stop`);
      await eventually(() => !fs.existsSync(path.dirname(server!.dir)), 5_000, `${how}: ${server.dir} to be removed`);
    }),
  );
});

const withRedis = requireServices(test, ['redis']);

withRedis('startRedis serves on its port until stop(), which removes its folder', async () => {
  const redis = await startRedis();
  assert.match(redis.url, new RegExp(`^redis://127\\.0\\.0\\.1:${redis.port}$`));
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(redis.port, '127.0.0.1', () => socket.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n'));
    let text = '';
    socket.on('data', (d) => {
      text += d;
      if (text.includes('$1\r\nv\r\n')) {
        socket.end();
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
  assert.is(reply, '+OK\r\n$1\r\nv\r\n');
  await redis.stop();
  assert.not.ok(await new Promise((resolve) => net.connect(redis.port, '127.0.0.1').on('connect', () => resolve(true)).on('error', () => resolve(false))), 'nothing listens after stop()');
});

test.run();
