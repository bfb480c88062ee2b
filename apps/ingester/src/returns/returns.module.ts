import { Module } from '@nestjs/common';
import { ReturnController } from './return.controller';
import { ReturnService } from './return.service';
import { ReturnWatchJob } from './return-watch.job';

@Module({ controllers: [ReturnController], providers: [ReturnService, ReturnWatchJob] })
export class ReturnsModule {}
