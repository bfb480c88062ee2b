export * from './lib/fingerprint';
export * from './lib/form-codec';
export * from './lib/orders';
