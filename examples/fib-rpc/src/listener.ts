import { messagingListener } from '@tributary/messaging';
import { fib$ } from './fib.effect';

/** The Fibonacci service: the same listener on every transport. */
export const listener = messagingListener({ effects: [fib$] });
