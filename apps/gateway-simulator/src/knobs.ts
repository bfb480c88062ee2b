import type { GatewayError } from './gateway-errors';

/**
 * Fault knobs. Each payment resolves its knobs from, in increasing priority: the defaults, the knobs given at
 * start (options / SIMULATOR_KNOBS), the global knobs
 * (`PUT /simulator/knobs`), knobs scoped to its orderIdent, orderNumber or SID (`POST /simulator/knobs`), and the
 * custom request parameter `simulatorKnobs` (JSON) sent with frontend init.
 */
export interface Knobs {
  /** Wait this long before the first confirmation attempt; the browser redirect does not wait for it. */
  confirmationDelayMs: number;
  /**
   * `normal`: confirm, then redirect the browser. `duplicate`: the same confirmation is delivered twice.
   * `never`: no confirmation at all. `after-redirect`: the browser is redirected first, the confirmation follows.
   */
  confirmation: 'normal' | 'duplicate' | 'never' | 'after-redirect';
  /** Send a responseFingerprint that does not match (one hex digit changed). */
  wrongFingerprint: boolean;
  /** Confirm this amount instead of the requested one (correctly signed). */
  alterAmount: string | null;
  /** Time between a PENDING confirmation and the final SUCCESS/FAILURE one. */
  pendingDelayMs: number;
  /** Answer data storage / frontend init with this error block instead of doing the work. */
  initError: GatewayError | null;
  /** Which inits initError and initDelayMs apply to. */
  initTarget: 'all' | 'dataStorage' | 'frontend';
  /** Hang init requests this long before answering (to provoke client timeouts). */
  initDelayMs: number;
  /** Error block of FAILURE confirmations. */
  failureError: GatewayError;
}

export const DEFAULT_KNOBS: Readonly<Knobs> = Object.freeze({
  confirmationDelayMs: 0,
  confirmation: 'normal',
  wrongFingerprint: false,
  alterAmount: null,
  pendingDelayMs: 2000,
  initError: null,
  initTarget: 'all',
  initDelayMs: 0,
  failureError: {
    errorCode: '24997',
    message: 'Demo payment declined.',
    consumerMessage: 'The payment was declined.',
    paySysMessage: 'Declined by the demo acquirer.',
  },
});

export class KnobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KnobError';
  }
}

const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

function delay(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_DELAY_MS) {
    throw new KnobError(`${name} must be an integer number of milliseconds between 0 and ${MAX_DELAY_MS}`);
  }
  return value;
}

function gatewayError(value: unknown, name: string): GatewayError {
  if (value === true) return { errorCode: '10098', message: 'Simulated gateway error.' };
  if (typeof value !== 'object' || value === null) throw new KnobError(`${name} must be true or { errorCode, message, consumerMessage?, paySysMessage? }`);
  const v = value as Record<string, unknown>;
  if (typeof v.errorCode !== 'string' || !/^[0-9]{1,6}$/.test(v.errorCode)) throw new KnobError(`${name}.errorCode must be a numeric string`);
  if (typeof v.message !== 'string' || v.message === '') throw new KnobError(`${name}.message must be a non-empty string`);
  const out: GatewayError = { errorCode: v.errorCode, message: v.message };
  for (const k of ['consumerMessage', 'paySysMessage'] as const) {
    if (v[k] !== undefined) {
      if (typeof v[k] !== 'string') throw new KnobError(`${name}.${k} must be a string`);
      out[k] = v[k];
    }
  }
  return out;
}

/** Validates knobs given as JSON (HTTP body or the `simulatorKnobs` parameter); unknown names are refused. */
export function parseKnobs(raw: unknown): Partial<Knobs> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new KnobError('knobs must be a JSON object');
  const out: Partial<Knobs> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    switch (name) {
      case 'confirmationDelayMs':
      case 'pendingDelayMs':
      case 'initDelayMs':
        out[name] = delay(value, name);
        break;
      case 'confirmation':
        if (value !== 'normal' && value !== 'duplicate' && value !== 'never' && value !== 'after-redirect') {
          throw new KnobError('confirmation must be one of normal, duplicate, never, after-redirect');
        }
        out.confirmation = value;
        break;
      case 'wrongFingerprint':
        if (typeof value !== 'boolean') throw new KnobError('wrongFingerprint must be a boolean');
        out.wrongFingerprint = value;
        break;
      case 'alterAmount':
        if (value !== null && (typeof value !== 'string' || !/^[0-9]{1,15}([.,][0-9]{1,3})?$/.test(value))) {
          throw new KnobError('alterAmount must be null or an amount string such as "2.00"');
        }
        out.alterAmount = value;
        break;
      case 'initError':
        out.initError = value === null || value === false ? null : gatewayError(value, name);
        break;
      case 'initTarget':
        if (value !== 'all' && value !== 'dataStorage' && value !== 'frontend') throw new KnobError('initTarget must be all, dataStorage or frontend');
        out.initTarget = value;
        break;
      case 'failureError':
        out.failureError = gatewayError(value, name);
        break;
      default:
        throw new KnobError(`unknown knob "${name}" (known: ${Object.keys(DEFAULT_KNOBS).join(', ')})`);
    }
  }
  return out;
}

export interface KnobScope {
  orderIdent?: string;
  orderNumber?: string;
  sid?: string;
}

export interface ScopedKnobs {
  id: number;
  scope: KnobScope;
  knobs: Partial<Knobs>;
}

export function parseScope(raw: unknown): KnobScope {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new KnobError('scope must be an object with orderIdent, orderNumber or sid');
  const out: KnobScope = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name !== 'orderIdent' && name !== 'orderNumber' && name !== 'sid') throw new KnobError(`unknown scope "${name}" (orderIdent, orderNumber, sid)`);
    if (typeof value !== 'string' || value === '') throw new KnobError(`scope.${name} must be a non-empty string`);
    out[name] = value;
  }
  if (Object.keys(out).length === 0) throw new KnobError('scope needs orderIdent, orderNumber or sid');
  return out;
}

export class KnobRegistry {
  private global: Partial<Knobs> = {};

  /** `startup` knobs (configuration) sit between the defaults and the global knobs and survive clear(). */
  constructor(private readonly startup: Partial<Knobs> = {}) {}

  private scoped: ScopedKnobs[] = [];
  private nextId = 1;

  setGlobal(knobs: Partial<Knobs>): void {
    this.global = { ...knobs };
  }

  getStartup(): Partial<Knobs> {
    return { ...this.startup };
  }

  getGlobal(): Partial<Knobs> {
    return { ...this.global };
  }

  addScoped(scope: KnobScope, knobs: Partial<Knobs>): ScopedKnobs {
    const entry = { id: this.nextId++, scope: { ...scope }, knobs: { ...knobs } };
    this.scoped.push(entry);
    return entry;
  }

  removeScoped(id: number): boolean {
    const before = this.scoped.length;
    this.scoped = this.scoped.filter((s) => s.id !== id);
    return this.scoped.length !== before;
  }

  listScoped(): ScopedKnobs[] {
    return this.scoped.map((s) => ({ ...s }));
  }

  clear(): void {
    this.global = {};
    this.scoped = [];
  }

  /** Every scoped entry whose fields all match the payment contributes; later entries win. */
  resolve(context: KnobScope, fromRequest?: Partial<Knobs>): Knobs {
    const out: Knobs = { ...DEFAULT_KNOBS, ...this.startup, ...this.global };
    for (const entry of this.scoped) {
      const matches = (Object.keys(entry.scope) as (keyof KnobScope)[]).every((k) => context[k] !== undefined && context[k] === entry.scope[k]);
      if (matches) Object.assign(out, entry.knobs);
    }
    if (fromRequest) Object.assign(out, fromRequest);
    return out;
  }
}
