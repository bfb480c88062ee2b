import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** Global: any feature may inject AuditService. */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
