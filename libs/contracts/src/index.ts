export * from './lib/domain';
export * from './lib/checkout';
export * from './lib/operator';
