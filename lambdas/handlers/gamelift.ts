import { createGameLiftHandler } from './gamelift-api';
import { runtimeDependencies } from './runtime';

/** Lambda entry for the FlexMatch dialect (route table: POST /). */
const { config, useCases } = runtimeDependencies();
export const handler = createGameLiftHandler({
  useCases,
  arnScope: { region: config.region, accountId: config.accountId },
});
