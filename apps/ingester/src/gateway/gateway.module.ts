import { Global, Module } from '@nestjs/common';
import { Gateway } from './gateway';

/** The gateway client for every feature that speaks to QENTA (checkout now, reconciliation later). */
@Global()
@Module({ providers: [Gateway], exports: [Gateway] })
export class GatewayModule {}
