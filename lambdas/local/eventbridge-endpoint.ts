import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalEventSink, PutEventsEntry } from './local-event-sink';

/** Where the local gateway answers EventBridge's PutEvents (EVENTBRIDGE_ENDPOINT points here). */
export const LOCAL_EVENTBRIDGE_PATH = '/_local/eventbridge';

/**
 * A local EventBridge endpoint that knows one operation, PutEvents (AWS JSON 1.1), so that a
 * bundled matchmaker publishes through the real EventBridge client, as it does in AWS, and
 * its events still reach the console and `/_local/events`. No signature check: it is only
 * reachable on the local interface and changes nothing but the event stream.
 */
export function servePutEvents(
  request: IncomingMessage,
  response: ServerResponse,
  sink: LocalEventSink,
): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    };
    if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
      reply(400, {
        __type: 'UnknownOperationException',
        message: 'Only AWSEvents.PutEvents is served locally',
      });
      return;
    }
    try {
      const { Entries = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        Entries?: PutEventsEntry[];
      };
      const ids = sink.deliverEntries(Entries);
      reply(200, { FailedEntryCount: 0, Entries: ids.map((EventId) => ({ EventId })) });
    } catch (error) {
      reply(400, { __type: 'ValidationException', message: `Malformed PutEvents request: ${String(error)}` });
    }
  });
}
