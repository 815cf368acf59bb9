import { nameFromNameOrArn } from '../../../lambdas/dialects/gamelift/arns';
import { SlotfillError } from '../../../lambdas/shared/errors';

describe('nameFromNameOrArn', () => {
  it('takes a name as it is and reduces an ARN to the name after its last slash', () => {
    expect(nameFromNameOrArn('duel')).toBe('duel');
    expect(nameFromNameOrArn('arn:aws:gamelift:us-east-1:000000000000:matchmakingconfiguration/duel')).toBe(
      'duel',
    );
  });

  it('refuses an ARN that names nothing as a bad request, not a storage error', () => {
    const attempt = () => nameFromNameOrArn('arn:aws:gamelift:us-east-1::matchmakingconfiguration/');
    expect(attempt).toThrow(SlotfillError);
    expect(attempt).toThrow(/names no resource/);
    try {
      attempt();
    } catch (error) {
      expect((error as SlotfillError).kind).toBe('InvalidRequest');
    }
  });
});
