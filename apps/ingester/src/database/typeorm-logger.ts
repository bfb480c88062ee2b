import { Logger } from '@nestjs/common';
import { AbstractLogger, type LogLevel, type LogMessage } from 'typeorm';

/** Sends TypeORM's messages through Nest's logger, so LOG_LEVEL and the log format apply to them too. */
export class TypeOrmNestLogger extends AbstractLogger {
  private readonly logger = new Logger('TypeORM');

  protected writeLog(level: LogLevel, logMessage: LogMessage | string | number | (LogMessage | string | number)[]): void {
    for (const { type, prefix, message } of this.prepareLogMessages(logMessage)) {
      const text = prefix ? `${prefix} ${message}` : String(message);
      switch (type ?? level) {
        case 'error':
        case 'query-error':
          this.logger.error(text);
          break;
        case 'warn':
        case 'query-slow':
          this.logger.warn(text);
          break;
        case 'query':
        case 'schema':
        case 'schema-build':
          this.logger.debug(text);
          break;
        default:
          this.logger.log(text);
      }
    }
  }
}
