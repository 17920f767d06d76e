import type { Strings } from './en.ts';

// 모든 한국어 문자열. 키는 en.ts와 같아야 한다 (타입으로 확인).
export const ko: Strings = {
  appTitle: '채팅',
  roomLabel: (room) => `채팅방 ${room}`,
  messagesLabel: '메시지',
  loadEarlier: '이전 메시지 불러오기',
  loadingEarlier: '이전 메시지를 불러오는 중…',
  beginning: '대화의 처음입니다.',
  empty: '아직 메시지가 없습니다. 첫 인사를 남겨 보세요!',
  newMessages: (n) => `새 메시지 ${n}개`,
  you: '나',
  ownMessage: '내 메시지',
  sending: '보내는 중…',
  failed: '보내지 못함',
  retry: '다시 보내기',
  discard: '지우기',
  failReason: (code) =>
    ({
      rate_limited: '너무 빨리 보내고 있습니다.',
      unavailable: '서버가 바쁩니다.',
      timeout: '서버가 응답하지 않습니다.',
      bad_request: '서버가 이 메시지를 거부했습니다.',
      not_joined: '이 방에 연결되어 있지 않습니다.',
    })[code] ?? `오류: ${code}`,
  composerLabel: '메시지',
  composerPlaceholder: '메시지를 입력하세요… (Enter 보내기, Shift+Enter 줄바꿈)',
  send: '보내기',
  counter: (used, max) => `${used} / ${max}`,
  counterLabel: (left) => `${left}자 남음`,
  tooLong: (over) => `${over}자 초과`,
  disabledOffline: '오프라인: 연결을 기다리는 중…',
  disabledConnecting: '연결하는 중…',
  disabledRateLimited: '잠시 후에 다시 보낼 수 있습니다.',
  statusOnline: '연결됨',
  statusConnecting: '연결하는 중…',
  statusReconnecting: (seconds) =>
    seconds === null || seconds <= 0 ? '다시 연결하는 중…' : `연결이 끊겼습니다. ${seconds}초 후 다시 연결합니다…`,
  statusStopped: '연결 끊김',
  reconnectNow: '지금 다시 연결',
  online: (n) => `${n}명 접속 중`,
  typing: (names) =>
    names.length === 1
      ? `${names[0]} 님이 입력 중…`
      : names.length === 2
        ? `${names[0]}, ${names[1]} 님이 입력 중…`
        : `${names.length}명이 입력 중…`,
  profileButton: (nickname) => `프로필 편집 (${nickname})`,
  profileTitle: '내 프로필',
  nicknameLabel: '닉네임',
  avatarLabel: '아바타',
  avatarStyle: (style) => `${style} 스타일`,
  shuffle: '다른 아바타',
  save: '저장',
  saving: '저장하는 중…',
  cancel: '취소',
  profileError: (code) =>
    ({
      nickname_empty: '닉네임을 입력하세요.',
      nickname_long: '닉네임은 32자까지 쓸 수 있습니다.',
      nickname_control: '닉네임에 제어 문자를 쓸 수 없습니다.',
      offline: '오프라인입니다. 연결된 뒤 다시 시도하세요.',
      rate_limited: '너무 자주 바꿨습니다. 잠시 후 다시 시도하세요.',
      bad_request: '서버가 이 프로필을 거부했습니다.',
      unavailable: '서버가 바쁩니다. 다시 시도하세요.',
    })[code] ?? `오류: ${code}`,
  newMessageAnnouncement: (nickname, text) => `${nickname}: ${text}`,
  invalidRoom: '채팅방 주소가 올바르지 않습니다.',
  openFullPage: '새 탭에서 열기',
  roomInput: '방 이름',
  homeTitle: 'chatd',
  homeBody: '/r/<방 이름> 으로 채팅방을 열거나 /demo 에서 블로그 임베드 예시를 보세요.',
};
