import type { User } from '../../lib/protocol.ts';
import { useStrings } from '../../i18n/index.ts';

export function TypingIndicator({ users }: { users: readonly User[] }) {
  const t = useStrings();
  return (
    <div className="typing" aria-live="off">
      {users.length > 0 ? t.typing(users.map((u) => u.nickname)) : '\u00a0'}
    </div>
  );
}
