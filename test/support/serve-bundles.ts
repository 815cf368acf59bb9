/** Setup file of the jest project `bundles`: startTestService serves the synthesized bundles. */
process.env.SLOTFILL_TEST_HANDLERS = 'bundles';
