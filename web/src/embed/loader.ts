// embed.js: the one script a blog includes. It inserts an iframe to chatd's /embed page right after
// its own <script> tag and sizes it from the height the page reports. Built as a standalone IIFE: no
// imports at run time, no globals, nothing but the iframe and one message listener.
//
//   <script src="https://chat.example.com/embed.js" data-room="posts/hello" data-theme="auto"
//           data-lang="ko" data-height="auto" async></script>

import { mountEmbed } from './mount.ts';

const current = document.currentScript;
if (current instanceof HTMLScriptElement) {
  mountEmbed(current, {
    location: window.location,
    addMessageListener: (fn) => window.addEventListener('message', fn),
  });
}
