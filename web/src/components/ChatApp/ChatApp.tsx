import { useEffect, useState } from 'react';
import type { ChatClient, ChatState } from '../../lib/chatClient.ts';
import { useChat, useClientLifecycle } from '../../hooks/useChat.ts';
import { Composer } from '../Composer/Composer.tsx';
import type { ComposerBlock } from '../Composer/Composer.tsx';
import { MessageList } from '../MessageList/MessageList.tsx';
import { ProfileDialog } from '../ProfileDialog/ProfileDialog.tsx';
import { StatusBar } from '../StatusBar/StatusBar.tsx';
import { TypingIndicator } from '../TypingIndicator/TypingIndicator.tsx';

export interface ChatAppProps {
  client: ChatClient;
  title: string;
  randomBytes: (n: number) => Uint8Array;
}

export function composerBlock(state: ChatState): ComposerBlock {
  if (state.status === 'connecting') {
    return 'connecting';
  }
  if (state.status !== 'online') {
    return 'offline';
  }
  return state.rateLimitedUntil !== null ? 'rate_limited' : null;
}

export function ChatApp({ client, title, randomBytes }: ChatAppProps) {
  useClientLifecycle(client);
  const state = useChat(client);
  const [editing, setEditing] = useState(false);
  const [submitted, setSubmitted] = useState(false);

  // The dialog closes once the server has answered the save without an error.
  useEffect(() => {
    if (submitted && !state.profileSaving) {
      setSubmitted(false);
      if (state.profileError === null) {
        setEditing(false);
      }
    }
  }, [submitted, state.profileSaving, state.profileError]);

  return (
    <div className="chat" data-status={state.status}>
      <StatusBar
        state={state}
        title={title}
        onEditProfile={() => {
          client.clearProfileError();
          setEditing(true);
        }}
        onReconnectNow={() => client.reconnectNow()}
      />
      <MessageList
        messages={state.messages}
        pending={state.pending}
        me={state.me}
        hasOlder={state.hasOlder}
        loadingOlder={state.loadingOlder}
        onLoadOlder={() => client.loadOlder()}
        onRetry={(id) => client.retry(id)}
        onDiscard={(id) => client.discard(id)}
      />
      <TypingIndicator users={state.typing} />
      <Composer blocked={composerBlock(state)} onSend={(text) => client.send(text)} onTyping={() => client.notifyTyping()} />
      {editing && state.me && (
        <ProfileDialog
          me={state.me}
          saving={state.profileSaving}
          error={state.profileError}
          randomBytes={randomBytes}
          onClose={() => setEditing(false)}
          onSave={(nickname, avatar) => {
            if (client.saveProfile(nickname, avatar)) {
              setSubmitted(true);
            }
          }}
        />
      )}
    </div>
  );
}
