import { invalidRequest } from '../../shared/errors';

/** GameLift ARNs, in AWS's format, for the region and account slotfill is configured with. */
export interface ArnScope {
  region: string;
  accountId: string;
}

export const configurationArn = (scope: ArnScope, name: string): string =>
  `arn:aws:gamelift:${scope.region}:${scope.accountId}:matchmakingconfiguration/${name}`;

export const ruleSetArn = (scope: ArnScope, name: string): string =>
  `arn:aws:gamelift:${scope.region}:${scope.accountId}:matchmakingruleset/${name}`;

/**
 * FlexMatch accepts a configuration or rule set either by name or by ARN; slotfill keys
 * everything by name, so an ARN is reduced to the name after its resource-type slash.
 */
export function nameFromNameOrArn(nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const slash = nameOrArn.lastIndexOf('/');
  const name = slash >= 0 ? nameOrArn.slice(slash + 1) : nameOrArn;
  // An empty name can be no key (the fuzz suite found "…:matchmakingconfiguration/" answered 500).
  if (name === '')
    throw invalidRequest(
      `'${nameOrArn}' names no resource: an ARN must end with the name after its last '/'.`,
    );
  return name;
}
