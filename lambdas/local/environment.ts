/**
 * Powertools reads its switches when its instances are built, and lambdas/shared/observability.ts
 * builds them as soon as it is imported, which the local service's own imports already do. So
 * the local defaults are set here, in a module the service imports before any other: metrics
 * off (EMF lines are for CloudWatch, and on a terminal they bury the service's own output and
 * cost a write per request) and no X-Ray. A value the user exported still wins.
 */
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
