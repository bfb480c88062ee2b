import { Module } from '@nestjs/common';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { AdmissionLimit, CONFIRMATION_ADMISSION, IN_FLIGHT_PER_CONNECTION } from './admission';
import { ConfirmationService } from './confirmation.service';

/** The confirmation path's parts; its HTTP endpoint is mounted by createIngesterApp (see confirmation.endpoint.ts). */
@Module({
  providers: [
    ConfirmationService,
    {
      provide: CONFIRMATION_ADMISSION,
      inject: [INGESTER_CONFIG],
      useFactory: (config: IngesterConfig) => new AdmissionLimit(config.database.poolSize * IN_FLIGHT_PER_CONNECTION),
    },
  ],
  exports: [ConfirmationService, CONFIRMATION_ADMISSION],
})
export class ConfirmationModule {}
