import { createContextToken } from '@tributary/core';
import type { MessagingClient } from '@tributary/messaging';

/** The client each service publishes its facts with. */
export const PublisherToken = createContextToken<MessagingClient>('Publisher');
