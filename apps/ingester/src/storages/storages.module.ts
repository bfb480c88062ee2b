import { Module } from '@nestjs/common';
import { StorageSweeper } from './storage-sweeper';

/** Data storage lifecycle: the expiry sweeper (the projection helpers in storage-lifecycle.ts are plain functions). */
@Module({ providers: [StorageSweeper], exports: [StorageSweeper] })
export class StoragesModule {}
