import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, peerAddress } from './client-address';

// peerAddress serves the confirmation endpoint, which bypasses express: it must name the same client as express's
// req.ip under the same numeric `trust proxy` setting.
describe('peerAddress agrees with express trust proxy', () => {
  const servers: { close: () => void }[] = [];
  const urls = new Map<number, string>();

  beforeAll(async () => {
    for (const hops of [0, 1, 2, 3]) {
      const app = express();
      app.set('trust proxy', hops);
      app.get('/', (req, res) => {
        res.json({ express: clientAddress(req), ours: peerAddress(req, hops) });
      });
      const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      servers.push(server);
      urls.set(hops, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    }
  });
  afterAll(() => servers.forEach((s) => s.close()));

  const forwarded = [undefined, '203.0.113.7', '203.0.113.7, 10.0.0.2', '198.51.100.1,203.0.113.7 , 10.0.0.2', 'not-an-ip, 10.0.0.2', '2001:db8::1, 10.0.0.2'];
  for (const hops of [0, 1, 2, 3]) {
    for (const xff of forwarded) {
      it(`hops ${hops}, X-Forwarded-For ${xff ?? '(none)'}`, async () => {
        const res = await fetch(urls.get(hops) as string, { headers: xff ? { 'x-forwarded-for': xff } : {} });
        const { express: theirs, ours } = (await res.json()) as { express: string | null; ours: string | null };
        expect(ours).toBe(theirs);
      });
    }
  }

  it('picks the address the given number of hops back', async () => {
    const res = await fetch(urls.get(1) as string, { headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' } });
    expect(((await res.json()) as { ours: string }).ours).toBe('203.0.113.7');
  });
});
