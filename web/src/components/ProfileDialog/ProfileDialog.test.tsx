import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { alice } from '../../test/fakes.ts';
import { renderIn } from '../../test/render.tsx';
import { ProfileDialog } from './ProfileDialog.tsx';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 13 + 7) & 255);

describe('ProfileDialog', () => {
  it('edits the nickname, picks an avatar and saves', () => {
    const onSave = vi.fn();
    renderIn('en', <ProfileDialog me={alice} saving={false} error={null} onSave={onSave} onClose={vi.fn()} randomBytes={bytes} />);
    const dialog = screen.getByRole('dialog', { name: 'Your profile' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const name = screen.getByLabelText('Nickname');
    expect(document.activeElement).toBe(name);
    fireEvent.change(name, { target: { value: '새 닉네임' } });
    const radios = screen.getAllByRole('radio');
    expect(radios.length).toBe(8);
    expect((radios[0] as HTMLInputElement).checked).toBe(true);
    fireEvent.click(radios[2] as HTMLElement);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSave).toHaveBeenCalledWith('새 닉네임', (radios[2] as HTMLInputElement).value);
    expect((radios[2] as HTMLInputElement).value).toMatch(/^[a-z]+:[A-Za-z0-9_-]+$/);
  });

  it('draws avatars as inline SVG only', () => {
    const { container } = renderIn(
      'en',
      <ProfileDialog me={alice} saving={false} error={null} onSave={vi.fn()} onClose={vi.fn()} randomBytes={bytes} />,
    );
    expect(container.querySelectorAll('svg').length).toBe(8);
    expect(container.querySelector('img, image, use, [href], [src]')).toBeNull();
  });

  it('closes on Escape and shows errors', () => {
    const onClose = vi.fn();
    renderIn('ko', <ProfileDialog me={alice} saving error="nickname_long" onSave={vi.fn()} onClose={onClose} randomBytes={bytes} />);
    expect(screen.getByRole('alert').textContent).toBe('닉네임은 32자까지 쓸 수 있습니다.');
    expect(screen.getByRole('button', { name: '저장하는 중…' }).hasAttribute('disabled')).toBe(true);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });
});
