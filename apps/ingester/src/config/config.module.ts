import { DynamicModule, Global, Module } from '@nestjs/common';
import type { IngesterConfig } from './config';

/** Injection token of the validated IngesterConfig: `@Inject(INGESTER_CONFIG) config: IngesterConfig`. */
export const INGESTER_CONFIG = Symbol('INGESTER_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: IngesterConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: INGESTER_CONFIG, useValue: config }], exports: [INGESTER_CONFIG] };
  }
}
