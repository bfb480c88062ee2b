import type { Random } from './random';

/** What a shopper does, named after what the operators will see in the dashboard. */
export const SCENARIOS = [
  'abandon-before-storage',
  'abandon-after-storage',
  'storage-expiry',
  'success',
  'cancel',
  'failure',
  'pending-success',
  'pending-failure',
  'missing-confirmation',
  'return-contradiction',
  'altered-amount',
  'duplicate-confirmation',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
export type Mix = Partial<Record<ScenarioName, number>>;

/** The gateway simulator's payment page choices (apps/gateway-simulator: POST /simulator/payments/:sid/complete). */
export type SimulatorOutcome = 'SUCCESS' | 'CANCEL' | 'FAILURE' | 'PENDING_SUCCESS' | 'PENDING_FAILURE';

export interface ScenarioPlan {
  description: string;
  /** Where the shopper walks away (no payment): after the details step, after the card form loaded, after the review. */
  abandonAt?: 'details' | 'card-form' | 'review';
  /** What the shopper picks on the gateway's payment page. */
  outcome?: SimulatorOutcome;
  /** Knobs set on the simulator for this orderIdent before paying (scoped; removed afterwards). */
  knobs?: Record<string, unknown> | ((amount: string, random: Random) => Record<string, unknown>);
  /** The browser 'returns' to this page of the ingester instead of the one the gateway chose. */
  returnTo?: 'success' | 'cancel' | 'failure' | 'pending';
  /** The state the result page should end up showing (`onHold` for a held payment); none when abandoned. */
  expect?: string;
}

export const PLANS: Readonly<Record<ScenarioName, ScenarioPlan>> = {
  'abandon-before-storage': { description: 'leaves on the details step: checkout started, no data storage', abandonAt: 'details' },
  'abandon-after-storage': { description: 'leaves the card form without entering a card: the storage is left to expire', abandonAt: 'card-form' },
  'storage-expiry': { description: 'stores a card, reviews the order and walks away: a storage with payment data expires', abandonAt: 'review' },
  success: { description: 'pays', outcome: 'SUCCESS', expect: 'SUCCESS' },
  cancel: { description: 'cancels on the payment page', outcome: 'CANCEL', expect: 'CANCEL' },
  failure: { description: 'is declined', outcome: 'FAILURE', expect: 'FAILURE' },
  'pending-success': { description: 'PENDING, later SUCCESS', outcome: 'PENDING_SUCCESS', expect: 'SUCCESS' },
  'pending-failure': { description: 'PENDING, later FAILURE', outcome: 'PENDING_FAILURE', expect: 'FAILURE' },
  'missing-confirmation': { description: 'pays, but the gateway never confirms (knob confirmation=never)', outcome: 'SUCCESS', knobs: { confirmation: 'never' }, expect: 'INITIATED' },
  'return-contradiction': { description: 'is declined, but the browser returns to the success page', outcome: 'FAILURE', returnTo: 'success', expect: 'FAILURE' },
  'altered-amount': {
    description: 'pays; the confirmation carries another amount (knob alterAmount)',
    outcome: 'SUCCESS',
    knobs: (amount, random) => ({ alterAmount: alteredAmount(amount, random) }),
    expect: 'onHold',
  },
  'duplicate-confirmation': { description: 'pays; the confirmation is delivered twice (knob duplicate)', outcome: 'SUCCESS', knobs: { confirmation: 'duplicate' }, expect: 'SUCCESS' },
};

/** A realistic day: most pay, some leave at each step, a few run into the gateway's faults. Weights, not percentages. */
export const DEFAULT_MIX: Readonly<Record<ScenarioName, number>> = {
  'abandon-before-storage': 8,
  'abandon-after-storage': 7,
  'storage-expiry': 4,
  success: 50,
  cancel: 6,
  failure: 6,
  'pending-success': 5,
  'pending-failure': 2,
  'missing-confirmation': 3,
  'return-contradiction': 3,
  'altered-amount': 2,
  'duplicate-confirmation': 4,
};

/** 10–500 cents less than the real amount (at least 0.01), e.g. a tampered or mis-keyed amount. */
function alteredAmount(amount: string, random: Random): string {
  const [units, fraction = '0'] = amount.split('.');
  const cents = Number(units) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  const altered = Math.max(1, cents - random.int(10, 500));
  return `${Math.trunc(altered / 100)}.${String(altered % 100).padStart(2, '0')}`;
}

export class MixError extends Error {}

/**
 * A mix from JSON (`{"success": 50, "cancel": 5}`) or `name=weight,…`; unknown names and negative or
 * non-numeric weights are refused; scenarios not named get weight 0. At least one weight must be positive.
 */
export function parseMix(text: string): Mix {
  const trimmed = text.trim();
  let entries: [string, unknown][];
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      throw new MixError(`mix is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new MixError('mix must be a JSON object of scenario → weight');
    entries = Object.entries(parsed);
  } else {
    entries = trimmed.split(',').filter(Boolean).map((part) => {
      const [name, weight] = part.split('=');
      return [(name ?? '').trim(), weight === undefined ? NaN : Number(weight.trim())];
    });
  }
  return validateMix(Object.fromEntries(entries));
}

export function validateMix(raw: Record<string, unknown>): Mix {
  const mix: Mix = {};
  for (const [name, weight] of Object.entries(raw)) {
    if (!(SCENARIOS as readonly string[]).includes(name)) throw new MixError(`unknown scenario "${name}" (known: ${SCENARIOS.join(', ')})`);
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw new MixError(`weight of ${name} must be a number ≥ 0`);
    mix[name as ScenarioName] = weight;
  }
  if (!Object.values(mix).some((w) => (w as number) > 0)) throw new MixError('the mix needs at least one scenario with a positive weight');
  return mix;
}

/**
 * Exactly how many of `total` shoppers play each scenario (largest remainders, ties in SCENARIOS order), so a
 * seeded run of N shoppers always has the same distribution; the seed decides the order and the details.
 */
export function apportion(total: number, mix: Mix): Record<ScenarioName, number> {
  const weights = SCENARIOS.map((name) => Math.max(0, mix[name] ?? 0));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    if ((weights[i] as number) === 0) continue;
    counts[i] = (counts[i] as number) + 1;
    left--;
  }
  return Object.fromEntries(SCENARIOS.map((name, i) => [name, counts[i] as number])) as Record<ScenarioName, number>;
}
