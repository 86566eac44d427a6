import { EventEmitter, on } from 'node:events';

/** Starts a source that pushes items as they happen; returns how to stop it early. */
export type PushStart<T> = (push: (item: T) => void, end: () => void) => () => void;

/**
 * A pushed source as an async iterable, for consumers that pull (`for await`): the source starts on
 * the first pull, items wait in order until taken, and iteration ends after `end`. Leaving early
 * (break, return, throw) stops the source.
 *
 * Node's own `events.on` keeps the queue; only the start-on-first-pull and the stop are added here.
 */
export async function* pulled<T>(start: PushStart<T>): AsyncGenerator<T> {
  const emitter = new EventEmitter();
  const items = on(emitter, 'item', { close: ['end'] });
  const stop = start(
    (item) => emitter.emit('item', item),
    () => emitter.emit('end'),
  );
  try {
    for await (const [item] of items) yield item as T;
  } finally {
    stop();
  }
}
