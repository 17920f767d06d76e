import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { LangContext } from '../i18n/index.ts';
import type { Lang } from '../i18n/index.ts';

/** render() inside a language; rerender keeps the same wrapper so component state survives. */
export function renderIn(lang: Lang, ui: ReactElement) {
  const wrap = (el: ReactElement) => <LangContext.Provider value={lang}>{el}</LangContext.Provider>;
  const result = render(wrap(ui));
  return { ...result, rerender: (el: ReactElement) => result.rerender(wrap(el)) };
}
