import { Module } from '@nestjs/common';
import { GatewayCheckModule } from '../reconciliation/gateway-check.module';
import { PendingJanitor } from './pending-janitor';

/** The pending janitor: stuck INITIATED / PENDING payments checked against the gateway with backoff. */
@Module({ imports: [GatewayCheckModule], providers: [PendingJanitor], exports: [PendingJanitor] })
export class JanitorModule {}
