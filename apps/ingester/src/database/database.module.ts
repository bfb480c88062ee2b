import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, type DatabaseConnection } from './data-source';

@Module({})
export class DatabaseModule {
  static forRoot(connection: DatabaseConnection): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          // A database that is down at start fails the start after a few seconds; the orchestrator restarts us.
          useFactory: () => ({ ...dataSourceOptions(connection), retryAttempts: 3, retryDelay: 1_000 }),
        }),
      ],
    };
  }
}
