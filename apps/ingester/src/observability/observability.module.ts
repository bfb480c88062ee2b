import { Controller, Get, Global, Header, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { httpMetrics } from './http-metrics';
import { Metrics } from './metrics';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  render(): string {
    return this.metrics.render();
  }
}

@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics],
  exports: [Metrics],
})
export class ObservabilityModule implements NestModule {
  constructor(private readonly metrics: Metrics) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(httpMetrics(this.metrics)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
