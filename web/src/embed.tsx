import { StrictMode, useRef } from 'react';
import type { ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { ChatApp } from './components/ChatApp/ChatApp.tsx';
import { LangContext, strings } from './i18n/index.ts';
import { useReportHeight } from './hooks/useReportHeight.ts';
import { browserDeps, randomBytes } from './lib/browserDeps.ts';
import { ChatClient } from './lib/chatClient.ts';
import { parseEmbedParams } from './lib/embedParams.ts';
import './styles.css';

function Frame({ parentOrigin, children }: { parentOrigin: string | null; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useReportHeight(ref, parentOrigin);
  return (
    <div className="embed" ref={ref}>
      {children}
    </div>
  );
}

const ancestors = location.ancestorOrigins as DOMStringList | undefined;
const params = parseEmbedParams({
  search: location.search,
  referrer: document.referrer,
  ancestorOrigin: ancestors && ancestors.length > 0 ? ancestors.item(0) : null,
  languages: navigator.languages,
});
const html = document.documentElement;
html.lang = params.lang;
if (params.theme !== 'auto') {
  html.dataset.theme = params.theme;
}
html.dataset.layout = params.layout;
const t = strings[params.lang];
const root = document.getElementById('root');
if (root === null) {
  throw new Error('embed.html has no #root element');
}
let content: ReactNode;
if (params.room === null) {
  content = <p className="fatal">{t.invalidRoom}</p>;
} else {
  document.title = `${params.room} · ${t.appTitle}`;
  const client = new ChatClient(params.room, browserDeps());
  content = <ChatApp client={client} title={t.appTitle} randomBytes={randomBytes} />;
}
createRoot(root).render(
  <StrictMode>
    <LangContext.Provider value={params.lang}>
      <Frame parentOrigin={params.parentOrigin}>{content}</Frame>
    </LangContext.Provider>
  </StrictMode>,
);
