import { Module } from '@nestjs/common';
import { GatewayBackend, GatewayCallLimiter } from './gateway-backend';

/** What gateway reconciliation and the pending janitor share: the back-end client and the process's call limiter. */
@Module({ providers: [GatewayBackend, GatewayCallLimiter], exports: [GatewayBackend, GatewayCallLimiter] })
export class GatewayCheckModule {}
