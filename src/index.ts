/**
 * The library entry: what tests and scripts use to seed what they need.
 */
export * from './errors.js';
