// Tiny HTTP servers playing the blog (allowed origin) and an attacker's site (not allowed), both
// on 127.0.0.1 and reached by the browser through --host-resolver-rules.

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function blogPostPage(chatOrigin: string, room: string, theme = 'auto', lang = 'ko'): string {
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>블로그 글</title>
<style>
  :root { color-scheme: light dark; }
  body { margin: 0; font: 17px/1.7 system-ui, "Noto Sans CJK KR", sans-serif; background: #fbfaf7; color: #1d2330; }
  @media (prefers-color-scheme: dark) { body { background: #16181d; color: #e6e6e6; } }
  main { max-width: 720px; margin: 0 auto; padding: 24px 16px 48px; }
  h1 { font-size: 1.7rem; line-height: 1.3; }
</style></head>
<body><main>
<article><h1>블로그 글: 실시간 채팅 붙이기</h1>
<p>글 본문입니다. This is the post body; the chat below is embedded with one script tag.</p></article>
<section aria-label="채팅"><h2>채팅</h2>
<script src="${escapeAttr(chatOrigin)}/embed.js" data-room="${escapeAttr(room)}" data-theme="${escapeAttr(theme)}" data-lang="${escapeAttr(lang)}" async></script>
</section></main></body></html>`;
}

export function evilPage(chatOrigin: string, room: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>not the blog</title></head>
<body><h1>Framing attempt</h1>
<iframe id="direct" src="${escapeAttr(chatOrigin)}/embed?room=${encodeURIComponent(room)}" style="width:100%;height:400px"></iframe>
<script src="${escapeAttr(chatOrigin)}/embed.js" data-room="${escapeAttr(room)}" async></script>
</body></html>`;
}

export interface PageServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Serves `render(url)` as HTML for every GET. */
export async function startPageServer(render: (url: URL) => string): Promise<PageServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(render(url));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
