import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'qenta',
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
  },
});
