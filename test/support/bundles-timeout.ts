/**
 * Setup (after the framework) of the jest project `bundles`. Its first suite's beforeAll waits for
 * the run's one `cdk synth` and every suite starts a Node process per Lambda bundle: on a busy
 * 2-core machine that outlasts the default minute, and a hook time-out there says nothing about
 * the bundles themselves.
 */
jest.setTimeout(180_000);
