import { Module } from '@nestjs/common';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { AdmissionLimit, CONFIRMATION_ADMISSION, IN_FLIGHT_PER_CONNECTION } from './admission';
import { ConfirmationController } from './confirmation.controller';
import { ConfirmationService } from './confirmation.service';

@Module({
  controllers: [ConfirmationController],
  providers: [
    ConfirmationService,
    {
      provide: CONFIRMATION_ADMISSION,
      inject: [INGESTER_CONFIG],
      useFactory: (config: IngesterConfig) => new AdmissionLimit(config.database.poolSize * IN_FLIGHT_PER_CONNECTION),
    },
  ],
})
export class ConfirmationModule {}
