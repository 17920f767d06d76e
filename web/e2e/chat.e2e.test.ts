// End-to-end: real chatd + PostgreSQL + Debian's Chromium. The blog (allowed origin) and an
// attacker's page (not allowed) are tiny Node servers; every host resolves to 127.0.0.1 through
// Chromium's host resolver rules, so the blog and chat are same-site as in production.

import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { Chatd, chatdBinary } from './support/chatd.ts';
import { blogPostPage, evilPage, freePort, startPageServer } from './support/servers.ts';
import type { PageServer } from './support/servers.ts';
import { waitUntil } from './support/wait.ts';

const webDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const repoRoot = resolve(webDir, '..');
const resultsDir = resolve(webDir, 'test-results');
const shotsDir = resolve(resultsDir, 'screenshots');
const run = Date.now().toString(36);
const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

let chatd: Chatd;
let blog: PageServer;
let evil: PageServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

const blogOrigin = () => `http://blog.example.test:${blog.port}`;
const postUrl = (room: string, theme = 'auto', lang = 'ko') =>
  `${blogOrigin()}/post?room=${encodeURIComponent(room)}&theme=${theme}&lang=${lang}`;

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error('DATABASE_URL is not set: run the suite through scripts/test/web.sh, which starts PostgreSQL');
  }
  mkdirSync(shotsDir, { recursive: true });
  const binary = chatdBinary(repoRoot);
  blog = await startPageServer((url) =>
    blogPostPage(chatd.origin, url.searchParams.get('room') ?? '/posts/first', url.searchParams.get('theme') ?? 'auto', url.searchParams.get('lang') ?? 'ko'),
  );
  evil = await startPageServer((url) => evilPage(chatd.origin, url.searchParams.get('room') ?? 'e2e/evil'));
  chatd = new Chatd({
    binary,
    port: await freePort(),
    metricsPort: await freePort(),
    databaseUrl,
    webRoot: resolve(webDir, 'dist'),
    allowedOrigins: `http://blog.example.test:${blog.port}`,
    logFile: resolve(resultsDir, 'chatd.log'),
    // Generous send limits: the suite sends bursts faster than any reader would.
    extraEnv: { CHATD_SEND_BURST: '100', CHATD_SEND_PER_SECOND: '50', CHATD_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  await chatd.start();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) {
    await c.close().catch(() => undefined);
  }
  await browser?.close();
  await chatd?.stop();
  await blog?.close();
  await evil?.close();
});

async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1100, height: 900 }, ...options });
  contexts.push(context);
  return context;
}

/** The chat iframe's frame inside a blog page. */
async function chatFrame(page: Page): Promise<Frame> {
  return waitUntil('the chat iframe', () =>
    page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(`${chatd.origin}/embed`)),
  );
}

async function waitOnline(frame: Frame): Promise<void> {
  await frame.locator('.chat[data-status="online"]').waitFor({ timeout: 30_000 });
}

async function openPost(context: BrowserContext, room: string, theme = 'auto'): Promise<{ page: Page; frame: Frame }> {
  const page = await context.newPage();
  await page.goto(postUrl(room, theme));
  const frame = await chatFrame(page);
  await waitOnline(frame);
  return { page, frame };
}

async function send(frame: Frame, text: string): Promise<void> {
  const input = frame.getByTestId('composer-input');
  await input.fill(text);
  await input.press('Enter');
  // Confirmed: no longer pending, and in the list as the reader's own message.
  await frame.getByTestId('pending-message').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  await waitUntil(`"${text.slice(0, 40)}" to be confirmed`, async () => {
    const own = await messageTexts(frame, '.own');
    return own.includes(text) && (await frame.getByTestId('pending-message').count()) === 0;
  });
}

async function messageTexts(frame: Frame, extra = ''): Promise<string[]> {
  return frame.locator(`[data-testid="message"]${extra} .message-text`).allTextContents();
}

async function waitForText(frame: Frame, text: string): Promise<void> {
  await waitUntil(`"${text.slice(0, 40)}" to arrive`, async () => (await messageTexts(frame)).includes(text));
}

async function seqs(frame: Frame): Promise<number[]> {
  return frame.locator('[data-testid="message"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
}

/** Sends `count` messages ("<prefix> 1".."<prefix> count") over a socket of the chat page's own
 *  origin, as another guest, and resolves with the number of acks. */
async function burst(frame: Frame, room: string, prefix: string, count: number): Promise<number> {
  return frame.evaluate(
    ({ room, prefix, count }) =>
      new Promise<number>((done, fail) => {
        const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/ws`);
        let acks = 0;
        ws.onerror = () => fail(new Error('socket failed'));
        ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', token: null }));
        ws.onmessage = (e) => {
          const f = JSON.parse(e.data as string) as { type: string };
          if (f.type === 'welcome') {
            ws.send(JSON.stringify({ type: 'join', room, since: 0 }));
          } else if (f.type === 'joined') {
            for (let i = 1; i <= count; i++) {
              ws.send(JSON.stringify({ type: 'send', room, text: `${prefix} ${i}`, client_id: `${prefix}${i}` }));
            }
          } else if (f.type === 'ack' && ++acks === count) {
            ws.close();
            done(acks);
          }
        };
      }),
    { room, prefix, count },
  );
}

describe('chat through the blog embed', () => {
  it('lets two readers chat in the same room through the blog page iframe', async () => {
    const room = `e2e/${run}/two-readers`;
    const a = await openPost(await newContext(), room);
    const b = await openPost(await newContext(), room);
    // The loader sized the iframe from the height the chat page reported.
    await waitUntil('the iframe to be resized', async () => {
      const h = await a.page.locator('iframe.chatd-embed').evaluate((el) => (el as HTMLIFrameElement).style.height);
      return h !== '480px' && h.endsWith('px');
    });
    await waitUntil('presence to count both readers', async () => (await a.frame.getByTestId('presence').textContent()) === '2명 접속 중');

    await send(a.frame, '안녕하세요, A입니다');
    await waitForText(b.frame, '안녕하세요, A입니다');
    await send(b.frame, 'Hi A, this is B https://example.com/x');
    await waitForText(a.frame, 'Hi A, this is B https://example.com/x');

    const aNick = await a.frame.getByTestId('profile-button').textContent();
    const fromA = b.frame.locator('[data-testid="message"]', { hasText: '안녕하세요, A입니다' });
    expect(await fromA.locator('.nickname').textContent()).toBe(aNick);
    expect(await fromA.evaluate((el) => el.classList.contains('own'))).toBe(false);
    const link = a.frame.getByRole('link', { name: 'https://example.com/x' });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(await seqs(a.frame)).toEqual(await seqs(b.frame));

    // Typing shows on the other side. B keeps typing until it does: the client sends at most one
    // notice per 3 s, and B's last one went out with the message above.
    const bNick = (await b.frame.getByTestId('profile-button').textContent()) ?? '';
    const typing = a.frame.getByText(`${bNick} 님이 입력 중…`);
    await waitUntil('the typing indicator', async () => {
      await b.frame.getByTestId('composer-input').press('a');
      return typing.isVisible();
    }, 15_000);

    // A moderator deletes A's message: it disappears for both readers.
    const [firstSeq] = await seqs(a.frame);
    const port = new URL(chatd.origin).port;
    const del = await fetch(`http://127.0.0.1:${port}/api/admin/rooms/${encodeURIComponent(room)}/messages/${firstSeq}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(del.status).toBe(204);
    for (const reader of [a, b]) {
      await waitUntil('the deleted message to disappear', async () => !(await messageTexts(reader.frame)).includes('안녕하세요, A입니다'));
    }
  });

  it('keeps a nickname and avatar change across a reload', async () => {
    const room = `e2e/${run}/profile`;
    const context = await newContext();
    const { page, frame } = await openPost(context, room);
    const nickname = `테스터 ${run.slice(-4)}`;
    await frame.getByTestId('profile-button').click();
    const dialog = frame.getByTestId('profile-dialog');
    await dialog.waitFor();
    await frame.getByTestId('nickname-input').fill(nickname);
    await frame.getByTestId('avatar-option').nth(3).click();
    const avatar = await frame.locator('[data-testid="avatar-option"] input').nth(3).getAttribute('value');
    await frame.getByTestId('profile-save').click();
    await dialog.waitFor({ state: 'detached' });
    await waitUntil('the new nickname', async () => (await frame.getByTestId('profile-button').textContent()) === nickname);

    await page.reload();
    const again = await chatFrame(page);
    await waitOnline(again);
    await waitUntil('the nickname after reload', async () => (await again.getByTestId('profile-button').textContent()) === nickname);
    expect(await again.locator('[data-testid="profile-button"] svg').getAttribute('data-style')).toBe(avatar?.split(':')[0]);
    await send(again, 'after reload');
    const mine = again.locator('[data-testid="message"].own', { hasText: 'after reload' });
    expect(await mine.locator('.nickname').textContent()).toBe(nickname);
  });

  it('reconnects after a server restart and misses nothing', async () => {
    const room = `e2e/${run}/restart`;
    const ctxA = await newContext();
    const a = await openPost(ctxA, room);
    const b = await openPost(await newContext(), room);
    await send(a.frame, 'before restart');
    await waitForText(b.frame, 'before restart');

    await chatd.stop();
    await a.frame.locator('.chat[data-status="reconnecting"]').waitFor({ timeout: 15_000 });
    await b.frame.locator('.chat[data-status="reconnecting"]').waitFor({ timeout: 15_000 });
    // A stays away while B talks, so A can only learn of these messages by catching up.
    await ctxA.setOffline(true);
    await chatd.start();
    await waitOnline(b.frame);
    const during = ['while A was away 1', 'while A was away 2', 'while A was away 3'];
    for (const text of during) {
      await send(b.frame, text);
    }
    // More than one page (50) of traffic: a re-join without `since` would show only the latest page.
    expect(await burst(b.frame, room, 'missed', 60)).toBe(60);
    const missed = Array.from({ length: 60 }, (_, i) => `missed ${i + 1}`);
    await waitForText(b.frame, 'missed 60');
    await ctxA.setOffline(false);
    await waitOnline(a.frame);
    await waitForText(a.frame, 'missed 60');
    // The re-join alone (join with `since`) brought everything, before any new live traffic.
    expect(await messageTexts(a.frame)).toEqual(['before restart', ...during, ...missed]);
    await send(a.frame, 'after restart');
    await waitForText(b.frame, 'after restart');

    const aTexts = await messageTexts(a.frame);
    expect(aTexts).toEqual(['before restart', ...during, ...missed, 'after restart']);
    const aSeqs = await seqs(a.frame);
    const first = aSeqs[0] ?? 0;
    expect(aSeqs).toEqual(aSeqs.map((_, i) => first + i));
    expect(await seqs(b.frame)).toEqual(aSeqs);
  });

  it('cannot be framed or used by an origin outside the allowlist', async () => {
    const room = `e2e/${run}/evil`;
    const context = await newContext();
    const page = await context.newPage();
    const refusals: string[] = [];
    page.on('console', (m) => {
      if (/frame-ancestors/.test(m.text())) {
        refusals.push(m.text());
      }
    });
    await page.goto(`http://evil.test:${evil.port}/?room=${encodeURIComponent(room)}`);
    await page.locator('iframe.chatd-embed').waitFor({ state: 'attached' });
    await waitUntil('Chromium to refuse both frames', () => refusals.length >= 2, 15_000);
    for (const frame of page.frames()) {
      if (frame !== page.mainFrame()) {
        expect(await frame.locator('[data-testid="composer-input"]').count()).toBe(0);
      }
    }
    const socket = await page.evaluate(
      (url) =>
        new Promise<string>((done) => {
          const ws = new WebSocket(url);
          ws.onopen = () => done('open');
          ws.onerror = () => done('refused');
        }),
      `${chatd.origin.replace('http', 'ws')}/ws`,
    );
    expect(socket).toBe('refused');

    const embed = await fetch(`http://127.0.0.1:${new URL(chatd.origin).port}/embed?room=x`);
    const csp = embed.headers.get('content-security-policy') ?? '';
    const ancestors = /frame-ancestors ([^;]*)/.exec(csp)?.[1]?.split(' ') ?? [];
    expect(ancestors).toContain(`http://blog.example.test:${blog.port}`);
    expect(ancestors.some((a) => a.includes('evil.test'))).toBe(false);
  });

  it('renders long and hostile text safely', async () => {
    const room = `e2e/${run}/hostile`;
    const a = await openPost(await newContext(), room);
    const b = await openPost(await newContext(), room);
    const texts = [
      '<script>window.__pwned = 1</script>',
      '<img src=x onerror="window.__pwned = 2"><b>bold?</b>',
      'مرحبا بالعالم ‮evil-rtl-override‬ שלום',
      '👩‍👩‍👧‍👦 🎉 가나다 ✨',
      '가'.repeat(2000),
    ];
    for (const text of texts) {
      await send(a.frame, text);
    }
    for (const text of texts) {
      await waitForText(b.frame, text);
    }
    const counts = await b.frame.evaluate(() => ({
      scripts: document.querySelectorAll('.message-list script').length,
      images: document.querySelectorAll('.message-list img').length,
      bold: document.querySelectorAll('.message-list b').length,
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
    }));
    expect(counts).toEqual({ scripts: 0, images: 0, bold: 0, pwned: null });
    expect(await b.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null)).toBeNull();
    // The 2000-character message wraps inside the list instead of widening it.
    const overflow = await b.frame.getByTestId('message-scroller').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    const input = a.frame.getByTestId('composer-input');
    await input.fill('가'.repeat(2001));
    expect(await a.frame.getByTestId('counter').textContent()).toBe('2001 / 2000');
    expect(await a.frame.getByTestId('send-button').isDisabled()).toBe(true);
  });

  it('loads earlier messages in place and points to new ones while scrolled up', async () => {
    const room = `e2e/${run}/paging`;
    const writer = await openPost(await newContext(), room);
    // 70 messages straight over a socket from the chat page: faster than typing them.
    const acked = await burst(writer.frame, room, 'paged', 70);
    expect(acked).toBe(70);

    const reader = await openPost(await newContext({ viewport: { width: 900, height: 700 } }), room);
    await waitForText(reader.frame, 'paged 70');
    expect(await messageTexts(reader.frame)).toHaveLength(50);
    const scroller = reader.frame.getByTestId('message-scroller');
    const offsetOf = (text: string) =>
      scroller.evaluate((el, t) => {
        const item = [...el.querySelectorAll('[data-testid="message"]')].find((m) => m.textContent?.includes(t));
        return item ? item.getBoundingClientRect().top - el.getBoundingClientRect().top : null;
      }, text);
    // At the newest on arrival.
    expect(await scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(2);
    // Where "paged 22" will sit once the list is scrolled to its top, measured before the scroll so
    // the older page cannot have arrived yet.
    const atTop = await scroller.evaluate((el) => el.scrollTop);
    const before = ((await offsetOf('paged 22')) ?? NaN) + atTop;
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
    });
    await waitForText(reader.frame, 'paged 1');
    expect(await messageTexts(reader.frame)).toHaveLength(70);
    const after = await offsetOf('paged 22');
    expect(before).not.toBeNull();
    expect(Math.abs((after ?? 0) - (before ?? 0))).toBeLessThanOrEqual(2);

    await send(writer.frame, 'news while scrolled up');
    const pill = reader.frame.getByTestId('new-messages-pill');
    await pill.waitFor();
    expect(await pill.textContent()).toContain('새 메시지 1개');
    await pill.click();
    await pill.waitFor({ state: 'detached' });
    expect(await scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(2);
  });

  it('serves the demo blog post with the chat embedded', async () => {
    const page = await (await newContext()).newPage();
    await page.goto(`${chatd.origin}/demo`);
    const frame = await chatFrame(page);
    await waitOnline(frame);
    expect(new URL(frame.url()).searchParams.get('room')).toBe('demo/첫-글');
    // The full-page app at /r/{room} shows the same room.
    const full = await page.context().newPage();
    await full.goto(`${chatd.origin}/r/${encodeURIComponent(`e2e/${run}/two-readers`)}`);
    await full.locator('.chat[data-status="online"]').waitFor({ timeout: 30_000 });
    await waitUntil('the two readers\' messages on the full page', async () =>
      (await full.locator('[data-testid="message"] .message-text').allTextContents()).includes('Hi A, this is B https://example.com/x'),
    );
    expect(await full.locator('.room-title').textContent()).toBe(`e2e/${run}/two-readers`);
    await full.screenshot({ path: resolve(shotsDir, 'full-page-light.png') });
    const base = `http://127.0.0.1:${new URL(chatd.origin).port}`;
    const js = await fetch(`${base}/embed.js`);
    expect(js.headers.get('cache-control')).toContain('max-age=300');
    const asset = /\/assets\/[^"]+\.js/.exec(await (await fetch(`${base}/embed?room=x`)).text())?.[0];
    expect(asset).toBeDefined();
    expect((await fetch(`${base}${asset}`)).headers.get('cache-control')).toContain('immutable');
  });

  it('fits 320 px and takes light, dark, desktop and mobile screenshots', async () => {
    const room = `e2e/${run}/screenshots`;
    const a = await openPost(await newContext(), room);
    const b = await openPost(await newContext(), room);
    await send(a.frame, '안녕하세요! 글 잘 읽었습니다 🙂');
    await send(b.frame, '감사합니다. 질문이 있으면 여기 남겨 주세요: https://example.com/faq');
    await send(a.frame, 'Embedding works with one script tag.\nShift+Enter makes a new line.');
    await waitForText(b.frame, 'Embedding works with one script tag.\nShift+Enter makes a new line.');

    const variants: { name: string; options: BrowserContextOptions }[] = [
      { name: 'desktop-light', options: { colorScheme: 'light', viewport: { width: 1100, height: 1000 } } },
      { name: 'desktop-dark', options: { colorScheme: 'dark', viewport: { width: 1100, height: 1000 } } },
      { name: 'mobile-light', options: { colorScheme: 'light', viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true } },
      { name: 'mobile-dark', options: { colorScheme: 'dark', viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true } },
      { name: 'narrow-320', options: { colorScheme: 'light', viewport: { width: 320, height: 700 }, isMobile: true, hasTouch: true } },
    ];
    for (const v of variants) {
      const context = await newContext(v.options);
      const { page, frame } = await openPost(context, room);
      await waitForText(frame, 'Embedding works with one script tag.\nShift+Enter makes a new line.');
      const fit = await frame.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        composer: (document.querySelector('[data-testid="composer-input"]') as HTMLElement).getBoundingClientRect().width,
      }));
      expect(fit.overflow, v.name).toBeLessThanOrEqual(0);
      expect(fit.composer, v.name).toBeGreaterThan(200);
      await page.locator('iframe.chatd-embed').scrollIntoViewIfNeeded();
      await page.screenshot({ path: resolve(shotsDir, `${v.name}.png`), fullPage: true });
      await context.close();
    }
  });
});
