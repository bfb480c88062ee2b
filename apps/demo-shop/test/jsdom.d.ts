// The few parts of jsdom (a devDependency of the workspace, without bundled types) these tests use.
declare module 'jsdom' {
  export interface JsdomElement {
    getAttribute(name: string): string | null;
    hidden: boolean;
    textContent: string | null;
    value: string;
    click(): void;
  }
  export interface JsdomWindow {
    document: { querySelector(selector: string): JsdomElement | null; getElementById(id: string): JsdomElement | null; readyState: string };
    location: { href: string };
    addEventListener(type: string, listener: () => void): void;
    close(): void;
    [key: string]: unknown;
  }
  export class VirtualConsole {
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
  export class JSDOM {
    constructor(
      html?: string,
      options?: {
        url?: string;
        runScripts?: 'dangerously' | 'outside-only';
        resources?: 'usable';
        pretendToBeVisual?: boolean;
        virtualConsole?: VirtualConsole;
        beforeParse?(window: JsdomWindow): void;
      },
    );
    readonly window: JsdomWindow;
  }
}
