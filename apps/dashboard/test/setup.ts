import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';

// A busy CI machine can take longer than testing-library's default second to settle a render.
configure({ asyncUtilTimeout: 5_000 });

/**
 * Recharts' ResponsiveContainer measures its parent with ResizeObserver, which jsdom lacks. This stub
 * reports a fixed size at once, so charts really render their SVG in tests.
 */
class ResizeObserverStub implements ResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element): void {
    const contentRect = { x: 0, y: 0, top: 0, left: 0, bottom: 300, right: 800, width: 800, height: 300, toJSON: () => ({}) };
    this.callback([{ target, contentRect } as unknown as ResizeObserverEntry], this);
  }
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver = ResizeObserverStub;

afterEach(() => {
  cleanup();
});
