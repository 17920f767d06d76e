import { useMemo } from 'react';
import { drawAvatar } from '../../lib/avatar.ts';

export interface AvatarProps {
  avatar: string;
  size?: number;
  /** Accessible name; omit for a decorative avatar next to the nickname. */
  label?: string;
}

export function Avatar({ avatar, size = 32, label }: AvatarProps) {
  const drawing = useMemo(() => drawAvatar(avatar), [avatar]);
  const a11y = label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true as const };
  return (
    <svg
      className="avatar"
      width={size}
      height={size}
      viewBox="0 0 64 64"
      data-style={drawing.style}
      focusable="false"
      {...a11y}
    >
      <g>
        {drawing.shapes.map((s, i) => {
          switch (s.kind) {
            case 'rect':
              return <rect key={i} x={s.x} y={s.y} width={s.w} height={s.h} rx={s.rx} fill={s.fill} />;
            case 'circle':
              return (
                <circle key={i} cx={s.cx} cy={s.cy} r={s.r} fill={s.fill} stroke={s.stroke} strokeWidth={s.strokeWidth} />
              );
            case 'path':
              return <path key={i} d={s.d} fill={s.fill} />;
          }
        })}
      </g>
    </svg>
  );
}
