export * from './lib/domain';
export * from './lib/checkout';
