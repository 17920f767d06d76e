import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ChatApp } from './components/ChatApp/ChatApp.tsx';
import { LangContext, resolveLang, strings } from './i18n/index.ts';
import type { Lang } from './i18n/index.ts';
import { browserDeps, randomBytes } from './lib/browserDeps.ts';
import { ChatClient } from './lib/chatClient.ts';
import { parseTheme, roomFromPath } from './lib/embedParams.ts';
import { isValidRoom } from './lib/protocol.ts';
import './styles.css';

function Home({ lang }: { lang: Lang }) {
  const t = strings[lang];
  const [room, setRoom] = useState('');
  return (
    <main className="home">
      <h1>{t.homeTitle}</h1>
      <p>{t.homeBody}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const r = room.trim();
          if (isValidRoom(r)) {
            location.assign(`/r/${encodeURIComponent(r)}`);
          }
        }}
      >
        <label className="field">
          <span>{t.roomInput}</span>
          <input value={room} onChange={(e) => setRoom(e.target.value)} />
        </label>
      </form>
      <p>
        <a href="/demo">/demo</a>
      </p>
    </main>
  );
}

const query = new URLSearchParams(location.search);
const lang = resolveLang(query.get('lang'), navigator.languages);
document.documentElement.lang = lang;
const theme = parseTheme(query.get('theme'));
if (theme !== 'auto') {
  document.documentElement.dataset.theme = theme;
}
const room = roomFromPath(location.pathname);
const root = document.getElementById('root');
if (root === null) {
  throw new Error('index.html has no #root element');
}
const t = strings[lang];
let content;
if (location.pathname === '/' || location.pathname === '/index.html') {
  content = <Home lang={lang} />;
} else if (room === null) {
  content = <p className="fatal">{t.invalidRoom}</p>;
} else {
  document.title = `${room} · ${t.appTitle}`;
  const client = new ChatClient(room, browserDeps());
  content = <ChatApp client={client} title={room} randomBytes={randomBytes} />;
}
createRoot(root).render(
  <StrictMode>
    <LangContext.Provider value={lang}>
      <div className="page">{content}</div>
    </LangContext.Provider>
  </StrictMode>,
);
