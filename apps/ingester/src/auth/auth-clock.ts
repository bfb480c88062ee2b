import { Injectable } from '@nestjs/common';

/** The time as sessions and login throttling see it; tests move it (`vi.spyOn(app.get(AuthClock), 'now')`). */
@Injectable()
export class AuthClock {
  now(): Date {
    return new Date();
  }
}
