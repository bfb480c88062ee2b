import type { INestApplication } from '@nestjs/common';
import { OperatorsService } from './operators.service';

/** Demo mode (DEMO_MODE=on, `npm start`): on an empty operators table, creates an admin and prints it once. */
export async function createDemoAdmin(app: INestApplication, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const created = await app.get(OperatorsService).createDemoAdmin();
  if (!created) return;
  out.write(
    [
      '',
      '  Demo mode: no operator existed, so an admin was created. This password is shown only now:',
      `    email     ${created.email}`,
      `    password  ${created.password}`,
      '  More operators: npm run ops -- operator add --email <email> --role <viewer|operator|finance|admin>',
      '',
      '',
    ].join('\n'),
  );
}
