import { JSDOM, VirtualConsole, type JsdomWindow } from 'jsdom';

/**
 * A page of the shop in jsdom with its scripts running (the shop's own and, on the card form, the gateway's
 * JavaScript from the simulator). jsdom has no fetch: the window gets Node's, resolving against the page and
 * sending the shop's session cookie to the shop only.
 */
export async function openPage(url: string, html: string, cookie: string): Promise<{ window: JsdomWindow; errors: string[] }> {
  const errors: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    if (!/Not implemented: navigation/.test(message)) errors.push(message);
  });
  const origin = new URL(url).origin;
  const dom = new JSDOM(html, {
    url,
    runScripts: 'dangerously',
    resources: 'usable',
    virtualConsole,
    beforeParse(window) {
      window['fetch'] = (input: unknown, init: RequestInit = {}) => {
        const target = new URL(String(input), url);
        const headers = new Headers(init.headers);
        if (target.origin === origin && init.credentials !== 'omit') headers.set('Cookie', cookie);
        // The page's URLSearchParams is jsdom's, which Node's fetch does not recognise as a form body.
        const body = init.body && typeof init.body === 'object' && init.body.constructor?.name === 'URLSearchParams' ? new URLSearchParams(String(init.body)) : init.body;
        return fetch(target, { ...init, headers, body });
      };
    },
  });
  if (dom.window.document.readyState !== 'complete') await new Promise<void>((resolve) => dom.window.addEventListener('load', () => resolve()));
  return { window: dom.window, errors };
}

export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
