import type { Event } from '@tributary/core';
import type { EventBusClient } from '@tributary/messaging';
import { defer } from 'rxjs';

/** The bus client a bed's effects get: the real one, recording each event they hand it. */
export const recordingClient = (client: EventBusClient, record: (event: Event) => void): EventBusClient => ({
  ...client,
  emit: event => (record(event), client.emit(event)),
  publish: event => (record(event), client.publish(event)),
  send: ((event: Event) => defer(() => (record(event), client.send(event)))) as EventBusClient['send'],
});
