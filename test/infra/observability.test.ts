import { Match, type Template } from 'aws-cdk-lib/assertions';
import { MATCHMAKER_METRICS } from '../../lambdas/shared/metric-names';
import { acknowledgments, resourcesOf, type Synthesized, synthesize } from './synthesize';

/** The dashboard, the alarms with their topic, and the matchmaker's on-failure destination. */
describe('observability', () => {
  let synthesized: Synthesized;
  let template: Template;

  beforeAll(() => {
    synthesized = synthesize({ timeToMatchAlarmSeconds: 45 }, false);
    template = synthesized.template;
  });

  const topicId = () => {
    const topics = resourcesOf(template, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    return topics[0]![0];
  };

  it('encrypts the alarm topic with a rotated key CloudWatch may use, and refuses plain HTTP', () => {
    const [, topic] = resourcesOf(template, 'AWS::SNS::Topic')[0]!;
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('sends every alarm, the matchmaker and worker errors alarms included, to the topic', () => {
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBe(6);
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId() }]);
  });

  it('alarms on tick failures, a publish backlog, p90 time to match over the threshold, and throttles', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Slotfill',
      MetricName: MATCHMAKER_METRICS.tickFailures,
      Dimensions: [{ Name: 'service', Value: 'slotfill' }],
      Threshold: 3,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: MATCHMAKER_METRICS.publishFailures,
      EvaluationPeriods: 5,
      Period: 60,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: MATCHMAKER_METRICS.timeToMatch,
      ExtendedStatistic: 'p90',
      Threshold: 45,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const [, throttles] = resourcesOf(template, 'AWS::CloudWatch::Alarm').find(([, alarm]) =>
      JSON.stringify(alarm.Properties.Metrics ?? []).includes('Throttles'),
    )!;
    const metricNames = JSON.stringify(throttles.Properties.Metrics);
    expect(metricNames).toContain('"ThrottledRequests"');
    // The matchmaker and both API functions.
    expect(metricNames.match(/"Throttles"/g)).toHaveLength(3);
  });

  it('sends failed matchmaker invocations to the topic (an on-failure destination)', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { Ref: topicId() } } },
    });
  });

  it('has a dashboard with the per-configuration metrics', () => {
    const [, dashboard] = resourcesOf(template, 'AWS::CloudWatch::Dashboard')[0]!;
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const name of Object.values(MATCHMAKER_METRICS)) expect(body).toContain(name);
    expect(body).toContain('TicketsStarted');
    expect(body).toContain('configuration');
  });

  it('stays cdk-nag clean without new acknowledgments outside the functions', () => {
    expect(synthesized.nagFindings).toEqual([]);
    expect(synthesized.cdkErrors).toEqual([]);
    expect(
      acknowledgments(synthesized.stack).filter(
        ({ path }) => path.startsWith('Slotfill/Alarms') || path.startsWith('Slotfill/Observability'),
      ),
    ).toEqual([]);
  });
});

describe('log level', () => {
  it('sets POWERTOOLS_LOG_LEVEL on every function (INFO unless the stack says otherwise)', () => {
    const levels = (logLevel?: string) =>
      resourcesOf(synthesize({ logLevel }, false).template, 'AWS::Lambda::Function').map(
        ([, fn]) =>
          (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
            .POWERTOOLS_LOG_LEVEL,
      );
    // GameLiftApi, PlayFabApi, the matchmaker's dispatcher and its worker.
    expect(levels()).toEqual(['INFO', 'INFO', 'INFO', 'INFO']);
    expect(levels('debug')).toEqual(['DEBUG', 'DEBUG', 'DEBUG', 'DEBUG']);
    expect(() => synthesize({ logLevel: 'LOUD' }, false)).toThrow(/logLevel must be one of/);
  });
});
