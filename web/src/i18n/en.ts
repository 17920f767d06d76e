// Every user-visible English string. ko.ts must provide the same keys (checked by the type).
export const en = {
  appTitle: 'Chat',
  roomLabel: (room: string) => `Chat room ${room}`,
  messagesLabel: 'Messages',
  loadEarlier: 'Load earlier messages',
  loadingEarlier: 'Loading earlier messages…',
  beginning: 'This is the beginning of the conversation.',
  empty: 'No messages yet. Say hello!',
  newMessages: (n: number) => (n === 1 ? '1 new message' : `${n} new messages`),
  you: 'you',
  ownMessage: 'Your message',
  sending: 'Sending…',
  failed: 'Not sent',
  retry: 'Retry',
  discard: 'Discard',
  failReason: (code: string) =>
    ({
      rate_limited: 'You are sending too fast.',
      unavailable: 'The server is busy.',
      timeout: 'No answer from the server.',
      bad_request: 'The server refused this message.',
      not_joined: 'Not connected to this room.',
    })[code] ?? `Error: ${code}`,
  composerLabel: 'Message',
  composerPlaceholder: 'Write a message… (Enter to send, Shift+Enter for a new line)',
  send: 'Send',
  counter: (used: number, max: number) => `${used} / ${max}`,
  counterLabel: (left: number) => `${left} characters left`,
  tooLong: (over: number) => `${over} characters too long`,
  disabledOffline: 'Offline: waiting for the connection…',
  disabledConnecting: 'Connecting…',
  disabledRateLimited: 'Slow down: you can send again in a moment.',
  statusOnline: 'Connected',
  statusConnecting: 'Connecting…',
  statusReconnecting: (seconds: number | null) =>
    seconds === null || seconds <= 0 ? 'Reconnecting…' : `Connection lost. Reconnecting in ${seconds} s…`,
  statusStopped: 'Disconnected',
  reconnectNow: 'Reconnect now',
  online: (n: number) => `${n} online`,
  typing: (names: readonly string[]) =>
    names.length === 1
      ? `${names[0]} is typing…`
      : names.length === 2
        ? `${names[0]} and ${names[1]} are typing…`
        : `${names.length} people are typing…`,
  profileButton: (nickname: string) => `Edit profile (${nickname})`,
  profileTitle: 'Your profile',
  nicknameLabel: 'Nickname',
  avatarLabel: 'Avatar',
  avatarStyle: (style: string) => `Style ${style}`,
  shuffle: 'Other avatars',
  save: 'Save',
  saving: 'Saving…',
  cancel: 'Cancel',
  profileError: (code: string) =>
    ({
      nickname_empty: 'Enter a nickname.',
      nickname_long: 'A nickname has at most 32 characters.',
      nickname_control: 'A nickname cannot contain control characters.',
      offline: 'Offline: try again when connected.',
      rate_limited: 'Too many changes; try again in a moment.',
      bad_request: 'The server refused this profile.',
      unavailable: 'The server is busy; try again.',
    })[code] ?? `Error: ${code}`,
  newMessageAnnouncement: (nickname: string, text: string) => `${nickname}: ${text}`,
  invalidRoom: 'This chat room address is not valid.',
  openFullPage: 'Open in a new tab',
  roomInput: 'Room name',
  homeTitle: 'chatd',
  homeBody: 'Open a room at /r/<room name>, or see the embedding demo at /demo.',
};

export type Strings = typeof en;
