export * from './random';
export * from './tree';
