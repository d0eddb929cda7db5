// Shared numerics for the pure core: distributions, exact and asymptotic tests, multiple-comparison
// corrections, a seeded PRNG, ROC AUC and a small dense solver. No I/O, no globals, no Math.random.
export { adjustPValues, type PValueCorrection } from './adjust-p-values.ts'
export { createPrng, type Prng, shuffle } from './create-prng.ts'
export { type FisherAlternative, type FisherExactTest, fisherExactTest, type TwoByTwo } from './fisher-exact-test.ts'
export { logChoose, logFactorial, logGamma } from './log-gamma.ts'
export { erfc, normalTwoSidedP, normalUpperTail } from './normal-distribution.ts'
export { rocAuc } from './roc-auc.ts'
export { solveCholesky } from './solve-cholesky.ts'
export { type Proportion, type TwoProportionZTest, twoProportionZTest } from './two-proportion-z-test.ts'
