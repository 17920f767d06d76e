import { createContext, useContext } from 'react';
import { en } from './en.ts';
import type { Strings } from './en.ts';
import { ko } from './ko.ts';

export type Lang = 'ko' | 'en';
export type { Strings };

export const strings: Record<Lang, Strings> = { ko, en };

/** `requested` wins when it is a known language; else the browser's first preference; else English. */
export function resolveLang(requested: string | null, browser: readonly string[]): Lang {
  if (requested === 'ko' || requested === 'en') {
    return requested;
  }
  for (const tag of browser) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'ko' || primary === 'en') {
      return primary;
    }
  }
  return 'en';
}

export const LangContext = createContext<Lang>('en');

export function useStrings(): Strings {
  return strings[useContext(LangContext)];
}

export function useLang(): Lang {
  return useContext(LangContext);
}
