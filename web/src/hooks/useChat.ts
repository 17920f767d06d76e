import { useEffect, useSyncExternalStore } from 'react';
import type { ChatClient, ChatState } from '../lib/chatClient.ts';

/** The client's current snapshot; re-renders on every change. */
export function useChat(client: ChatClient): ChatState {
  return useSyncExternalStore(client.subscribe, client.getSnapshot, client.getSnapshot);
}

/** Starts the client for the component's lifetime and reconnects at once when the browser says the
 *  network is back, instead of waiting out the backoff. */
export function useClientLifecycle(client: ChatClient): void {
  useEffect(() => {
    client.start();
    const online = () => client.reconnectNow();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [client]);
}
