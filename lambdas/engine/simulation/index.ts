/**
 * Designer tools beside the engine: run a rule set or a PlayFab queue against simulated or
 * recorded arrivals on a virtual clock, with the real matching pass, and summarize the run.
 */
export * from './model';
export { programFromText } from './programs';
export { bell, normal, seededRandom, weightedIndex } from './random';
export * from './run';
export * from './summary';
