import { render } from '@testing-library/react';
import { useRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { useReportHeight } from './useReportHeight.ts';

function Probe({ parent }: { parent: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useReportHeight(ref, parent);
  return <div ref={ref}>content</div>;
}

function fakeParent() {
  const postMessage = vi.fn();
  vi.spyOn(window, 'parent', 'get').mockReturnValue({ postMessage } as unknown as Window);
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ height: 512.3 } as DOMRect);
  return postMessage;
}

describe('useReportHeight', () => {
  it('posts the height to the verified parent origin only', () => {
    const postMessage = fakeParent();
    render(<Probe parent="https://blog.example.com" />);
    expect(postMessage).toHaveBeenCalledWith({ type: 'chatd:height', height: 513 }, 'https://blog.example.com');
  });

  it('posts nothing when the parent could not be verified', () => {
    const postMessage = fakeParent();
    render(<Probe parent={null} />);
    expect(postMessage).not.toHaveBeenCalled();
  });
});
